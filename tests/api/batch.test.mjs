// POST /pcustomers/batch (CONTRACT.md section 8), on whichever store the run uses: up to 100
// leads, each judged on its own, one result per item in order; upsert updates by phone; 101
// items are 413 and a malformed request 400, with nothing written; a key makes a retry safe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupTarget } from './lib/target.mjs';
import { api, describeRes, newCustomer, createCustomer, uniquePhone, idPath, assertError } from './lib/client.mjs';

let T;
before(async () => { T = await setupTarget(); }, { timeout: 60_000 });
after(async () => { await T?.close(); });

const TO = { timeout: 120_000 };
const batch = (body, headers = {}) => api(T, 'POST', '/pcustomers/batch', { body, headers, timeoutMs: 60_000 });

test('100 items with some invalid and some duplicate: one result each, in order', TO, async () => {
  const existing = await createCustomer(T);
  const items = Array.from({ length: 100 }, () => newCustomer());
  const invalid = new Set([7, 33, 64]);
  items[7] = newCustomer({ phone: '12345' });
  items[33] = newCustomer({ age: 17 });
  items[64] = { ...newCustomer(), id: 'x' };
  items[20] = newCustomer({ phone: items[10].phone });  // an earlier item's phone
  items[90] = newCustomer({ phone: existing.phone });   // a stored lead's phone
  const res = await batch({ items });
  assert.equal(res.status, 200, describeRes(res));
  const { results } = res.json.data;
  assert.equal(results.length, 100);
  for (const [i, result] of results.entries()) {
    if (invalid.has(i)) {
      assert.equal(result.status, 400, `item ${i}: ${JSON.stringify(result)}`);
      assert.equal(result.error.code, 'BAD_REQUEST');
    } else if (i === 20 || i === 90) {
      assert.equal(result.status, 409, `item ${i}: ${JSON.stringify(result)}`);
      assert.equal(result.error.code, 'CONFLICT');
      const holder = i === 20 ? results[10].data.id : existing.id;
      assert.ok(result.error.details.reasons.some((r) => r.source === 'phone' && r.desc === holder), JSON.stringify(result));
    } else {
      assert.equal(result.status, 201, `item ${i}: ${JSON.stringify(result)}`);
      assert.equal(result.data.fullName, items[i].fullName);
      assert.equal(result.data.version, 1);
    }
  }
  // Each accepted item is stored as answered.
  for (const i of [0, 10, 99]) {
    const got = await api(T, 'GET', idPath(results[i].data.id));
    assert.deepEqual(got.json.data, results[i].data);
  }
  const history = await api(T, 'GET', `${idPath(results[0].data.id)}/history`);
  assert.deepEqual(history.json.data.map((e) => e.action), ['created']);
});

test('upsert updates the lead holding the phone, creates the others, leaves equal ones alone', TO, async () => {
  const existing = await createCustomer(T);
  const same = await createCustomer(T);
  const fresh = newCustomer();
  const res = await batch({
    mode: 'upsert',
    items: [
      { fullName: existing.fullName, phone: existing.phone, age: existing.age === 50 ? 51 : 50, productCode: 'car' },
      fresh,
      { fullName: same.fullName, phone: same.phone, age: same.age, productCode: same.productCode },
    ],
  });
  assert.equal(res.status, 200, describeRes(res));
  const [updated, created, unchanged] = res.json.data.results;
  assert.equal(updated.status, 200, JSON.stringify(updated));
  assert.equal(updated.data.id, existing.id);
  assert.equal(updated.data.productCode, 'car');
  assert.equal(updated.data.version, 2);
  assert.equal(created.status, 201, JSON.stringify(created));
  assert.equal(created.data.phone, fresh.phone);
  assert.equal(unchanged.status, 200, JSON.stringify(unchanged));
  assert.deepEqual(unchanged.data, same);
  assert.deepEqual((await api(T, 'GET', idPath(existing.id))).json.data, updated.data);
});

test('101 items are 413, a malformed request 400, and neither writes anything', TO, async () => {
  const phones = Array.from({ length: 101 }, () => uniquePhone());
  const tooMany = await batch({ items: phones.map((phone) => newCustomer({ phone })) });
  const error = assertError(tooMany, 413, 'PAYLOAD_TOO_LARGE');
  assert.ok(error.details.reasons.some((r) => r.source === 'items'), describeRes(tooMany));
  for (const [body, source] of [
    [[], 'body'], [{}, 'items'], [{ items: [] }, 'items'], [{ items: {} }, 'items'],
    [{ items: [newCustomer()], mode: 'merge' }, 'mode'], [{ items: [newCustomer()], extra: 1 }, 'extra'],
  ]) {
    const res = await batch(body);
    const refused = assertError(res, 400, 'BAD_REQUEST');
    assert.ok(refused.details.reasons.some((r) => r.source === source), `${JSON.stringify(body)}: ${describeRes(res)}`);
  }
  // The phones of the refused request are all still free.
  for (const phone of [phones[0], phones[100]]) {
    assert.equal((await api(T, 'POST', '/pcustomers', { body: newCustomer({ phone }) })).status, 201);
  }
});

test('a batch retried with its Idempotency-Key replays the first answer', TO, async () => {
  const body = { items: [newCustomer(), newCustomer()] };
  const headers = { 'Idempotency-Key': `batch-${uniquePhone()}` };
  const first = await batch(body, headers);
  assert.equal(first.status, 200, describeRes(first));
  assert.deepEqual(first.json.data.results.map((r) => r.status), [201, 201]);
  const again = await batch(body, headers);
  assert.equal(again.status, 200);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.json, first.json);
});
