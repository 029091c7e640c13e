// GET /pcustomers: limit, cursors (startKey / meta.lastKey), ordering, completeness.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupTarget } from './lib/target.mjs';
import {
  api, describeRes, createCustomer, idPath, idNum, core, listAll, pool, assertError, assertCustomer,
} from './lib/client.mjs';

let T;
before(async () => { T = await setupTarget(); }, { timeout: 60_000 });
after(async () => { await T?.close(); });

const created = [];

const b64url = (s) => Buffer.from(s, 'utf8').toString('base64url');

async function page(limit, key) {
  const q = `/pcustomers?limit=${limit}` + (key != null ? `&startKey=${encodeURIComponent(key)}` : '');
  const res = await api(T, 'GET', q);
  assert.equal(res.status, 200, `${q}: ${describeRes(res)}`);
  return res.json;
}

test('an empty store lists nothing (fresh local server only)', { timeout: 30_000 }, async (t) => {
  // A server started here is empty on sqlite, and on DynamoDB when each gets its own table.
  const fresh = T.local && (T.store === 'sqlite' || process.env.PCUSTOMER_TEST_TABLE_PER_SERVER);
  if (!fresh) { t.skip('only a freshly started server with a store of its own is known to be empty'); return; }
  const res = await api(T, 'GET', '/pcustomers');
  assert.equal(res.status, 200, describeRes(res));
  assert.deepEqual(res.json.data, []);
  assert.deepEqual(res.json.meta, { size: 0, limit: 10, lastKey: null });
});

test('250 creates paged through with limit 7: each exactly once, ascending, last lastKey null', { timeout: 120_000 }, async () => {
  const made = await pool(250, 8, () => createCustomer(T));
  created.push(...made);
  assert.equal(new Set(made.map((c) => c.id)).size, 250, 'duplicate ids among creates');
  const all = await listAll(T, 7);
  for (let i = 1; i < all.length; i++) {
    assert.ok(idNum(all[i].id) > idNum(all[i - 1].id), `not strictly ascending at ${i}: ${all[i - 1].id}, ${all[i].id}`);
  }
  const seen = new Map();
  for (const c of all) seen.set(c.id, (seen.get(c.id) ?? 0) + 1);
  for (const c of made) {
    assert.equal(seen.get(c.id), 1, `${c.id} listed ${seen.get(c.id) ?? 0} times`);
  }
  const byId = new Map(all.map((c) => [c.id, c]));
  for (const c of made) {
    assertCustomer(byId.get(c.id));
    assert.deepEqual(core(byId.get(c.id)), core(c), `listed data of ${c.id}`);
  }
});

test('default limit is 10 and meta describes the page', { timeout: 30_000 }, async () => {
  const res = await api(T, 'GET', '/pcustomers');
  assert.equal(res.status, 200, describeRes(res));
  const { data, meta } = res.json;
  assert.equal(data.length, 10);
  assert.equal(meta.size, 10);
  assert.equal(meta.limit, 10);
  assert.equal(typeof meta.lastKey, 'string');
  assert.equal(Object.keys(res.json).sort().join(','), 'data,meta');
  const again = await page(10, meta.lastKey);
  assert.ok(idNum(again.data[0].id) > idNum(data[9].id));
});

test('limit 1 and limit 100 work', { timeout: 30_000 }, async () => {
  const one = await page(1);
  assert.equal(one.data.length, 1);
  assert.equal(one.meta.limit, 1);
  assert.equal(one.meta.size, 1);
  const two = await page(1, one.meta.lastKey);
  assert.equal(two.data.length, 1);
  assert.ok(idNum(two.data[0].id) > idNum(one.data[0].id));
  const hundred = await page(100);
  assert.equal(hundred.data.length, 100);
  assert.equal(hundred.meta.size, 100);
  assert.equal(hundred.meta.limit, 100);
  assert.equal(typeof hundred.meta.lastKey, 'string');
});

