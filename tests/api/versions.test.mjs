// Versions and conditional requests (CONTRACT.md section 8), on whichever store the run uses:
// version and updatedAt on every lead, ETag, If-Match (412 with the current ETag) on PATCH and
// DELETE, If-None-Match (304) on GET, and racing PATCHes on one version.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupTarget } from './lib/target.mjs';
import { api, describeRes, createCustomer, idPath, assertError } from './lib/client.mjs';

let T;
before(async () => { T = await setupTarget(); }, { timeout: 60_000 });
after(async () => { await T?.close(); });

const TO = { timeout: 60_000 };

test('a new lead is at version 1, changed when created; each change adds one', TO, async () => {
  const lead = await createCustomer(T);
  assert.equal(lead.version, 1);
  assert.equal(lead.updatedAt, lead.createAt);
  const got = await api(T, 'GET', idPath(lead.id));
  assert.equal(got.headers.get('etag'), '"1"', describeRes(got));
  const patched = await api(T, 'PATCH', idPath(lead.id), { body: { age: 44 } });
  assert.equal(patched.status, 200, describeRes(patched));
  assert.equal(patched.headers.get('etag'), '"2"');
  assert.equal(patched.json.data.version, 2);
  assert.ok(patched.json.data.updatedAt >= lead.createAt, describeRes(patched));
  assert.equal(patched.json.data.createAt, lead.createAt);
});

test('If-Match: the version read writes once; a stale one is 412 with the current ETag', TO, async () => {
  const lead = await createCustomer(T);
  const ok = await api(T, 'PATCH', idPath(lead.id), { body: { age: 41 }, headers: { 'If-Match': '"1"' } });
  assert.equal(ok.status, 200, describeRes(ok));
  const stale = await api(T, 'PATCH', idPath(lead.id), { body: { age: 42 }, headers: { 'If-Match': '"1"' } });
  assertError(stale, 412, 'PRECONDITION_FAILED');
  assert.equal(stale.headers.get('etag'), '"2"');
  const staleDelete = await api(T, 'DELETE', idPath(lead.id), { headers: { 'If-Match': '"1"' } });
  assertError(staleDelete, 412, 'PRECONDITION_FAILED');
  assert.equal((await api(T, 'GET', idPath(lead.id))).json.data.age, 41);
  const bad = await api(T, 'PATCH', idPath(lead.id), { body: { age: 43 }, headers: { 'If-Match': '2' } });
  assertError(bad, 400, 'BAD_REQUEST');
  const deleted = await api(T, 'DELETE', idPath(lead.id), { headers: { 'If-Match': '"2"' } });
  assert.equal(deleted.status, 200, describeRes(deleted));
  assertError(await api(T, 'PATCH', idPath(lead.id), { body: { age: 43 }, headers: { 'If-Match': '"2"' } }), 404, 'NOT_FOUND');
});

test('If-None-Match with the current ETag is 304 without a body; after a change, 200', TO, async () => {
  const lead = await createCustomer(T);
  const same = await api(T, 'GET', idPath(lead.id), { headers: { 'If-None-Match': '"1"' } });
  assert.equal(same.status, 304, describeRes(same));
  assert.equal(same.bytes.length, 0);
  assert.equal(same.headers.get('etag'), '"1"');
  await api(T, 'PATCH', idPath(lead.id), { body: { age: 50 } });
  const changed = await api(T, 'GET', idPath(lead.id), { headers: { 'If-None-Match': '"1"' } });
  assert.equal(changed.status, 200, describeRes(changed));
  assert.equal(changed.json.data.age, 50);
});

test('20 concurrent PATCHes with one If-Match: one 200, nineteen 412, and the winner is stored', TO, async () => {
  const lead = await createCustomer(T);
  const answers = await Promise.all(Array.from({ length: 20 }, (_, n) =>
    api(T, 'PATCH', idPath(lead.id), { body: { age: 20 + n }, headers: { 'If-Match': '"1"' } })));
  const winners = answers.filter((r) => r.status === 200);
  const refused = answers.filter((r) => r.status === 412);
  assert.equal(winners.length, 1, answers.map((r) => r.status).join(' '));
  assert.equal(refused.length, 19, answers.map((r) => r.status).join(' '));
  for (const r of refused) assert.equal(r.headers.get('etag'), '"2"');
  const stored = await api(T, 'GET', idPath(lead.id));
  assert.deepEqual(stored.json.data, winners[0].json.data);
});
