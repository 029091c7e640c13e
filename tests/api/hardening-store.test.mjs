// /readyz when the embedded store cannot commit (CONTRACT, amendments to sections 1-6): 503,
// and no 503 shows the driver's error text.
//
// A full disk is simulated with the file-size limit (RLIMIT_FSIZE) of the running server, set
// with prlimit(1): every write past the first bytes of a file fails (EFBIG) while reads keep
// working. That needs no mount and no special privilege, and works as root too (root ignores
// file modes, so a read-only database file would not stop it). SIGXFSZ is ignored in the
// server (set before exec), so a refused write is an error, not the end of the process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupTarget, removeDataDir } from './lib/target.mjs';
import { startServer } from './lib/server.mjs';
import { api, describeRes, newCustomer, assertError, assertUtf8 } from './lib/client.mjs';
import { setLimit, limitOf } from './lib/proc.mjs';

let T;
before(async () => { T = await setupTarget(); }, { timeout: 60_000 });
after(async () => { await T?.close(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const DRIVER_TEXT = /sqlite|disk i\/o|database|EFBIG|errno|file too large/i;

function assertNoDriverText(res, ctx) {
  assert.doesNotMatch(res.text, DRIVER_TEXT, `${ctx}: the 503 shows the store's error text: ${res.text}`);
}

function skipReason() {
  if (!T.local) return 'needs a locally started server (PCUSTOMER_TEST_BASE_URL is set)';
  if (T.store !== 'sqlite') return `simulates a full disk under the embedded store; this run uses ${T.store}`;
  return false;
}

async function until(what, fn, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last.ok) return last.value;
    assert.ok(Date.now() < deadline, `${what}: not within ${timeoutMs} ms; last: ${last.why}`);
    await sleep(200);
  }
}

test('/readyz is 503 while the store cannot commit a write, 200 again afterwards; 503s show no driver text', { timeout: 90_000 }, async (t) => {
  const skip = skipReason();
  if (skip) { t.skip(skip); return; }
  const s = await startServer({ launcher: ['sh', '-c', 'trap "" XFSZ; exec "$0" "$@"'] });
  try {
    const h = await T.headersFor(s.baseUrl);
    const local = { baseUrl: s.baseUrl, headers: () => h };
    const ok = await api(local, 'GET', '/readyz');
    assert.equal(ok.status, 200, describeRes(ok));
    assert.equal((await api(local, 'POST', '/pcustomers', { body: newCustomer() })).status, 201);

    const fsize = limitOf(s.pid, 'Max file size');
    setLimit(s.pid, 'fsize', '1:'); // soft limit only, so it can be lifted again without privilege
    t.diagnostic(`file size limit of the server: ${fsize.soft} -> 1 byte`);
    const blocked = [];
    try {
      // A write cannot be committed.
      const w = await api(local, 'POST', '/pcustomers', { body: newCustomer() });
      blocked.push(['POST /pcustomers', w]);
      assertError(w, 503, 'SERVICE_UNAVAILABLE');
      assert.match(w.headers.get('retry-after') ?? '', /^\d+$/, 'a 503 without Retry-After');
      // /readyz says so.
      const r = await until('/readyz answers 503', async () => {
        const res = await api(local, 'GET', '/readyz');
        blocked.push(['GET /readyz', res]);
        return { ok: res.status === 503, value: res, why: describeRes(res) };
      });
      assertError(r, 503, 'SERVICE_UNAVAILABLE');
      assert.match(r.headers.get('retry-after') ?? '', /^\d+$/, 'a 503 from /readyz without Retry-After');
      // The process itself is alive and reads still work.
      assert.equal((await api(local, 'GET', '/healthz')).status, 200);
      const list = await api(local, 'GET', '/pcustomers?limit=5');
      assert.equal(list.status, 200, `reads fail while only writes are blocked: ${describeRes(list)}`);
    } finally {
      setLimit(s.pid, 'fsize', `${fsize.soft === Infinity ? 'unlimited' : fsize.soft}:`);
      for (const [what, res] of blocked) {
        assertUtf8(res.bytes, what);
        if (res.status >= 500) assertNoDriverText(res, what);
      }
    }
    // Once the store can write again, the server is ready again and writes succeed.
    await until('/readyz answers 200 after the disk has room again', async () => {
      const res = await api(local, 'GET', '/readyz');
      if (res.status >= 500) assertNoDriverText(res, 'GET /readyz');
      return { ok: res.status === 200, value: res, why: describeRes(res) };
    });
    const after = await api(local, 'POST', '/pcustomers', { body: newCustomer() });
    assert.equal(after.status, 201, `a write after the disk has room again: ${describeRes(after)}`);
    assert.equal(s.child.exitCode, null, 'the server exited');
  } finally {
    await s.kill9();
    removeDataDir(s.dataDir);
  }
});
