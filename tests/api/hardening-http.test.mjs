// HTTP/1.1 framing per RFC 9112 (CONTRACT, amendments to sections 1-6): Transfer-Encoding
// whose last coding is not chunked, Transfer-Encoding with Content-Length, Host rules, the
// absolute form, empty lines before a request, HEAD on every GET route; file-descriptor
// exhaustion; SIGTERM under a keep-alive write load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { setupTarget, removeDataDir } from './lib/target.mjs';
import { startServer } from './lib/server.mjs';
import { connect, buildRequest, rawRequest, chunked } from './lib/raw.mjs';
import {
  api, describeRes, newCustomer, createCustomer, uniquePhone, idPath, assertError, assertErrorShape, listAll,
} from './lib/client.mjs';
import { cpuSeconds, fdCount, limitOf } from './lib/proc.mjs';

let T;
let victim;
before(async () => {
  T = await setupTarget();
  victim = await createCustomer(T);
}, { timeout: 60_000 });
after(async () => { await T?.close(); });

const TO = { timeout: 30_000 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const hostHeader = () => new URL(T.baseUrl).host;

async function assertAlive() {
  const res = await api(T, 'GET', '/healthz');
  assert.equal(res.status, 200, `server not healthy afterwards: ${describeRes(res)}`);
}

/** True when no customer has `phone`: a create with it succeeds (and is deleted again). */
async function assertPhoneFree(phone, ctx) {
  const res = await api(T, 'POST', '/pcustomers', { body: newCustomer({ phone }) });
  assert.equal(res.status, 201, `${ctx}: phone ${phone} is taken, so a hidden request was executed: ${describeRes(res)}`);
  await api(T, 'DELETE', idPath(res.json.data.id));
}

/**
 * Writes `bytes` on a new connection and expects exactly one answer, a 400 in the error
 * envelope, after which the server closes the connection without sending anything more.
 */
async function assertRejectedAndClosed(bytes, ctx) {
  const conn = await connect(T);
  try {
    await conn.write(bytes).catch(() => { /* closed while writing: fine */ });
    const res = await conn.next(10_000);
    assertError(res, 400, 'BAD_REQUEST');
    assert.ok(await conn.waitClosed(5_000), `${ctx}: connection left open after the 400`);
    assert.equal(conn.pending().length, 0,
      `${ctx}: bytes after the 400: ${JSON.stringify(conn.pending().subarray(0, 300).toString('latin1'))}`);
    return res;
  } finally {
    conn.destroy();
  }
}

// ---- Transfer-Encoding -----------------------------------------------------------------------

function head(method, path, extra) {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${hostHeader()}`,
    ...Object.entries(T.headers()).map(([k, v]) => `${k}: ${v}`), 'Content-Type: application/json', ...extra];
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
}

const hidden = (phone) => buildRequest(T, 'POST', '/pcustomers', { body: newCustomer({ phone }), headers: { 'X-Request-Id': 'smuggled' } });

const BAD_TE = ['gzip', 'identity', 'xchunked', 'chunked, identity', 'chunked, gzip', 'gzip, chunked, identity',
  'deflate'];

test('Transfer-Encoding whose last coding is not chunked: 400, connection closed, the bytes after it never run', { timeout: 90_000 }, async () => {
  const before = (await listAll(T, 100)).length;
  for (const te of BAD_TE) {
    const forms = {
      // the next request right after the head (a server that ignores the coding reads it next)
      'no body': () => { const p = uniquePhone(); return { phones: [p], bytes: Buffer.concat([head('POST', '/pcustomers', [`Transfer-Encoding: ${te}`]), hidden(p)]) }; },
      // an empty chunked body, then the next request (a server that decodes chunked anyway)
      'empty chunked body': () => { const p = uniquePhone(); return { phones: [p], bytes: Buffer.concat([head('POST', '/pcustomers', [`Transfer-Encoding: ${te}`]), Buffer.from('0\r\n\r\n'), hidden(p)]) }; },
      // a chunked customer, then the next request
      'chunked customer': () => {
        const p1 = uniquePhone(); const p2 = uniquePhone();
        return { phones: [p1, p2], bytes: Buffer.concat([head('POST', '/pcustomers', [`Transfer-Encoding: ${te}`]), chunked(JSON.stringify(newCustomer({ phone: p1 })), 9), hidden(p2)]) };
      },
    };
    for (const [form, make] of Object.entries(forms)) {
      const { phones, bytes } = make();
      const ctx = `Transfer-Encoding: ${te} (${form})`;
      await assertRejectedAndClosed(bytes, ctx);
      for (const p of phones) await assertPhoneFree(p, ctx);
    }
  }
  assert.equal((await listAll(T, 100)).length, before, 'the number of customers changed');
  await assertAlive();
});

test('Transfer-Encoding: chunked together with Content-Length: 400, connection closed, nothing after it runs', TO, async () => {
  const variants = [
    (rest) => ['Transfer-Encoding: chunked', `Content-Length: ${rest}`],
    (rest) => [`Content-Length: ${rest}`, 'Transfer-Encoding: chunked'],
    (rest) => [`Content-Length: ${rest}`, 'Transfer-Encoding: identity, chunked'],
  ];
  for (const [i, v] of variants.entries()) {
    // Content-Length covers only the empty chunked body: both readings reach the hidden request.
    const p = uniquePhone();
    const bytes = Buffer.concat([head('POST', '/pcustomers', v(5)), Buffer.from('0\r\n\r\n'), hidden(p)]);
    await assertRejectedAndClosed(bytes, `variant ${i}: ${v(5).join(' / ')}`);
    await assertPhoneFree(p, `variant ${i}`);
    // A chunked customer whose chunk framing Content-Length ignores.
    const p1 = uniquePhone(); const p2 = uniquePhone();
    const body = chunked(JSON.stringify(newCustomer({ phone: p1 })), 11);
    const bytes2 = Buffer.concat([head('POST', '/pcustomers', v(body.length)), body, hidden(p2)]);
    await assertRejectedAndClosed(bytes2, `variant ${i} with a chunked customer`);
    await assertPhoneFree(p1, `variant ${i} with a chunked customer`);
    await assertPhoneFree(p2, `variant ${i} with a chunked customer`);
  }
  await assertAlive();
});

test('a chunked request that is fine still works, also on a kept-alive connection', TO, async () => {
  const conn = await connect(T);
  try {
    const body = newCustomer();
    await conn.write(Buffer.concat([head('POST', '/pcustomers', ['Transfer-Encoding: chunked']), chunked(JSON.stringify(body), 9)]));
    const r = await conn.next();
    assert.equal(r.status, 201, r.text);
    await conn.write(buildRequest(T, 'GET', idPath(r.json.data.id)));
    const g = await conn.next();
    assert.equal(g.status, 200, g.text);
  } finally { conn.destroy(); }
});

// ---- Host, absolute form, empty lines ----------------------------------------------------------

test('HTTP/1.1 without Host, or with two Host headers: 400', TO, async () => {
  const none = await rawRequest(T, buildRequest(T, 'GET', '/healthz', { host: null }));
  assertError(none, 400, 'BAD_REQUEST');
  const noneList = await rawRequest(T, buildRequest(T, 'GET', '/pcustomers', { host: null }));
  assertError(noneList, 400, 'BAD_REQUEST');
  const two = await rawRequest(T, buildRequest(T, 'GET', '/healthz', { headers: [['Host', hostHeader()]] }));
  assertError(two, 400, 'BAD_REQUEST');
  const twoDiff = await rawRequest(T, buildRequest(T, 'GET', '/healthz', { headers: [['Host', 'example.com']] }));
  assertError(twoDiff, 400, 'BAD_REQUEST');
  const p = uniquePhone();
  const twoPost = await rawRequest(T, buildRequest(T, 'POST', '/pcustomers', { body: newCustomer({ phone: p }), headers: [['Host', 'other.example']] }));
  assertError(twoPost, 400, 'BAD_REQUEST');
  await assertPhoneFree(p, 'POST with two Host headers');
  // HTTP/1.0 needs no Host.
  const old = await rawRequest(T, buildRequest(T, 'GET', '/healthz', { host: null, version: '1.0' }));
  assert.equal(old.status, 200, old.text);
});

test('an absolute-form target is served like the origin form', TO, async () => {
  const origin = await rawRequest(T, buildRequest(T, 'GET', '/pcustomers?limit=5'));
  assert.equal(origin.status, 200, origin.text);
  const abs = await rawRequest(T, buildRequest(T, 'GET', `http://${hostHeader()}/pcustomers?limit=5`));
  assert.equal(abs.status, 200, abs.text);
  assert.deepEqual(abs.json.data, origin.json.data);
  const one = await rawRequest(T, buildRequest(T, 'GET', `http://${hostHeader()}${idPath(victim.id)}`));
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.data.id, victim.id);
  const health = await rawRequest(T, buildRequest(T, 'GET', `http://${hostHeader()}/healthz`));
  assert.equal(health.status, 200, health.text);
  const body = newCustomer();
  const created = await rawRequest(T, buildRequest(T, 'POST', `http://${hostHeader()}/pcustomers`, { body }));
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.data.phone, body.phone);
});

