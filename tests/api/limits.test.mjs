// Limits under load (takes 1-2 min; skipped only when PCUSTOMER_TEST_SKIP_LIMITS or
// PCUSTOMER_TEST_SKIP_SLOW is set): 10,000 idle kept-alive connections, 500 clients trickling header
// bytes and 200 that never read their answers, while a normal client keeps getting answers;
// afterwards the server's memory returns to what it was.
//
// The memory bound: RSS within 20% of its value before the load, plus the 168 bytes Asio
// keeps for each descriptor it has seen (PCUSTOMER_TEST_MEMORY_BOUND=strict: the plain 20%).
// Measured on the release binary, which is linked with jemalloc.
//
// The connections are held by child processes (lib/conn-holder.mjs) started with their soft
// fd limit raised to the hard one, so this process needs only a few descriptors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupTarget, removeDataDir } from './lib/target.mjs';
import { startServer } from './lib/server.mjs';
import { connect, buildRequest } from './lib/raw.mjs';
import { api, describeRes, newCustomer, createCustomer, idPath, pool } from './lib/client.mjs';
import { rssKb, limitOf, fdCount } from './lib/proc.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const HOLDER = path.join(here, 'lib', 'conn-holder.mjs');
const skip = process.env.PCUSTOMER_TEST_SKIP_LIMITS ? 'PCUSTOMER_TEST_SKIP_LIMITS is set'
  : process.env.PCUSTOMER_TEST_SKIP_SLOW ? 'PCUSTOMER_TEST_SKIP_SLOW is set' : false;

const IDLE = 10_000;
const IDLE_HOLDERS = 4;
const SLOW = 500;
const NOREAD = 200;
const PROBE_EVERY_MS = 100;
const LOAD_MS = 12_000;         // longer than the 10 s header deadline: the slow clients reconnect
const ANSWER_WITHIN_MS = 2_000; // a hang guard per probe; the goal is 50 ms (printed, not asserted)

