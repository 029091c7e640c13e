// A lead's history (CONTRACT.md section 8), on whichever store the run uses: an entry per
// change with its caller and the fields it changed, none for a refused change, pages newest
// first, entries that survive a restart, and 404 for a lead that is not there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupTarget } from './lib/target.mjs';
import { api, describeRes, createCustomer, newCustomer, idPath, assertError } from './lib/client.mjs';

let T;
before(async () => { T = await setupTarget(); }, { timeout: 60_000 });
after(async () => { await T?.close(); });

const TO = { timeout: 60_000 };
const historyPath = (id, query = '') => `${idPath(id)}/history${query}`;

async function historyOf(id, query = '') {
  const res = await api(T, 'GET', historyPath(id, query));
  assert.equal(res.status, 200, describeRes(res));
  return res.json;
}

test('a create and an update: two entries, newest first, with caller and changes', TO, async () => {
  const body = newCustomer();
  const lead = await createCustomer(T, body);
  const patched = await api(T, 'PATCH', idPath(lead.id), { body: { age: lead.age === 44 ? 45 : 44, productCode: lead.productCode } });
  assert.equal(patched.status, 200, describeRes(patched));
  const { data, meta } = await historyOf(lead.id);
  assert.deepEqual(meta, { size: 2, limit: 10, lastKey: null });
  const [updated, created] = data;
  assert.equal(updated.version, 2);
  assert.equal(updated.action, 'updated');
  assert.equal(updated.at, patched.json.data.updatedAt);
  assert.deepEqual(updated.changes, { age: { from: lead.age, to: patched.json.data.age } });
  assert.equal(typeof updated.by.username, 'string');
  assert.ok(updated.by.username.length > 0 && updated.by.sub.length > 0, JSON.stringify(updated.by));
  assert.equal(created.version, 1);
  assert.equal(created.action, 'created');
  assert.equal(created.at, lead.createAt);
  assert.deepEqual(created.by, updated.by);
  assert.deepEqual(created.changes, {
    fullName: { from: null, to: lead.fullName },
    phone: { from: null, to: lead.phone },
    age: { from: null, to: lead.age },
    productCode: { from: null, to: lead.productCode },
    status: { from: null, to: 'new' },
    source: { from: null, to: 'other' },
  });
});

test('refused changes leave no entry', TO, async () => {
  const lead = await createCustomer(T);
  const other = await createCustomer(T);
  assertError(await api(T, 'PATCH', idPath(lead.id), { body: { age: 50 }, headers: { 'If-Match': '"9"' } }), 412, 'PRECONDITION_FAILED');
  assertError(await api(T, 'PATCH', idPath(lead.id), { body: { phone: other.phone } }), 409, 'CONFLICT');
  assertError(await api(T, 'PATCH', idPath(lead.id), { body: { age: 12 } }), 400, 'BAD_REQUEST');
  const { data } = await historyOf(lead.id);
  assert.deepEqual(data.map((e) => e.action), ['created']);
});

test('pages of 3 walk every entry once, newest first; a cursor serves only its lead', TO, async () => {
  const lead = await createCustomer(T);
  const other = await createCustomer(T);
  for (let age = 31; age <= 37; age++) {
    assert.equal((await api(T, 'PATCH', idPath(lead.id), { body: { age } })).status, 200);
  }
  const versions = [];
  let cursor = '';
  for (let page = 0; page < 10; page++) {
    const { data, meta } = await historyOf(lead.id, `?limit=3${cursor ? `&startKey=${encodeURIComponent(cursor)}` : ''}`);
    versions.push(...data.map((e) => e.version));
    if (meta.lastKey === null) break;
    cursor = meta.lastKey;
    assertError(await api(T, 'GET', historyPath(other.id, `?startKey=${encodeURIComponent(cursor)}`)), 400, 'BAD_REQUEST');
  }
  assert.deepEqual(versions, [8, 7, 6, 5, 4, 3, 2, 1]);
});

test('bad parameters are 400 naming them; a missing or erased lead is 404', TO, async () => {
  const lead = await createCustomer(T);
  for (const [query, source] of [['?limit=0', 'limit'], ['?limit=abc', 'limit'], ['?q=x', 'q'], ['?startKey=zz', 'startKey']]) {
    const error = assertError(await api(T, 'GET', historyPath(lead.id, query)), 400, 'BAD_REQUEST');
    assert.ok(error.details.reasons.some((r) => r.source === source), `${query}: ${JSON.stringify(error)}`);
  }
  assertError(await api(T, 'GET', historyPath('CUSTOMER#1795000000000999')), 404, 'NOT_FOUND');
  // Kept through the trash; erased with the lead.
  assert.equal((await api(T, 'DELETE', idPath(lead.id))).status, 200);
  assert.deepEqual((await historyOf(lead.id)).data.map((e) => e.action), ['trashed', 'created']);
  assert.equal((await api(T, 'DELETE', `/trash/${encodeURIComponent(lead.id)}`)).status, 200);
  assertError(await api(T, 'GET', historyPath(lead.id)), 404, 'NOT_FOUND');
});

test('entries survive a restart', TO, async (t) => {
  if (!T.canRestart) { t.skip(`cannot restart: ${T.cannotRestartReason}`); return; }
  const lead = await createCustomer(T);
  assert.equal((await api(T, 'PATCH', idPath(lead.id), { body: { productCode: 'car' } })).status, 200);
  const before = await historyOf(lead.id);
  await T.restart();
  assert.deepEqual(await historyOf(lead.id), before);
});