test('bad limit values give 400 BAD_REQUEST', { timeout: 30_000 }, async () => {
  for (const v of ['0', '101', 'abc', '-1', '1.5', '', '99999999999999999999', '5abc', '0x10', '1000', '%00', 'null']) {
    const res = await api(T, 'GET', `/pcustomers?limit=${v}`);
    assertError(res, 400, 'BAD_REQUEST');
  }
});

test('startKey values the service did not issue give 400 BAD_REQUEST', { timeout: 30_000 }, async () => {
  const some = created[5] ?? (await createCustomer(T));
  const reference = [
    JSON.stringify({ id: some.id, type: 'potential_customer' }),
    JSON.stringify({ type: 'potential_customer', id: some.id }),
    JSON.stringify({ id: some.id }),
    JSON.stringify({ id: { S: some.id }, type: { S: 'potential_customer' } }),
  ];
  const garbage = [
    'garbage', '!!!!', 'null', '0', '-1', some.id, encodeURIComponent(some.id).replace('%', ''), 'A'.repeat(4000),
    'eyJ9', '%00', ...reference.map(b64url), ...reference.map((s) => Buffer.from(s).toString('base64')), ...reference,
  ];
  for (const k of garbage) {
    const res = await api(T, 'GET', `/pcustomers?limit=5&startKey=${encodeURIComponent(k)}`);
    assertError(res, 400, 'BAD_REQUEST');
  }
});

test('a tampered or truncated cursor gives 400 BAD_REQUEST', { timeout: 30_000 }, async () => {
  const first = await page(5);
  const key = first.meta.lastKey;
  assert.ok(key && key.length >= 4, `cursor ${key}`);
  const swap = (s, i) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const variants = new Set([
    swap(key, Math.floor(key.length / 2)), swap(key, 0), swap(key, Math.floor(key.length / 3)),
    key.slice(0, -4), key.slice(0, Math.floor(key.length / 2)), key.slice(1), key + 'AAAA',
  ]);
  variants.delete(key);
  for (const k of variants) {
    const res = await api(T, 'GET', `/pcustomers?limit=5&startKey=${encodeURIComponent(k)}`);
    assert.ok(res.status === 400, `cursor ${JSON.stringify(k)} (from ${JSON.stringify(key)}): ${describeRes(res)}`);
    assertError(res, 400, 'BAD_REQUEST');
  }
  // The genuine cursor still works.
  const next = await page(5, key);
  assert.ok(idNum(next.data[0].id) > idNum(first.data[4].id));
});

test('a cursor issued for one limit works with another limit', { timeout: 30_000 }, async () => {
  const a = await page(3);
  const b = await page(8, a.meta.lastKey);
  const whole = await page(11);
  assert.deepEqual([...a.data, ...b.data].map((c) => c.id), whole.data.map((c) => c.id));
});

test('a cursor keeps working when the customer it points at is deleted', { timeout: 30_000 }, async () => {
  const extra = [];
  for (let i = 0; i < 6; i++) extra.push(await createCustomer(T));
  // A cursor positioned right after extra[2]: find its page, then re-read up to it.
  let prevKey = null;
  let key = null;
  for (let n = 0; n < 100_000; n++) {
    const p = await page(100, prevKey);
    const idx = p.data.findIndex((c) => c.id === extra[2].id);
    if (idx >= 0) {
      const upTo = await page(idx + 1, prevKey);
      assert.equal(upTo.data.at(-1).id, extra[2].id);
      key = upTo.meta.lastKey;
      break;
    }
    assert.ok(p.meta.lastKey, `${extra[2].id} not listed`);
    prevKey = p.meta.lastKey;
  }
  assert.ok(key, 'no cursor after a customer that has successors');
  const del = await api(T, 'DELETE', idPath(extra[2].id));
  assert.equal(del.status, 200, describeRes(del));
  const next = await page(3, key);
  assert.deepEqual(next.data.map((c) => c.id), extra.slice(3, 6).map((c) => c.id));
});

test('listing with limit 100 returns every id once', { timeout: 60_000 }, async () => {
  const all = await listAll(T, 100);
  assert.ok(all.length >= 250);
  const ids = all.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, 'an id is listed twice');
});
