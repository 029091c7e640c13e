// The trash (CONTRACT.md section 8), on whichever store the run uses: DELETE moves a lead
// there (gone from get, list and search, its phone free), GET /trash lists it newest deletion
// first with who and when, restore brings it back (If-Match; 409 naming the lead that took its
// phone), DELETE /trash/{id} erases it with its history, and the sweep erases old deletions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { setupTarget } from './lib/target.mjs';
import { binaryPath, extraServerEnv } from './lib/server.mjs';
import { api, describeRes, createCustomer, newCustomer, idPath, assertError } from './lib/client.mjs';

let T;
before(async () => { T = await setupTarget(); }, { timeout: 60_000 });
after(async () => { await T?.close(); });

const TO = { timeout: 60_000 };
const trashPath = (id, rest = '') => `/trash/${encodeURIComponent(id)}${rest}`;

/** Every lead of the trash, walking its pages of `limit`. */
async function wholeTrash(limit = 100) {
  const items = [];
  let cursor = '';
  for (let page = 0; page < 1000; page++) {
    const res = await api(T, 'GET', `/trash?limit=${limit}${cursor ? `&startKey=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200, describeRes(res));
    items.push(...res.json.data);
    if (res.json.meta.lastKey === null) return items;
    cursor = res.json.meta.lastKey;
  }
  throw new Error('the trash does not end');
}

test('a deleted lead leaves get, list and search, frees its phone and waits in the trash', TO, async () => {
  const lead = await createCustomer(T);
  const deleted = await api(T, 'DELETE', idPath(lead.id));
  assert.equal(deleted.status, 200, describeRes(deleted));
  assert.deepEqual(deleted.json, { data: true });
  assertError(await api(T, 'GET', idPath(lead.id)), 404, 'NOT_FOUND');
  const search = await api(T, 'GET', `/pcustomers?q=${lead.phone}&limit=100`);
  assert.equal(search.status, 200, describeRes(search));
  assert.ok(!search.json.data.some((c) => c.id === lead.id), 'a trashed lead is not found');
  const trashed = (await wholeTrash()).find((c) => c.id === lead.id);
  assert.ok(trashed, 'the lead is in the trash');
  assert.equal(trashed.version, 2);
  assert.equal(trashed.deletedAt, trashed.updatedAt);
  assert.ok(trashed.deletedAt >= lead.createAt);
  assert.equal(typeof trashed.deletedBy, 'string');
  assert.ok(trashed.deletedBy.length > 0);
  for (const field of ['fullName', 'phone', 'age', 'productCode', 'createAt', 'type']) {
    assert.equal(trashed[field], lead[field], field);
  }
  const history = await api(T, 'GET', `${idPath(lead.id)}/history`);
  assert.equal(history.status, 200, describeRes(history));
  assert.deepEqual(history.json.data.map((e) => e.action), ['trashed', 'created']);
  assert.equal((await api(T, 'POST', '/pcustomers', { body: newCustomer({ phone: lead.phone }) })).status, 201);
});

test('a restore brings the lead back at the next version; a stale If-Match is 412', TO, async () => {
  const lead = await createCustomer(T);
  assert.equal((await api(T, 'DELETE', idPath(lead.id))).status, 200);
  const stale = await api(T, 'POST', trashPath(lead.id, '/restore'), { headers: { 'If-Match': '"1"' } });
  assertError(stale, 412, 'PRECONDITION_FAILED');
  assert.equal(stale.headers.get('etag'), '"2"');
  const restored = await api(T, 'POST', trashPath(lead.id, '/restore'), { headers: { 'If-Match': '"2"' } });
  assert.equal(restored.status, 200, describeRes(restored));
  assert.equal(restored.headers.get('etag'), '"3"');
  assert.equal(restored.json.data.version, 3);
  assert.equal(restored.json.data.phone, lead.phone);
  assert.deepEqual((await api(T, 'GET', idPath(lead.id))).json.data, restored.json.data);
  assert.ok(!(await wholeTrash()).some((c) => c.id === lead.id));
  assertError(await api(T, 'POST', trashPath(lead.id, '/restore')), 404, 'NOT_FOUND');
  const history = await api(T, 'GET', `${idPath(lead.id)}/history`);
  assert.deepEqual(history.json.data.map((e) => e.action), ['restored', 'trashed', 'created']);
});

test('a restore whose phone was taken meanwhile is 409 naming the holder, and waits', TO, async () => {
  const lead = await createCustomer(T);
  assert.equal((await api(T, 'DELETE', idPath(lead.id))).status, 200);
  const holder = await createCustomer(T, { phone: lead.phone });
  const refused = await api(T, 'POST', trashPath(lead.id, '/restore'));
  const error = assertError(refused, 409, 'CONFLICT');
  assert.ok(error.details.reasons.some((r) => r.source === 'phone' && r.desc === holder.id), describeRes(refused));
  assert.ok((await wholeTrash()).some((c) => c.id === lead.id), 'still in the trash');
  assert.equal((await api(T, 'DELETE', idPath(holder.id))).status, 200);
  assert.equal((await api(T, 'POST', trashPath(lead.id, '/restore'))).status, 200);
});