let T;
before(async () => { if (!skip) T = await setupTarget(); }, { timeout: 60_000 });
after(async () => { await T?.close(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts a conn-holder; resolves {child, ready, done} once it has tried every connection. */
function holder(baseUrl, count, mode) {
  const u = new URL(baseUrl);
  // The soft fd limit raised to the hard one before node starts.
  const child = spawn('sh', ['-c', 'ulimit -n "$(ulimit -Hn)" && exec "$0" "$@"', process.execPath, HOLDER,
    u.hostname, u.port, String(count), mode, u.host], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const lines = [];
  const waiters = [];
  child.stdout.setEncoding('utf8').on('data', (d) => {
    out += d;
    let i;
    while ((i = out.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(out.slice(0, i)));
      out = out.slice(i + 1);
      for (const w of waiters.splice(0)) w();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => child.once('exit', (code) => { for (const w of waiters.splice(0)) w(); resolve(code); }));
  const wait = async (key, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find((l) => key in l);
      if (found) return found;
      if (child.exitCode !== null) throw new Error(`conn-holder ${mode} exited ${child.exitCode}: ${err.slice(-1000)}`);
      if (Date.now() > deadline) throw new Error(`conn-holder ${mode}: no "${key}" within ${timeoutMs} ms: ${err.slice(-1000)}`);
      await new Promise((r) => { waiters.push(r); setTimeout(r, 500); });
    }
  };
  return {
    child,
    ready: (timeoutMs = 240_000) => wait('ready', timeoutMs),
    async stop() {
      child.stdin.end();
      const done = await wait('done', 30_000).catch(() => null);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      return done;
    },
    kill() { try { child.kill('SIGKILL'); } catch { /* gone */ } },
  };
}

function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

test(`${IDLE} idle, ${SLOW} slow-header and ${NOREAD} non-reading clients: probes answered, memory returns`, { timeout: 480_000, skip }, async (t) => {
  if (!T.local) { t.skip('needs a locally started server (PCUSTOMER_TEST_BASE_URL is set): reads its memory and limits from /proc'); return; }
  const s = await startServer();
  const holders = [];
  const probeConns = [];
  try {
    const h = await T.headersFor(s.baseUrl);
    const local = { baseUrl: s.baseUrl, headers: () => h };
    const need = IDLE + SLOW + NOREAD + 100;
    const serverFds = limitOf(s.pid, 'Max open files');
    const selfFds = limitOf('self', 'Max open files');
    const { stdout, stderr } = s.logs();
    const cap = /max connections\D+(\d+)/i.exec(stdout + stderr);
    const capNote = cap && Number(cap[1]) < need ? ` (the load of ${need} connections is over the stated connection cap ${cap[1]})` : '';
    t.diagnostic(`fd limits: server soft ${serverFds.soft} hard ${serverFds.hard}; tests soft ${selfFds.soft} hard ${selfFds.hard}; ` +
      `stated connection cap ${cap ? cap[1] : '(not stated)'}; load ${need} connections`);
    assert.ok(serverFds.soft >= need, `the server's soft fd limit ${serverFds.soft} is below the ${need} connections of this test ` +
      `(the server raises it to the hard limit ${serverFds.hard}; raise the hard limit: ulimit -Hn)`);
    assert.ok(selfFds.hard >= IDLE / IDLE_HOLDERS + 100, `hard fd limit ${selfFds.hard} of the test process is too low for the holders`);

    // Warm up, then the memory baseline.
    const ids = [];
    for (let i = 0; i < 50; i++) ids.push((await createCustomer(local)).id);
    await pool(400, 16, async (i) => {
      const r = i % 4 === 0 ? await api(local, 'GET', '/openapi.json') : await api(local, 'GET', idPath(ids[i % ids.length]));
      assert.equal(r.status, 200, describeRes(r));
    });
    await sleep(1_000);
    const rssBefore = rssKb(s.pid);
    const fdsBefore = fdCount(s.pid);

    // The probes' own keep-alive connection exists before the load.
    const keep = await connect(local);
    probeConns.push(keep);
    await keep.write(buildRequest(local, 'GET', '/healthz'));
    assert.equal((await keep.next()).status, 200);

    // Probes run from the start of the load until LOAD_MS after all of it is connected:
    // alternately on the kept-alive connection (so it never idles out) and on a fresh one.
    const lat = { keepAlive: [], fresh: [] };
    const missed = [];
    let rssPeak = 0;
    let loadEnd = Infinity;
    const started = Date.now();
    const probing = (async () => {
      for (let n = 0; Date.now() < loadEnd; n++) {
        const kind = n % 2 ? 'fresh' : 'keepAlive';
        const t0 = Date.now();
        try {
          let conn = keep;
          if (kind === 'fresh') { conn = await connect(local, { timeoutMs: ANSWER_WITHIN_MS }); probeConns.push(conn); }
          const p = n % 4 < 2 ? '/healthz' : `${idPath(ids[n % ids.length])}`;
          await conn.write(buildRequest(local, 'GET', p, { headers: { 'X-Request-Id': `probe-${n}` } }));
          const r = await conn.next(Math.max(1, ANSWER_WITHIN_MS - (Date.now() - t0)));
          if (r.status !== 200) missed.push(`probe ${n} (${kind} ${p}): ${r.status} ${r.text.slice(0, 200)}`);
          else lat[kind].push(Date.now() - t0);
          if (kind === 'fresh') conn.destroy();
        } catch (e) {
          missed.push(`probe ${n} (${kind}) at +${Date.now() - started} ms: ${e.message.slice(0, 200)}`);
        }
        rssPeak = Math.max(rssPeak, rssKb(s.pid));
        await sleep(PROBE_EVERY_MS);
      }
    })();

    for (let i = 0; i < IDLE_HOLDERS; i++) holders.push(holder(s.baseUrl, IDLE / IDLE_HOLDERS, 'idle'));
    holders.push(holder(s.baseUrl, SLOW, 'slow'));
    holders.push(holder(s.baseUrl, NOREAD, 'noread'));
    const ready = [];
    try {
      for (const hd of holders) ready.push(await hd.ready());
    } finally {
      loadEnd = Date.now() + LOAD_MS;
    }
    const opened = ready.reduce((a, r) => a + r.ready, 0);
    const failedConnects = ready.reduce((a, r) => a + r.failed, 0);
    t.diagnostic(`load connected in ${Date.now() - started} ms: ${opened} open, ${failedConnects} failed to connect; ` +
      `server fds ${fdCount(s.pid)}, RSS ${rssKb(s.pid)} KiB; per holder (open/failed/time): ${ready.map((r) => `${r.ready}/${r.failed}/${r.ms}ms`).join(' ')}`);
    await probing;
    const fdsLoaded = fdCount(s.pid);

    const results = [];
    for (const hd of holders) results.push(await hd.stop());
    holders.length = 0;
    const closedByServer = results.reduce((a, r) => a + (r?.closedByServer ?? 0), 0);
    const closedAtOnce = results.reduce((a, r) => a + (r?.closedAtOnce ?? 0), 0);

    for (const [kind, l] of Object.entries(lat)) {
      const sorted = [...l].sort((a, b) => a - b);
      t.diagnostic(`${kind} probes: ${l.length} answered; latency p50 ${quantile(sorted, 0.5)} ms, p99 ${quantile(sorted, 0.99)} ms, ` +
        `max ${sorted.at(-1)} ms (goal: 50 ms); ${sorted.filter((x) => x > 50).length} over 50 ms`);
    }
    t.diagnostic(`server during the load: ${fdsLoaded} fds, RSS peak ${rssPeak} KiB (before ${rssBefore} KiB); ` +
      `${closedByServer} load connections closed by the server, ${closedAtOnce} of them at once (slow clients reconnect after the others)`);
    // Every finding is reported at once, after the memory has been looked at too.
    const problems = [];
    if (failedConnects) problems.push(`${failedConnects} load connections failed (idle ones: no answer to their first request)${capNote}`);
    if (missed.length) problems.push(`${missed.length} probes not answered within ${ANSWER_WITHIN_MS} ms${capNote}, e.g. ${missed.slice(0, 5).join('; ')}`);
    if (lat.keepAlive.length + lat.fresh.length < 20) problems.push(`only ${lat.keepAlive.length + lat.fresh.length} probes answered`);

    // The memory comes back once the load has gone (polled; the allocator may take a moment).
    // Asio keeps a 168-byte state for each descriptor it has registered, reused by later
    // connections and never freed (a high-water mark, not a leak): the asserted bound is 20%
    // plus that pool. PCUSTOMER_TEST_MEMORY_BOUND=strict asserts the plain 20%.
    const strict = process.env.PCUSTOMER_TEST_MEMORY_BOUND === 'strict';
    const asioPoolKb = Math.ceil((fdsLoaded * 168) / 1024);
    const boundKb = Math.round(rssBefore * 1.2) + (strict ? 0 : asioPoolKb);
    const rssDeadline = Date.now() + 20_000;
    let rssAfter = rssKb(s.pid);
    while (rssAfter > rssBefore * 1.2 && Date.now() < rssDeadline) {
      await sleep(500);
      rssAfter = rssKb(s.pid);
    }
    t.diagnostic(`RSS before ${rssBefore} KiB, peak ${rssPeak} KiB, after ${rssAfter} KiB; fds before ${fdsBefore}, after ${fdCount(s.pid)}`);
    const alive = await api(local, 'POST', '/pcustomers', { body: newCustomer() });
    assert.equal(alive.status, 201, describeRes(alive));
    const overPercent = Math.round((rssAfter / rssBefore - 1) * 100);
    t.diagnostic(`RSS after the load is ${overPercent}% over the ${rssBefore} KiB before it (plain bound 20%: ` +
      `${rssAfter <= rssBefore * 1.2 ? 'met' : 'not met'}; asserted bound ${boundKb} KiB${strict ? '' : `, Asio's pool ${asioPoolKb} KiB included`})`);
    if (rssAfter > boundKb) {
      problems.push(`RSS ${rssAfter} KiB after the load is over the bound of ${boundKb} KiB (${rssBefore} KiB before it + 20%` +
        `${strict ? '' : ` + ${asioPoolKb} KiB of Asio's descriptor pool`}; peak ${rssPeak} KiB)`);
    }
    assert.deepEqual(problems, []);
  } finally {
    for (const hd of holders) hd.kill();
    for (const c of probeConns) c.destroy();
    await s.kill9();
    removeDataDir(s.dataDir);
  }
});
