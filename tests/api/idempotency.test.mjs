// Idempotency-Key (CONTRACT.md section 8), on whichever store the run uses: a retried create
// makes one lead and gets the first answer again, also after a restart; the key with another
// request is 422; while the first request runs, 409 with Retry-After; bad keys are 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { setupTarget } from './lib/target.mjs';
import { api, describeRes, newCustomer, createCustomer, idPath, assertError } from './lib/client.mjs';

let T;
before(async () => { T = await setupTarget(); }, { timeout: 60_000 });
after(async () => { await T?.close(); });

const TO = { timeout: 90_000 };
const newKey = () => `lead-${crypto.randomUUID()}`;
const keyed = (key) => ({ 'Idempotency-Key': key });

/** What a replay must repeat: status, body and Location. */
function answerOf(res) {
  return { status: res.status, body: res.text, location: res.headers.get('location') };
}

/** The same create is answered 409 while it runs; then it is the first answer, replayed. */
async function untilFinal(body, key) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const res = await api(T, 'POST', '/pcustomers', { body, headers: keyed(key) });
    if (res.status !== 409) return res;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the create stayed in flight');
}

test('50 concurrent creates with one key: one lead, every final answer the same', TO, async () => {
  const body = newCustomer();
  const key = newKey();
  const answers = await Promise.all(Array.from({ length: 50 }, () =>
    api(T, 'POST', '/pcustomers', { body, headers: keyed(key) })));
  const created = answers.filter((r) => r.status === 201);
  const inFlight = answers.filter((r) => r.status === 409);
  assert.equal(created.length + inFlight.length, 50, answers.map(describeRes).join('\n'));
  assert.ok(created.length >= 1, answers.map((r) => r.status).join(' '));
  for (const r of inFlight) {
    assertError(r, 409, 'CONFLICT');
    assert.match(r.headers.get('retry-after') ?? '', /^[1-9]\d*$/, describeRes(r));
  }
  const first = answerOf(created[0]);
  assert.equal(first.location, `/pcustomers/${encodeURIComponent(created[0].json.data.id)}`);
  for (const r of created) assert.deepEqual(answerOf(r), first);
  // Exactly one of the 201s is the original; the others say they are replays.
  assert.equal(created.filter((r) => r.headers.get('idempotent-replayed') !== 'true').length, 1);
  for (const r of inFlight) {
    const retried = await untilFinal(body, key);
    assert.deepEqual(answerOf(retried), first);
    assert.equal(retried.headers.get('idempotent-replayed'), 'true');
  }
  // One lead holds the phone: another create with it (and no key) is refused.
  const again = await api(T, 'POST', '/pcustomers', { body });
  const error = assertError(again, 409, 'CONFLICT');
  assert.ok(error.details.reasons.some((x) => x.source === 'phone' && x.desc === created[0].json.data.id), describeRes(again));
});

test('a kept answer replays after a restart', TO, async (t) => {
  if (!T.canRestart) { t.skip(`cannot restart: ${T.cannotRestartReason}`); return; }
  const body = newCustomer();
  const key = newKey();
  const first = await api(T, 'POST', '/pcustomers', { body, headers: keyed(key) });
  assert.equal(first.status, 201, describeRes(first));
  assert.equal(first.headers.get('idempotent-replayed'), null);
  await T.restart();
  const replay = await api(T, 'POST', '/pcustomers', { body, headers: keyed(key) });
  assert.deepEqual(answerOf(replay), answerOf(first));
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  assert.equal(replay.headers.get('etag'), first.headers.get('etag'));
});

test('the key with another body, path or method is 422 and changes nothing', TO, async () => {
  const body = newCustomer();
  const key = newKey();
  const first = await api(T, 'POST', '/pcustomers', { body, headers: keyed(key) });
  assert.equal(first.status, 201, describeRes(first));
  const otherBody = newCustomer();
  assertError(await api(T, 'POST', '/pcustomers', { body: otherBody, headers: keyed(key) }), 422, 'UNPROCESSABLE_ENTITY');
  assertError(await api(T, 'POST', '/pcustomer', { body, headers: keyed(key) }), 422, 'UNPROCESSABLE_ENTITY');
  assertError(await api(T, 'PATCH', idPath(first.json.data.id), { body: { age: 30 }, headers: keyed(key) }),
    422, 'UNPROCESSABLE_ENTITY');
  // Nothing of the refused requests landed: the other phone is still free, the lead unchanged.
  assert.equal((await api(T, 'POST', '/pcustomers', { body: otherBody })).status, 201);
  const stored = await api(T, 'GET', idPath(first.json.data.id));
  assert.deepEqual(stored.json.data, first.json.data);
});

test('a PATCH with a key applies once: its retry replays the first answer', TO, async () => {
  const lead = await createCustomer(T);
  const key = newKey();
  const first = await api(T, 'PATCH', idPath(lead.id), { body: { age: 52 }, headers: keyed(key) });
  assert.equal(first.status, 200, describeRes(first));
  assert.equal(first.json.data.version, 2);
  const retry = await api(T, 'PATCH', idPath(lead.id), { body: { age: 52 }, headers: keyed(key) });
  assert.deepEqual(answerOf(retry), answerOf(first));
  assert.equal(retry.headers.get('etag'), '"2"');
  assert.equal((await api(T, 'GET', idPath(lead.id))).json.data.version, 2);
});

test('a refused create is kept too: its retry gets the same 400, marked as a replay', TO, async () => {
  const key = newKey();
  const body = newCustomer({ phone: '12' });
  const first = await api(T, 'POST', '/pcustomers', { body, headers: keyed(key) });
  assertError(first, 400, 'BAD_REQUEST');
  const retry = await api(T, 'POST', '/pcustomers', { body, headers: keyed(key) });
  assert.equal(retry.status, 400);
  assert.deepEqual(retry.json.error.details, first.json.error.details);
  assert.equal(retry.headers.get('idempotent-replayed'), 'true');
});

test('keys in quotes are the same keys; bad keys are 400 naming the header', TO, async () => {
  const body = newCustomer();
  const key = newKey();
  const first = await api(T, 'POST', '/pcustomers', { body, headers: keyed(key) });
  assert.equal(first.status, 201, describeRes(first));
  const quoted = await api(T, 'POST', '/pcustomers', { body, headers: keyed(`"${key}"`) });
  assert.deepEqual(answerOf(quoted), answerOf(first));
  for (const bad of ['""', 'x'.repeat(256), '"unterminated\\"', '"a"b"']) {
    const res = await api(T, 'POST', '/pcustomers', { body: newCustomer(), headers: keyed(bad) });
    const error = assertError(res, 400, 'BAD_REQUEST');
    assert.ok(error.details.reasons.some((x) => x.source === 'Idempotency-Key'), describeRes(res));
  }
  // A header value outside ASCII reaches the server as raw bytes.
  const raw = await rawPost(Buffer.from('Idempotency-Key: kh\u00f3a\r\n', 'latin1'));
  assert.match(raw, /^HTTP\/1\.1 400 /, raw.slice(0, 200));
});

/** A POST written by hand, for header bytes fetch() refuses to send. */
async function rawPost(headerLine) {
  const net = await import('node:net');
  const url = new URL(T.baseUrl);
  const body = Buffer.from(JSON.stringify(newCustomer()));
  const auth = Object.entries(T.headers()).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const head = Buffer.from(`POST /pcustomers HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n${auth}` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n`, 'latin1');
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.write(Buffer.concat([head, headerLine, Buffer.from('\r\n'), body]));
  });
}