test('empty lines before the request line are ignored', TO, async () => {
  const r = await rawRequest(T, Buffer.concat([Buffer.from('\r\n'), buildRequest(T, 'GET', '/healthz')]));
  assert.equal(r.status, 200, r.text);
  const conn = await connect(T);
  try {
    await conn.write(Buffer.concat([Buffer.from('\r\n\r\n'), buildRequest(T, 'GET', '/healthz', { headers: { 'X-Request-Id': 'el-1' } }),
      Buffer.from('\r\n'), buildRequest(T, 'GET', '/', { headers: { 'X-Request-Id': 'el-2' } })]));
    const a = await conn.next();
    const b = await conn.next();
    assert.deepEqual([a.status, b.status], [200, 200], `${a.text}\n${b.text}`);
    assert.deepEqual([a.headers.get('x-request-id'), b.headers.get('x-request-id')], ['el-1', 'el-2']);
  } finally { conn.destroy(); }
});

// ---- HEAD --------------------------------------------------------------------------------------

async function getRoutes() {
  const routes = ['/', '/healthz', '/readyz', '/openapi.json', '/docs', '/api-docs', '/app', '/app/', '/metrics',
    '/.well-known/jwks.json', '/pcustomers', '/pcustomers?limit=2', idPath(victim.id), idPath('CUSTOMER#1')];
  for (const page of ['/docs', '/app/']) {
    const html = (await api(T, 'GET', page)).text;
    const m = new RegExp(`${page.replace(/\/$/, '')}/assets/[A-Za-z0-9._-]+`).exec(html);
    if (m) routes.push(m[0]);
  }
  return routes;
}

