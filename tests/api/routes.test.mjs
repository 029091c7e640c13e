// Routes, the envelope, X-Request-Id, 404/405, and the create/read/update/delete cycle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupTarget } from './lib/target.mjs';
import {
  api, describeRes, newCustomer, createCustomer, uniquePhone, intlSpaced, idPath, idNum,
  assertError, assertErrorShape, assertCustomer, assertRequestId, reasonFor, core, ID_RE, SANE_REQUEST_ID,
} from './lib/client.mjs';

let T;
before(async () => { T = await setupTarget(); }, { timeout: 60_000 });
after(async () => { await T?.close(); });

const TO = { timeout: 30_000 };

function allowSet(res) {
  const allow = res.headers.get('allow');
  assert.ok(allow, `405 without Allow header: ${describeRes(res)}`);
  return new Set(allow.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean));
}

test('GET / returns the welcome message', TO, async () => {
  const res = await api(T, 'GET', '/');
  assert.equal(res.status, 200, describeRes(res));
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/i);
  assert.equal(typeof res.json?.data?.message, 'string', describeRes(res));
  assert.match(res.json.data.message, /^Welcome/, describeRes(res));
  assertRequestId(res);
});

test('GET /healthz and GET /readyz answer 200', TO, async () => {
  for (const p of ['/healthz', '/readyz']) {
    const res = await api(T, 'GET', p);
    assert.equal(res.status, 200, `${p}: ${describeRes(res)}`);
    assertRequestId(res);
  }
});

test('GET /metrics is Prometheus text', TO, async () => {
  const res = await api(T, 'GET', '/metrics');
  assert.equal(res.status, 200, describeRes(res));
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/i);
  assert.match(res.text, /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* /m);
  assert.match(res.text, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eE]+|NaN|[+-]Inf/m);
});

test('X-Request-Id: a sane incoming id is echoed on success and error responses', TO, async () => {
  const cases = [
    ['GET', '/', 200],
    ['GET', '/pcustomers/CUSTOMER%23123', 404],
    ['GET', '/no/such/route', 404],
    ['PUT', '/pcustomers/x', 405],
    ['POST', '/pcustomers', 400],
  ];
  const ids = ['abc-123', 'A.b_C-9', 'x', 'z'.repeat(128), '0123456789abcdef0123456789abcdef'];
  let i = 0;
  for (const [method, path, status] of cases) {
    const rid = ids[i++ % ids.length];
    const res = await api(T, method, path, { headers: { 'x-request-id': rid }, ...(method === 'POST' ? { body: {} } : {}) });
    assert.equal(res.status, status, `${method} ${path}: ${describeRes(res)}`);
    assert.equal(res.headers.get('x-request-id'), rid, `${method} ${path}`);
  }
});

test('X-Request-Id: an unacceptable incoming id is replaced by a generated one', TO, async () => {
  for (const bad of ['a'.repeat(129), 'a b', 'a/b', '<script>', 'id;drop', '"quoted"', 'a\u00e9']) {
    let res;
    try {
      res = await api(T, 'GET', '/healthz', { headers: { 'x-request-id': bad } });
    } catch (e) {
      if (/ByteString|header/i.test(String(e))) continue; // fetch itself refused to send it
      throw e;
    }
    assert.equal(res.status, 200, describeRes(res));
    const got = res.headers.get('x-request-id');
    assert.ok(got && got !== bad, `bad id ${JSON.stringify(bad)} echoed`);
    assert.match(got, SANE_REQUEST_ID);
  }
  const res = await api(T, 'GET', '/healthz', { headers: { 'x-request-id': '' } });
  assert.match(res.headers.get('x-request-id') ?? '', SANE_REQUEST_ID);
});

test('X-Request-Id: generated when absent, different for each request', TO, async () => {
  const seen = new Set();
  for (let i = 0; i < 5; i++) {
    const res = await api(T, 'GET', i % 2 ? '/' : '/nope');
    seen.add(assertRequestId(res));
  }
  assert.equal(seen.size, 5, 'generated request ids repeat');
});

