// Slow and stalled clients (takes ~20 s; run alone with `node --test tests/api/slow.test.mjs`).
// The server's header deadline is at most 15 s; a stalled connection must be closed within 20 s.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupTarget } from './lib/target.mjs';
import { connect, buildRequest } from './lib/raw.mjs';
import { api, describeRes } from './lib/client.mjs';

const HEADER_DEADLINE_MS = 20_000;
const BODY_DEADLINE_MS = 30_000;

let T;
before(async () => { if (!process.env.PCUSTOMER_TEST_SKIP_SLOW) T = await setupTarget(); }, { timeout: 60_000 });
after(async () => { await T?.close(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Waits for the server to close `conn`; a 408 (or other 4xx) answer before the close is fine.
async function expectClosedWithin(conn, ms, what) {
  const t0 = Date.now();
  const closed = await conn.waitClosed(ms);
  const took = Date.now() - t0;
  assert.ok(closed, `${what}: connection still open after ${ms} ms`);
  const pending = conn.buf.toString('latin1');
  if (pending.length) {
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(pending);
    assert.ok(m && Number(m[1]) >= 400 && Number(m[1]) < 500, `${what}: unexpected answer ${JSON.stringify(pending.slice(0, 200))}`);
  }
  return took;
}

async function healthyMeanwhile() {
  const t0 = Date.now();
  const res = await api(T, 'GET', '/healthz', { timeoutMs: 5_000 });
  assert.equal(res.status, 200, describeRes(res));
  assert.ok(Date.now() - t0 < 5_000);
}

const skipSlow = process.env.PCUSTOMER_TEST_SKIP_SLOW ? 'PCUSTOMER_TEST_SKIP_SLOW is set' : false;

describe('slow clients', { concurrency: true, skip: skipSlow }, () => {
  it('a client that sends half the headers and stops is disconnected', { timeout: HEADER_DEADLINE_MS + 10_000 }, async () => {
    const conn = await connect(T);
    try {
      const req = buildRequest(T, 'GET', '/healthz', { headers: { 'X-Slow': 'yes' } }).toString('latin1');
      await conn.write(req.slice(0, Math.floor(req.length / 2)));
      await sleep(500);
      await healthyMeanwhile();
      await expectClosedWithin(conn, HEADER_DEADLINE_MS, 'half headers');
    } finally {
      conn.destroy();
    }
  });

  it('a client that trickles header bytes is disconnected (the deadline is for all headers)', { timeout: HEADER_DEADLINE_MS + 10_000 }, async () => {
    const conn = await connect(T);
    let stop = false;
    try {
      const req = buildRequest(T, 'GET', '/healthz', { headers: { 'X-Trickle': 'x'.repeat(200) } }).toString('latin1');
      const trickle = (async () => {
        for (let i = 0; i < req.length - 4 && !stop && !conn.closed; i++) {
          try { await conn.write(req[i]); } catch { return; }
          await sleep(700);
        }
      })();
      const took = await expectClosedWithin(conn, HEADER_DEADLINE_MS, 'trickled headers');
      stop = true;
      await trickle;
      assert.ok(took <= HEADER_DEADLINE_MS);
    } finally {
      stop = true;
      conn.destroy();
    }
  });

  it('a client that sends part of the body and stops is disconnected', { timeout: BODY_DEADLINE_MS + 10_000 }, async () => {
    const conn = await connect(T);
    try {
      const head = buildRequest(T, 'POST', '/pcustomers', { headers: { 'Content-Type': 'application/json', 'Content-Length': '100' } });
      await conn.write(Buffer.concat([head, Buffer.from('{"fullName":')]));
      await sleep(500);
      await healthyMeanwhile();
      await expectClosedWithin(conn, BODY_DEADLINE_MS, 'partial body');
    } finally {
      conn.destroy();
    }
  });

  it('connections that never send anything do not block other clients', { timeout: 30_000 }, async () => {
    const conns = await Promise.all(Array.from({ length: 50 }, () => connect(T)));
    try {
      await healthyMeanwhile();
      await sleep(2_000);
      await healthyMeanwhile();
    } finally {
      for (const c of conns) c.destroy();
    }
  });
});