const ALWAYS_DIFFERENT = new Set(['date', 'x-request-id', 'content-length', 'transfer-encoding']);

test('HEAD on every GET route: the GET\'s status and headers, Content-Length of the GET body, no body', { timeout: 60_000 }, async (t) => {
  const routes = await getRoutes();
  t.diagnostic(`routes: ${routes.join(' ')}`);
  const failures = [];
  for (const path of routes) {
    const conn = await connect(T);
    try {
      await conn.write(buildRequest(T, 'GET', path));
      const g = await conn.next();
      // HEAD, then a probe on the same connection: any body bytes after the HEAD answer would
      // be read as the start of the probe's answer.
      await conn.write(Buffer.concat([buildRequest(T, 'HEAD', path), buildRequest(T, 'GET', '/healthz', { headers: { 'X-Request-Id': 'after-head' } })]));
      const h = await conn.next(10_000, { head: true });
      const probe = await conn.next(10_000).catch((e) => ({ status: `none (${e.message})`, headers: { get: () => null } }));
      const ctx = `HEAD ${path}`;
      try {
        assert.equal(h.status, g.status, `${ctx}: status ${h.status}, GET gave ${g.status}`);
        assert.equal(h.headers.get('content-type'), g.headers.get('content-type'), `${ctx}: Content-Type`);
        const cl = h.headers.get('content-length');
        if (path === '/metrics') {
          // The counters move between the two requests; the length is that of a real body.
          assert.match(cl ?? '', /^[1-9]\d*$/, `${ctx}: Content-Length ${cl}`);
        } else {
          assert.equal(cl, String(g.body.length), `${ctx}: Content-Length ${cl}, the GET body has ${g.body.length} bytes`);
        }
        for (const [k, v] of Object.entries(g.rawHeaders)) {
          if (ALWAYS_DIFFERENT.has(k) || (path === '/metrics' && k === 'etag')) continue;
          assert.equal(h.rawHeaders[k], v, `${ctx}: header ${k}`);
        }
        assert.equal(probe.status, 200, `${ctx}: the request after HEAD got ${probe.status}: the HEAD answer carried a body`);
        assert.equal(probe.headers.get('x-request-id'), 'after-head', ctx);
      } catch (e) {
        failures.push(e.message);
      }
    } finally { conn.destroy(); }
  }
  assert.deepEqual(failures, []);
});