test('unknown paths give 404 NOT_FOUND in the error envelope', TO, async () => {
  for (const p of ['/nope', '/pcustomersx', '/pcustomers/CUSTOMER%23123/extra', '/auth/nope', '/pcustomer/CUSTOMER%23123',
    '/healthz/x', '/.env', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd']) {
    const res = await api(T, 'GET', p);
    assertError(res, 404, 'NOT_FOUND');
  }
  const res = await api(T, 'POST', '/nope', { body: newCustomer() });
  assertError(res, 404, 'NOT_FOUND');
});

test('known paths with a wrong method give 405 METHOD_NOT_ALLOWED with Allow', TO, async () => {
  const item = ['GET', 'PATCH', 'DELETE'];
  const cases = [
    ['PUT', '/pcustomers/x', item, ['POST', 'PUT']],
    ['PUT', '/pcustomers/CUSTOMER%23123', item, ['POST', 'PUT']],
    ['POST', '/pcustomers/CUSTOMER%23123', item, ['POST', 'PUT']],
    ['DELETE', '/pcustomers', ['GET', 'POST'], ['DELETE', 'PATCH']],
    ['PATCH', '/pcustomers', ['GET', 'POST'], ['DELETE', 'PATCH']],
    ['PUT', '/pcustomers', ['GET', 'POST'], ['DELETE', 'PATCH', 'PUT']],
    ['GET', '/pcustomer', ['POST'], ['GET', 'DELETE']],
    ['POST', '/', ['GET'], ['POST']],
    ['POST', '/healthz', ['GET'], ['POST']],
    ['DELETE', '/readyz', ['GET'], ['DELETE']],
  ];
  for (const [method, path, must, mustNot] of cases) {
    const res = await api(T, method, path);
    assertError(res, 405, 'METHOD_NOT_ALLOWED');
    const allow = allowSet(res);
    for (const m of must) assert.ok(allow.has(m), `${method} ${path}: Allow ${[...allow]} lacks ${m}`);
    for (const m of mustNot) assert.ok(!allow.has(m), `${method} ${path}: Allow ${[...allow]} has ${m}`);
  }
});

test('POST /pcustomers creates: 201, Location, server-set id, type and createAt', TO, async () => {
  const body = newCustomer({ fullName: 'Nguyễn Văn An', age: 30, productCode: 'household_tool' });
  const before = Date.now();
  const res = await api(T, 'POST', '/pcustomers', { body });
  assert.equal(res.status, 201, describeRes(res));
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/i);
  assertRequestId(res);
  const c = res.json.data;
  assertCustomer(c, body);
  assert.ok(Math.abs(Date.parse(c.createAt) - before) < 3_600_000, `createAt ${c.createAt} far from now`);
  const loc = res.headers.get('location');
  assert.ok(loc, 'no Location header');
  assert.match(new URL(loc, T.baseUrl).pathname, /^\/pcustomers\/CUSTOMER%23\d+$/);
  assert.equal(new URL(loc, T.baseUrl).pathname, idPath(c.id));
  const got = await api(T, 'GET', new URL(loc, T.baseUrl).pathname);
  assert.equal(got.status, 200, describeRes(got));
  assert.deepEqual(core(got.json.data), core(c));
});

test('POST /pcustomer (the reference path) creates too', TO, async () => {
  const body = newCustomer();
  const res = await api(T, 'POST', '/pcustomer', { body });
  assert.equal(res.status, 201, describeRes(res));
  assertCustomer(res.json.data, body);
  assert.equal(new URL(res.headers.get('location') ?? '/', T.baseUrl).pathname, idPath(res.json.data.id));
  const got = await api(T, 'GET', idPath(res.json.data.id));
  assert.equal(got.status, 200, describeRes(got));
  assert.deepEqual(core(got.json.data), core(res.json.data));
});

test('ids increase with creation time', TO, async () => {
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push((await createCustomer(T)).id);
  for (let i = 1; i < ids.length; i++) assert.ok(idNum(ids[i]) > idNum(ids[i - 1]), `ids not increasing: ${ids}`);
});

test('GET /pcustomers/{id} returns the object; percent-encoded letters in the id decode', TO, async () => {
  const c = await createCustomer(T);
  const res = await api(T, 'GET', idPath(c.id));
  assert.equal(res.status, 200, describeRes(res));
  assert.deepEqual(core(res.json.data), core(c));
  assertRequestId(res);
  const res2 = await api(T, 'GET', `/pcustomers/${c.id.replace('#', '%23').replace('CUSTOMER', '%43USTOMER')}`);
  assert.equal(res2.status, 200, `percent-encoded letters: ${describeRes(res2)}`);
});

