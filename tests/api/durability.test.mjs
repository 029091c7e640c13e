// Concurrency and durability: concurrent creates, restarts, kill -9 during writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setupTarget } from './lib/target.mjs';
import {
  api, describeRes, newCustomer, createCustomer, uniquePhone, idPath, core, pool, assertError, assertCustomer,
} from './lib/client.mjs';

let T;
before(async () => { T = await setupTarget(); }, { timeout: 60_000 });
after(async () => { await T?.close(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('32 concurrent creates: all 201, distinct ids, each readable with its own data', { timeout: 60_000 }, async () => {
  const bodies = Array.from({ length: 32 }, () => newCustomer());
  const results = await Promise.all(bodies.map((body) => api(T, 'POST', '/pcustomers', { body })));
  for (const res of results) assert.equal(res.status, 201, describeRes(res));
  const ids = results.map((r) => r.json.data.id);
  assert.equal(new Set(ids).size, 32, `duplicate ids: ${ids}`);
  await Promise.all(results.map(async (r, i) => {
    assertCustomer(r.json.data, bodies[i]);
    const got = await api(T, 'GET', idPath(r.json.data.id));
    assert.equal(got.status, 200, describeRes(got));
    assert.deepEqual(core(got.json.data), core(r.json.data), `customer ${i} lost or overwritten`);
  }));
});

test('concurrent creates with one phone: exactly one 201, the rest 409 naming it', { timeout: 60_000 }, async () => {
  const phone = uniquePhone();
  const results = await Promise.all(Array.from({ length: 12 }, () => api(T, 'POST', '/pcustomers', { body: newCustomer({ phone }) })));
  const ok = results.filter((r) => r.status === 201);
  assert.equal(ok.length, 1, results.map(describeRes).join('\n'));
  const winner = ok[0].json.data.id;
  for (const r of results.filter((x) => x.status !== 201)) {
    const e = assertError(r, 409, 'CONFLICT');
    assert.ok(e.details.reasons.some((x) => x.source === 'phone' && x.desc === winner), describeRes(r));
  }
});

test('concurrent PATCHes to one phone: exactly one wins', { timeout: 60_000 }, async () => {
  const cs = await pool(8, 8, () => createCustomer(T));
  const phone = uniquePhone();
  const results = await Promise.all(cs.map((c) => api(T, 'PATCH', idPath(c.id), { body: { phone } })));
  const ok = results.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, results.map(describeRes).join('\n'));
  for (const r of results.filter((x) => x.status !== 200)) assertError(r, 409, 'CONFLICT');
});

test('concurrent DELETEs of one customer: exactly one 200, the rest 404', { timeout: 60_000 }, async () => {
  const c = await createCustomer(T);
  const results = await Promise.all(Array.from({ length: 10 }, () => api(T, 'DELETE', idPath(c.id))));
  assert.equal(results.filter((r) => r.status === 200).length, 1, results.map(describeRes).join('\n'));
  for (const r of results.filter((x) => x.status !== 200)) assertError(r, 404, 'NOT_FOUND');
});

test('concurrent PATCH and DELETE never resurrect a customer', { timeout: 60_000 }, async () => {
  const cs = await pool(10, 5, () => createCustomer(T));
  await Promise.all(cs.flatMap((c) => [
    api(T, 'PATCH', idPath(c.id), { body: { age: 55 } }),
    api(T, 'DELETE', idPath(c.id)),
    api(T, 'PATCH', idPath(c.id), { body: { productCode: 'car' } }),
  ]));
  for (const c of cs) assertError(await api(T, 'GET', idPath(c.id)), 404, 'NOT_FOUND');
});

test('restart keeps data, updates, deletes and cursors', { timeout: 90_000 }, async (t) => {
  if (!T.canRestart) { t.skip(`cannot restart: ${T.cannotRestartReason}`); return; }
  const mine = await pool(15, 5, () => createCustomer(T));
  const patched = mine[13];
  const deleted = mine[14];
  const p = await api(T, 'PATCH', idPath(patched.id), { body: { age: 61, productCode: 'life_insurance' } });
  assert.equal(p.status, 200, describeRes(p));
  assert.equal((await api(T, 'DELETE', idPath(deleted.id))).status, 200);

  const first = await api(T, 'GET', '/pcustomers?limit=5');
  assert.equal(first.status, 200, describeRes(first));
  const cursor = first.json.meta.lastKey;
  assert.equal(typeof cursor, 'string');
  const second = await api(T, 'GET', `/pcustomers?limit=5&startKey=${encodeURIComponent(cursor)}`);
  assert.equal(second.status, 200, describeRes(second));

  const code = await T.stopServer('SIGTERM');
  assert.equal(code, 0, 'exit status after SIGTERM');
  await T.startAgain();

  const again = await api(T, 'GET', `/pcustomers?limit=5&startKey=${encodeURIComponent(cursor)}`);
  assert.equal(again.status, 200, `cursor after restart: ${describeRes(again)}`);
  assert.deepEqual(again.json.data.map(core), second.json.data.map(core));
  assert.equal(again.json.meta.size, second.json.meta.size);
  assert.equal(again.json.meta.limit, 5);
  assert.equal(typeof again.json.meta.lastKey, 'string');
  const thirdOld = await api(T, 'GET', `/pcustomers?limit=5&startKey=${encodeURIComponent(second.json.meta.lastKey)}`);
  const thirdNew = await api(T, 'GET', `/pcustomers?limit=5&startKey=${encodeURIComponent(again.json.meta.lastKey)}`);
  assert.equal(thirdOld.status, 200, describeRes(thirdOld));
  assert.deepEqual(thirdNew.json.data.map(core), thirdOld.json.data.map(core));
  for (const c of mine.slice(0, 13)) {
    const got = await api(T, 'GET', idPath(c.id));
    assert.equal(got.status, 200, describeRes(got));
    assert.deepEqual(core(got.json.data), core(c));
  }
  const gp = await api(T, 'GET', idPath(patched.id));
  assert.deepEqual(core(gp.json.data), core(p.json.data));
  assertError(await api(T, 'GET', idPath(deleted.id)), 404, 'NOT_FOUND');
  // New ids after a restart are still above the old ones.
  const fresh = await createCustomer(T);
  assert.ok(BigInt(fresh.id.slice(9)) > BigInt(mine.at(-1).id.slice(9)), `${fresh.id} <= ${mine.at(-1).id}`);
});

// Keep this test last: it leaves the server stopped.
test('kill -9 during a write load loses no acknowledged create; the database is intact', { timeout: 120_000 }, async (t) => {
  if (!T.local) { t.skip('needs a locally started server (PCUSTOMER_TEST_BASE_URL is set)'); return; }
  const acked = [];
  const unexpected = [];
  let stop = false;
  const writer = async () => {
    while (!stop) {
      const body = newCustomer();
      try {
        const res = await api(T, 'POST', '/pcustomers', { body, timeoutMs: 10_000 });
        if (res.status === 201) acked.push({ body, data: res.json.data });
        else if (!stop) unexpected.push(describeRes(res));
      } catch (e) {
        if (!stop) { unexpected.push(`request failed before the kill: ${e.message}`); await sleep(5); }
      }
    }
  };
  const writers = Array.from({ length: 8 }, writer);
  await sleep(1500);
  for (let i = 0; i < 50 && acked.length < 20; i++) await sleep(100);
  stop = true;
  await T.stopServer('SIGKILL');
  await Promise.all(writers);
  t.diagnostic(`${acked.length} creates acknowledged before the kill`);
  assert.deepEqual(unexpected, [], 'non-201 answers under a normal write load');
  assert.ok(acked.length >= 20, `only ${acked.length} creates acknowledged before the kill`);
  assert.equal(new Set(acked.map((a) => a.data.id)).size, acked.length, 'duplicate ids among acknowledged creates');

  await T.startAgain();
  const lost = [];
  await pool(acked.length, 16, async (i) => {
    const { body, data } = acked[i];
    const got = await api(T, 'GET', idPath(data.id));
    if (got.status !== 200) { lost.push(`${data.id}: ${describeRes(got)}`); return; }
    assertCustomer(got.json.data, body);
    assert.deepEqual(core(got.json.data), core(data));
  });
  assert.equal(lost.length, 0, `${lost.length} of ${acked.length} acknowledged creates lost, e.g.\n${lost.slice(0, 5).join('\n')}`);
  // The store still takes writes after the crash.
  await createCustomer(T);

  const code = await T.stopServer('SIGTERM');
  assert.equal(code, 0, 'exit status after SIGTERM');
  if (T.store !== 'sqlite') { t.diagnostic(`store ${T.store}: no SQLite integrity check`); return; }
  const db = path.join(T.dataDir, 'pcustomer.db');
  assert.ok(fs.existsSync(db), `${db} missing`);
  let out;
  try {
    out = execFileSync('sqlite3', [db, 'PRAGMA integrity_check'], { encoding: 'utf8', timeout: 60_000 });
  } catch (e) {
    if (e.code === 'ENOENT') assert.fail('the sqlite3 command-line tool is not installed (apt-get install sqlite3)');
    throw e;
  }
  assert.equal(out.trim(), 'ok');
});