function allowSet(res) {
  return new Set((res.headers.get('allow') ?? '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean));
}

test('HEAD on a POST-only route: 405 with Allow and no body', TO, async () => {
  for (const path of ['/pcustomer', '/auth/sign-in', '/auth/refresh-tokens', '/auth/sign-out']) {
    const conn = await connect(T);
    try {
      await conn.write(Buffer.concat([buildRequest(T, 'HEAD', path), buildRequest(T, 'GET', '/healthz', { headers: { 'X-Request-Id': 'after-head' } })]));
      const h = await conn.next(10_000, { head: true });
      assert.equal(h.status, 405, `HEAD ${path}: ${h.status}`);
      const allow = allowSet(h);
      assert.ok(allow.has('POST'), `HEAD ${path}: Allow ${[...allow]}`);
      assert.ok(!allow.has('HEAD') && !allow.has('GET'), `HEAD ${path}: Allow ${[...allow]}`);
      const probe = await conn.next(10_000);
      assert.equal(probe.status, 200, `the request after HEAD ${path}: ${probe.status}`);
      assert.equal(probe.headers.get('x-request-id'), 'after-head');
    } finally { conn.destroy(); }
  }
});

test('405 on a GET route lists HEAD in Allow', TO, async () => {
  const cases = [
    ['POST', '/', ['GET', 'HEAD']],
    ['DELETE', '/healthz', ['GET', 'HEAD']],
    ['POST', '/readyz', ['GET', 'HEAD']],
    ['PUT', '/openapi.json', ['GET', 'HEAD']],
    ['POST', '/metrics', ['GET', 'HEAD']],
    ['POST', '/.well-known/jwks.json', ['GET', 'HEAD']],
    ['DELETE', '/pcustomers', ['GET', 'HEAD', 'POST']],
    ['PUT', idPath(victim.id), ['GET', 'HEAD', 'PATCH', 'DELETE']],
  ];
  for (const [method, path, must] of cases) {
    const res = await api(T, method, path);
    assertError(res, 405, 'METHOD_NOT_ALLOWED');
    const allow = allowSet(res);
    for (const m of must) assert.ok(allow.has(m), `${method} ${path}: Allow ${[...allow]} lacks ${m}`);
  }
  const post = await api(T, 'GET', '/pcustomer');
  assertError(post, 405, 'METHOD_NOT_ALLOWED');
  assert.ok(!allowSet(post).has('HEAD'), `GET /pcustomer: Allow ${post.headers.get('allow')}`);
});

// ---- file descriptors --------------------------------------------------------------------------

const FD_LIMIT = 256;

test(`fd limit ${FD_LIMIT} and 400 connections: start line states limit and cap, quiet log, still serving`, { timeout: 90_000 }, async (t) => {
  if (!T.local) { t.skip('needs a locally started server (PCUSTOMER_TEST_BASE_URL is set)'); return; }
  const s = await startServer({ launcher: ['sh', '-c', `ulimit -n ${FD_LIMIT} && exec "$0" "$@"`] });
  const conns = [];
  try {
    const h = await T.headersFor(s.baseUrl);
    const local = { baseUrl: s.baseUrl, headers: () => h };
    const lim = limitOf(s.pid, 'Max open files');
    t.diagnostic(`server fd limit (from /proc): soft ${lim.soft}, hard ${lim.hard}`);
    const { stdout, stderr } = s.logs();
    const startLog = stdout + stderr;
    const fl = /fd limit\D+(\d+)/i.exec(startLog);
    const mc = /max connections\D+(\d+)/i.exec(startLog);
    assert.ok(fl, `the start log does not state the fd limit:\n${startLog}`);
    assert.ok(mc, `the start log does not state the connection cap:\n${startLog}`);
    assert.equal(Number(fl[1]), lim.soft, `stated fd limit ${fl[1]}, /proc says ${lim.soft}`);
    assert.ok(Number(mc[1]) < Number(fl[1]), `connection cap ${mc[1]} is not below the fd limit ${fl[1]}`);

    const first = await connect(local);
    conns.push(first);
    await first.write(buildRequest(local, 'GET', '/healthz'));
    assert.equal((await first.next()).status, 200);
    const fdsBefore = fdCount(s.pid);
    const errBefore = s.stderrBytes();
    const cpuBefore = cpuSeconds(s.pid);
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      try { conns.push(await connect(local, { timeoutMs: 5_000 })); } catch { refused++; }
    }
    // Give a server that spins on a failing accept() the chance to show it.
    const HOLD_MS = 2_000;
    await sleep(HOLD_MS);
    const cpu = cpuSeconds(s.pid) - cpuBefore;
    const closedByServer = conns.filter((c) => c.closed).length;
    t.diagnostic(`400 connections: ${refused} refused, ${closedByServer} closed by the server; server CPU ${cpu.toFixed(2)} s in ${HOLD_MS} ms`);
    // A connection accepted before the flood is still served.
    await first.write(buildRequest(local, 'GET', '/healthz'));
    const again = await first.next(10_000);
    assert.equal(again.status, 200, 'an established connection was not served while the fd limit was reached');
    const grown = s.stderrBytes() - errBefore;
    t.diagnostic(`stderr grew by ${grown} bytes; tail:\n${s.logs().stderr.slice(-600)}`);
    assert.ok(grown <= 8 * 1024, `stderr grew by ${grown} bytes while the fd limit was reached (rate-limit that log)`);
    assert.ok(cpu < HOLD_MS / 1000 / 2, `the server used ${cpu.toFixed(2)} s of CPU in ${HOLD_MS} ms at the fd limit (a busy accept loop?)`);

    for (const c of conns) c.destroy();
    conns.length = 0;
    // A fresh connection is served again (polled: the server notices the closes in its own time).
    const deadline = Date.now() + 15_000;
    let last;
    for (;;) {
      try {
        last = await api(local, 'GET', '/healthz', { timeoutMs: 3_000 });
        if (last.status === 200) break;
      } catch (e) { last = e; }
      assert.ok(Date.now() < deadline, `no fresh request answered within 15 s after the connections closed: ${last?.message ?? describeRes(last)}`);
      await sleep(200);
    }
    const created = await api(local, 'POST', '/pcustomers', { body: newCustomer() });
    assert.equal(created.status, 201, describeRes(created));
    // The descriptors come back.
    const fdDeadline = Date.now() + 15_000;
    while (fdCount(s.pid) > fdsBefore + 8 && Date.now() < fdDeadline) await sleep(200);
    assert.ok(fdCount(s.pid) <= fdsBefore + 8, `server holds ${fdCount(s.pid)} fds, ${fdsBefore} before the flood`);
    assert.ok(s.stderrBytes() - errBefore <= 8 * 1024, `stderr grew by ${s.stderrBytes() - errBefore} bytes in all`);
  } finally {
    for (const c of conns) c.destroy();
    await s.kill9();
    removeDataDir(s.dataDir);
  }
});

// ---- SIGTERM -----------------------------------------------------------------------------------

// Phases as this process sees them. A request's phase is taken when its bytes have been handed
// to the kernel (on loopback they are then in the server's socket buffer):
//   BEFORE   before SIGTERM was sent: the server has the request, it must answer it;
//   SIGNALED after SIGTERM, before a connect was seen refused: the server may or may not know
//            yet that it is stopping; counted, not judged;
//   CLOSED   after the listener was seen closed: the server is stopping; an answer must say
//            Connection: close, and a connection it closes without answering is the ordinary
//            keep-alive race (RFC 9112 9.3.1), not a lost request.
const BEFORE = 0;
const SIGNALED = 1;
const CLOSED = 2;

/** Resolves once a connect to `baseUrl` is refused (the listener is closed). */
async function listenerClosed(baseUrl, timeoutMs) {
  const u = new URL(baseUrl);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const refused = await new Promise((resolve) => {
      const c = net.connect({ host: u.hostname, port: Number(u.port) });
      c.once('connect', () => { c.destroy(); resolve(false); });
      c.once('error', (e) => resolve(e.code === 'ECONNREFUSED'));
    });
    if (refused) return true;
    await sleep(2);
  }
  return false;
}