test('GET, PATCH and DELETE of unknown or malformed ids give 404', TO, async () => {
  const real = await createCustomer(T);
  const digits = real.id.slice('CUSTOMER#'.length);
  const ids = [
    'CUSTOMER%23123', 'CUSTOMER%231', `CUSTOMER%23${digits}9`, `CUSTOMER%230${digits}`, `CUSTOMER%23${digits}%20`,
    `%20CUSTOMER%23${digits}`, `customer%23${digits}`, digits, 'abc', 'CUSTOMER%23', 'CUSTOMER%23abc', 'CUSTOMER%23-5',
    'CUSTOMER%2312.5', `CUSTOMER%23${'9'.repeat(400)}`, 'CUSTOMER%2318446744073709551616', 'CUSTOMER%23123%00',
    '%00', 'CUSTOMER%2312%2034', `CUSTOMER${digits}`, `CUSTOMER%2F${digits}`, `CUSTOMER%23%EF%BC%91`,
  ];
  for (const id of ids) {
    const p = `/pcustomers/${id}`;
    assertError(await api(T, 'GET', p), 404, 'NOT_FOUND');
    assertError(await api(T, 'PATCH', p, { body: { age: 40 } }), 404, 'NOT_FOUND');
    assertError(await api(T, 'DELETE', p), 404, 'NOT_FOUND');
  }
  // Bad percent-encoding: a client error, never 5xx.
  for (const p of ['/pcustomers/%ZZ', '/pcustomers/CUSTOMER%2', '/pcustomers/%']) {
    const res = await api(T, 'GET', p);
    assert.ok(res.status === 400 || res.status === 404, `${p}: ${describeRes(res)}`);
    assertErrorShape(res);
  }
  const after = await api(T, 'GET', idPath(real.id));
  assert.deepEqual(core(after.json.data), core(real), 'a 404 request changed a real customer');
});

test('PATCH updates each field alone and leaves the others', TO, async () => {
  const c = await createCustomer(T, { fullName: 'Nguyễn Văn An', age: 30, productCode: 'household_tool' });
  const steps = [
    { fullName: 'Trần Thị Bích' },
    { phone: uniquePhone() },
    { age: 45 },
    { productCode: 'credit_card' },
  ];
  let cur = c;
  for (const patch of steps) {
    const res = await api(T, 'PATCH', idPath(c.id), { body: patch });
    assert.equal(res.status, 200, `${JSON.stringify(patch)}: ${describeRes(res)}`);
    const expected = { ...core(cur), ...patch };
    assert.deepEqual(core(res.json.data), expected, JSON.stringify(patch));
    const got = await api(T, 'GET', idPath(c.id));
    assert.deepEqual(core(got.json.data), expected, `GET after ${JSON.stringify(patch)}`);
    cur = got.json.data;
  }
});

test('PATCH updates several fields at once; phone keeps its leading zero', TO, async () => {
  const c = await createCustomer(T);
  const phone = uniquePhone();
  const patch = { fullName: 'Lê Hoàng Long', phone: intlSpaced(phone), age: 18, productCode: 'car' };
  const res = await api(T, 'PATCH', idPath(c.id), { body: patch });
  assert.equal(res.status, 200, describeRes(res));
  const expected = { ...core(c), ...patch, phone };
  assert.deepEqual(core(res.json.data), expected);
  assert.equal(typeof res.json.data.phone, 'string');
  assert.deepEqual(core((await api(T, 'GET', idPath(c.id))).json.data), expected);
});

test('PATCH rejects id, type and createAt keys and leaves the customer unchanged', TO, async () => {
  const c = await createCustomer(T);
  const other = await createCustomer(T);
  const bad = [
    { id: other.id },
    { id: 'CUSTOMER#1', age: 50 },
    { type: 'admin' },
    { createAt: '2000-01-01T00:00:00.000Z', fullName: 'Trần Thị Bích' },
    { id: c.id, type: 'potential_customer', createAt: c.createAt },
  ];
  for (const body of bad) {
    const res = await api(T, 'PATCH', idPath(c.id), { body });
    const e = assertError(res, 400, 'BAD_REQUEST');
    for (const k of ['id', 'type', 'createAt'].filter((k) => k in body)) {
      assert.ok(e.details.reasons.some((r) => r.source === k), `no reason for ${k}: ${describeRes(res)}`);
    }
  }
  assert.deepEqual(core((await api(T, 'GET', idPath(c.id))).json.data), core(c));
  assert.deepEqual(core((await api(T, 'GET', idPath(other.id))).json.data), core(other));
});

test('PATCH of a missing id never creates it', TO, async () => {
  const c = await createCustomer(T);
  const missing = `CUSTOMER#${idNum(c.id) + 1000000n}`;
  const res = await api(T, 'PATCH', idPath(missing), { body: newCustomer() });
  assertError(res, 404, 'NOT_FOUND');
  assertError(await api(T, 'GET', idPath(missing)), 404, 'NOT_FOUND');
  assertError(await api(T, 'PATCH', idPath('CUSTOMER#123'), { body: { age: 30 } }), 404, 'NOT_FOUND');
  assertError(await api(T, 'GET', idPath('CUSTOMER#123')), 404, 'NOT_FOUND');
});