test('a restore with an Idempotency-Key replays; a second key finds nothing to restore', TO, async () => {
  const lead = await createCustomer(T);
  assert.equal((await api(T, 'DELETE', idPath(lead.id))).status, 200);
  const headers = { 'Idempotency-Key': `restore-${lead.id}` };
  const first = await api(T, 'POST', trashPath(lead.id, '/restore'), { headers });
  assert.equal(first.status, 200, describeRes(first));
  const again = await api(T, 'POST', trashPath(lead.id, '/restore'), { headers });
  assert.equal(again.status, 200, describeRes(again));
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.json, first.json);
  assertError(await api(T, 'POST', trashPath(lead.id, '/restore'), { headers: { 'Idempotency-Key': `other-${lead.id}` } }),
    404, 'NOT_FOUND');
});

test('an erasure removes the lead and its history for good; only trashed leads are erased', TO, async () => {
  const lead = await createCustomer(T);
  assertError(await api(T, 'DELETE', trashPath(lead.id)), 404, 'NOT_FOUND');
  assert.equal((await api(T, 'GET', idPath(lead.id))).status, 200, 'a live lead is never erased here');
  assert.equal((await api(T, 'DELETE', idPath(lead.id))).status, 200);
  const erased = await api(T, 'DELETE', trashPath(lead.id));
  assert.equal(erased.status, 200, describeRes(erased));
  assert.deepEqual(erased.json, { data: true });
  assertError(await api(T, 'DELETE', trashPath(lead.id)), 404, 'NOT_FOUND');
  assertError(await api(T, 'POST', trashPath(lead.id, '/restore')), 404, 'NOT_FOUND');
  assertError(await api(T, 'GET', `${idPath(lead.id)}/history`), 404, 'NOT_FOUND');
  assert.ok(!(await wholeTrash()).some((c) => c.id === lead.id));
});

test('the trash pages newest deletion first and meets each lead once', TO, async () => {
  const mine = [];
  for (let n = 0; n < 5; n++) {
    const lead = await createCustomer(T);
    assert.equal((await api(T, 'DELETE', idPath(lead.id))).status, 200);
    mine.unshift(lead.id);
  }
  const seen = (await wholeTrash(2)).map((c) => c.id);
  assert.equal(new Set(seen).size, seen.length, 'no lead twice');
  assert.deepEqual(seen.filter((id) => mine.includes(id)), mine);
  for (const [query, source] of [['?limit=0', 'limit'], ['?sort=age', 'sort'], ['?startKey=zz', 'startKey']]) {
    const error = assertError(await api(T, 'GET', `/trash${query}`), 400, 'BAD_REQUEST');
    assert.ok(error.details.reasons.some((r) => r.source === source), `${query}: ${JSON.stringify(error)}`);
  }
});

test('the trash survives a restart', TO, async (t) => {
  if (!T.canRestart) { t.skip(`cannot restart: ${T.cannotRestartReason}`); return; }
  const lead = await createCustomer(T);
  assert.equal((await api(T, 'DELETE', idPath(lead.id))).status, 200);
  const before = await wholeTrash();
  await T.restart();
  assert.deepEqual(await wholeTrash(), before);
  assert.equal((await api(T, 'POST', trashPath(lead.id, '/restore'))).status, 200);
});

test('`pcustomer trash sweep` erases leads trashed more than PCUSTOMER_TRASH_DAYS ago', TO, async (t) => {
  if (!T.canRestart) { t.skip(`no data directory: ${T.cannotRestartReason}`); return; }
  const leads = [await createCustomer(T), await createCustomer(T)];
  for (const lead of leads) assert.equal((await api(T, 'DELETE', idPath(lead.id))).status, 200);
  const sweep = (days) => spawnSync(binaryPath(), ['trash', 'sweep', '--data-dir', T.dataDir], {
    cwd: T.dataDir, env: { ...process.env, ...extraServerEnv(), PCUSTOMER_TRASH_DAYS: days },
    encoding: 'utf8', timeout: 60_000,
  });
  const kept = sweep('30');
  assert.equal(kept.status, 0, kept.stderr);
  assert.match(kept.stdout, /^erased 0 lead\(s\) trashed over 30 day\(s\) ago$/m);
  assert.ok((await wholeTrash()).some((c) => c.id === leads[0].id));
  const swept = sweep('0');
  assert.equal(swept.status, 0, swept.stderr);
  const count = Number(/^erased (\d+) lead/m.exec(swept.stdout)?.[1]);
  assert.ok(count >= 2, swept.stdout);
  const left = await wholeTrash();
  for (const lead of leads) {
    assert.ok(!left.some((c) => c.id === lead.id), `${lead.id} erased`);
    assertError(await api(T, 'GET', `${idPath(lead.id)}/history`), 404, 'NOT_FOUND');
  }
  const bad = sweep('-1');
  assert.equal(bad.status, 2, `${bad.stdout}${bad.stderr}`);
  assert.match(bad.stderr, /PCUSTOMER_TRASH_DAYS/);
});