test('SIGTERM under keep-alive POSTs: every request the server had is answered, answers while stopping say close', { timeout: 90_000 }, async (t) => {
  if (!T.local) { t.skip('needs a locally started server (PCUSTOMER_TEST_BASE_URL is set)'); return; }
  const s = await startServer();
  const CLIENTS = 12;
  const conns = [];
  try {
    const h = await T.headersFor(s.baseUrl);
    const local = { baseUrl: s.baseUrl, headers: () => h };
    for (let i = 0; i < CLIENTS; i++) conns.push(await connect(local));
    let answered = 0;
    let phase = BEFORE;
    const logs = conns.map(() => []);
    // One request in flight per connection; the next is written as soon as the answer is read.
    const run = async (i) => {
      const conn = conns[i];
      for (let n = 0; ; n++) {
        if (conn.closed || conn.ended) return; // the server's FIN came first: nothing to send
        const rec = { n, phase: null, status: null, close: false, error: null };
        logs[i].push(rec);
        try {
          await conn.write(buildRequest(local, 'POST', '/pcustomers', { body: newCustomer(), headers: { 'X-Request-Id': `term-${i}-${n}` } }));
          rec.phase = phase;
        } catch (e) { rec.error = `write: ${e.message}`; return; }
        try {
          const r = await conn.next(20_000);
          rec.status = r.status;
          rec.close = /\bclose\b/i.test(r.headers.get('connection') ?? '');
          if (r.status !== 201) assertErrorShape(r);
          answered++;
          if (rec.close) return;
        } catch (e) {
          await conn.waitClosed(2_000);
          rec.error = `${e.message}; FIN ${conn.ended}, socket error ${conn.error?.code ?? 'none'}`;
          return;
        }
      }
    };
    const runs = conns.map((_, i) => run(i));
    const deadline = Date.now() + 30_000;
    while (answered < CLIENTS * 5 && Date.now() < deadline) await sleep(20);
    assert.ok(answered >= CLIENTS * 5, `only ${answered} answers before SIGTERM`);
    phase = SIGNALED;
    const stopped = s.stop('SIGTERM', 15_000);
    const seenClosed = await listenerClosed(s.baseUrl, 15_000);
    phase = CLOSED;
    const code = await stopped;
    await Promise.all(runs);
    assert.equal(code, 0, `exit status ${code}\n${s.logs().stderr.slice(-2000)}`);
    assert.ok(seenClosed, 'the listener did not close within 15 s of SIGTERM');

    const lost = [];
    const badStatus = [];
    const noClose = [];
    const tally = { [BEFORE]: [0, 0], [SIGNALED]: [0, 0], [CLOSED]: [0, 0] }; // [written, unanswered]
    logs.forEach((recs, i) => {
      for (const r of recs) {
        if (r.phase === null) continue;
        tally[r.phase][0]++;
        if (r.status === null) {
          tally[r.phase][1]++;
          if (r.phase === BEFORE) lost.push(`conn ${i} request ${r.n} (sent before SIGTERM): ${r.error}`);
        } else {
          if (r.status !== 201 && r.status !== 503) badStatus.push(`conn ${i} request ${r.n}: ${r.status}`);
          if (r.phase === CLOSED && !r.close) noClose.push(`conn ${i} request ${r.n}: answered while stopping without Connection: close`);
        }
      }
    });
    t.diagnostic(`requests written/unanswered: before SIGTERM ${tally[BEFORE].join('/')}, ` +
      `between SIGTERM and the listener closing ${tally[SIGNALED].join('/')}, after ${tally[CLOSED].join('/')}`);
    assert.deepEqual(lost, [], 'requests the server had before SIGTERM got no answer');
    assert.deepEqual(badStatus, []);
    assert.deepEqual(noClose, []);
  } finally {
    for (const c of conns) c.destroy();
    await s.kill9();
    removeDataDir(s.dataDir);
  }
});