test('DELETE returns {"data": true}; then GET, PATCH and DELETE give 404', TO, async () => {
  const c = await createCustomer(T);
  const res = await api(T, 'DELETE', idPath(c.id));
  assert.equal(res.status, 200, describeRes(res));
  assert.deepEqual(res.json, { data: true });
  assertRequestId(res);
  assertError(await api(T, 'GET', idPath(c.id)), 404, 'NOT_FOUND');
  assertError(await api(T, 'PATCH', idPath(c.id), { body: { age: 33 } }), 404, 'NOT_FOUND');
  assertError(await api(T, 'DELETE', idPath(c.id)), 404, 'NOT_FOUND');
  assertError(await api(T, 'GET', idPath(c.id)), 404, 'NOT_FOUND');
});

test('a duplicate phone on create gives 409 CONFLICT naming the existing customer', TO, async () => {
  const c = await createCustomer(T);
  for (const phone of [c.phone, intlSpaced(c.phone), '84' + c.phone.slice(1), `${c.phone.slice(0, 4)}.${c.phone.slice(4, 7)}.${c.phone.slice(7)}`]) {
    const res = await api(T, 'POST', '/pcustomers', { body: newCustomer({ phone }) });
    const e = assertError(res, 409, 'CONFLICT');
    assert.ok(e.details.reasons.some((r) => r.source === 'phone' && r.desc === c.id),
      `409 should name ${c.id}: ${describeRes(res)}`);
  }
  const singular = await api(T, 'POST', '/pcustomer', { body: newCustomer({ phone: c.phone }) });
  assertError(singular, 409, 'CONFLICT');
});

test('a duplicate phone on PATCH gives 409; re-sending its own phone is fine', TO, async () => {
  const a = await createCustomer(T);
  const b = await createCustomer(T);
  const res = await api(T, 'PATCH', idPath(b.id), { body: { phone: intlSpaced(a.phone), age: 77 } });
  assertError(res, 409, 'CONFLICT');
  assert.deepEqual(reasonFor(res, 'phone'), { source: 'phone', desc: a.id }, describeRes(res));
  assert.deepEqual(core((await api(T, 'GET', idPath(b.id))).json.data), core(b), 'a rejected PATCH changed data');
  const same = await api(T, 'PATCH', idPath(b.id), { body: { phone: intlSpaced(b.phone) } });
  assert.equal(same.status, 200, describeRes(same));
  assert.equal(same.json.data.phone, b.phone);
});

test('the phone of a deleted customer can be used again', TO, async () => {
  const a = await createCustomer(T);
  assert.equal((await api(T, 'DELETE', idPath(a.id))).status, 200);
  const b = await createCustomer(T, { phone: a.phone });
  assert.notEqual(b.id, a.id);
  assert.equal(b.phone, a.phone);
});

test('phones are stored and returned in the national 10-digit form', TO, async () => {
  const forms = [
    (n) => n,
    (n) => '84' + n.slice(1),
    (n) => '+84' + n.slice(1),
    (n) => intlSpaced(n),
    (n) => `${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7)}`,
    (n) => `${n.slice(0, 4)}.${n.slice(4, 7)}.${n.slice(7)}`,
    (n) => `${n.slice(0, 4)}-${n.slice(4, 7)}-${n.slice(7)}`,
    (n) => `+84-${n.slice(1, 4)}-${n.slice(4, 7)}-${n.slice(7)}`,
    (n) => `  ${n}  `,
  ];
  for (const f of forms) {
    const national = uniquePhone();
    const res = await api(T, 'POST', '/pcustomers', { body: newCustomer({ phone: f(national) }) });
    assert.equal(res.status, 201, `${JSON.stringify(f(national))}: ${describeRes(res)}`);
    assert.equal(res.json.data.phone, national, JSON.stringify(f(national)));
    const got = await api(T, 'GET', idPath(res.json.data.id));
    assert.equal(got.json.data.phone, national);
  }
});

test('names are stored NFC and trimmed; other text trimmed', TO, async () => {
  const nfc = 'Nguyễn Văn An';
  const nfd = nfc.normalize('NFD');
  assert.notEqual(nfd, nfc);
  const res = await api(T, 'POST', '/pcustomers', { body: newCustomer({ fullName: `  ${nfd}\t`, productCode: ' household_tool ' }) });
  assert.equal(res.status, 201, describeRes(res));
  assert.equal(res.json.data.fullName, nfc);
  assert.equal(res.json.data.productCode, 'household_tool');
  const got = await api(T, 'GET', idPath(res.json.data.id));
  assert.equal(got.json.data.fullName, nfc);
  const p = await api(T, 'PATCH', idPath(res.json.data.id), { body: { fullName: 'Trần Thị Bích'.normalize('NFD') } });
  assert.equal(p.status, 200, describeRes(p));
  assert.equal(p.json.data.fullName, 'Trần Thị Bích'.normalize('NFC'));
  assert.match(res.json.data.id, ID_RE);
});