// Found by the http_request fuzz target: a chunked body whose first chunk is the last one,
// sent a byte at a time, tripped an assertion in Beast's parser and aborted debug builds.
test('a final chunk and its trailer sent a byte at a time are answered, and the server lives on', TO, async () => {
  const u = new URL(T.baseUrl);
  const data = Buffer.from(`POST /healthz HTTP/1.1\r\nHost: ${u.host}\r\nTransfer-Encoding: chunked\r\n\r\n` +
    '0\r\nhello\r\n04\0\0\0\0\0\0\0T / HM\r\n\r\n', 'latin1');
  const socket = net.connect({ host: u.hostname, port: Number(u.port) });
  socket.setNoDelay(true);
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  const received = [];
  socket.on('data', (d) => received.push(d));
  socket.on('error', () => {});
  const closed = new Promise((resolve) => socket.once('close', resolve));
  for (const byte of data) {
    if (socket.destroyed) break;
    socket.write(Buffer.from([byte]));
    await sleep(2);  // separate segments, so that the server parses a byte at a time
  }
  socket.end();
  await Promise.race([closed, sleep(10_000)]);
  socket.destroy();
  const answer = Buffer.concat(received).toString('latin1');
  assert.match(answer, /^HTTP\/1\.1 [45]\d\d /, `an answer, not a dropped connection: ${JSON.stringify(answer.slice(0, 200))}`);
  await assertAlive();
});
