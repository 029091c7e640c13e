// History and crashes (CONTRACT.md section 8): a kill -9 during a mixed write load (creates,
// updates, deletes, restores), then a restart. Every acknowledged change has its history entry
// and every entry its change: each lead's entries run 1..its version without a gap, the last
// one at the version the lead is at, each acknowledged version among them. On SQLite the
// database passes PRAGMA integrity_check afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setupTarget } from './lib/target.mjs';
import { api, describeRes, newCustomer, idPath, pool } from './lib/client.mjs';

let T;
before(async () => { T = await setupTarget(); }, { timeout: 60_000 });
after(async () => { await T?.close(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The whole history of a lead, oldest first. */
async function historyOf(id) {
  const entries = [];
  let cursor = '';
  for (let page = 0; page < 100; page++) {
    const res = await api(T, 'GET', `${idPath(id)}/history?limit=100${cursor ? `&startKey=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200, describeRes(res));
    entries.push(...res.json.data);
    if (res.json.meta.lastKey === null) return entries.reverse();
    cursor = res.json.meta.lastKey;
  }
  throw new Error('the history does not end');
}

/** Every trashed lead by id. */
async function trashById() {
  const byId = new Map();
  let cursor = '';
  for (let page = 0; page < 1000; page++) {
    const res = await api(T, 'GET', `/trash?limit=100${cursor ? `&startKey=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200, describeRes(res));
    for (const lead of res.json.data) byId.set(lead.id, lead);
    if (res.json.meta.lastKey === null) return byId;
    cursor = res.json.meta.lastKey;
  }
  throw new Error('the trash does not end');
}

test('kill -9 during creates, updates, deletes and restores: history and changes agree', { timeout: 180_000 }, async (t) => {
  if (!T.local) { t.skip('needs a locally started server (PCUSTOMER_TEST_BASE_URL is set)'); return; }
  if (process.env.PCUSTOMER_TEST_DYNAMODB_PEER === 'dynalite') {
    // Without TransactWriteItems a change and its entry are two writes (README, "History"):
    // a kill between them is exactly what this test would catch. DynamoDB Local runs it.
    t.skip('dynalite has no TransactWriteItems, so a change and its history entry are two writes');
    return;
  }
  const acked = new Map();  // lead id -> [{version, action}]
  let stop = false;
  const ack = (id, version, action) => {
    if (!acked.has(id)) acked.set(id, []);
    acked.get(id).push({ version, action });
  };
  const send = async (method, url, body) => {
    try {
      return await api(T, method, url, { body, timeoutMs: 10_000 });
    } catch {
      return null;  // the kill cut it off: not acknowledged
    }
  };
  const writer = async () => {
    while (!stop) {
      const created = await send('POST', '/pcustomers', newCustomer());
      if (created?.status !== 201) continue;
      const { id } = created.json.data;
      ack(id, 1, 'created');
      let version = 1;
      let unsure = false;  // a change whose answer did not come: its version is unknown
      for (let n = 0; n < 3 && !stop && !unsure; n++) {
        const patched = await send('PATCH', idPath(id), { age: 20 + n });
        if (patched?.status === 200) {
          version = patched.json.data.version;
          ack(id, version, 'updated');
        } else {
          unsure = true;
        }
      }
      if (stop || unsure) continue;
      const deleted = await send('DELETE', idPath(id));
      if (deleted?.status !== 200) continue;
      ack(id, version + 1, 'trashed');
      if (id.endsWith('0') || id.endsWith('5')) continue;  // some stay in the trash
      const restored = await send('POST', `/trash/${encodeURIComponent(id)}/restore`);
      if (restored?.status === 200) ack(id, restored.json.data.version, 'restored');
    }
  };
  const writers = Array.from({ length: 8 }, writer);
  await sleep(1500);
  for (let i = 0; i < 50 && acked.size < 20; i++) await sleep(100);
  stop = true;
  await T.stopServer('SIGKILL');
  await Promise.all(writers);
  t.diagnostic(`${acked.size} leads with acknowledged changes before the kill`);
  assert.ok(acked.size >= 10, `only ${acked.size} leads acknowledged before the kill`);

  await T.startAgain();
  const trash = await trashById();
  const problems = [];
  await pool(acked.size, 8, async (i) => {
    const [id, changes] = [...acked.entries()][i];
    const live = await api(T, 'GET', idPath(id));
    const version = live.status === 200 ? live.json.data.version : trash.get(id)?.version;
    if (version === undefined) { problems.push(`${id}: neither live nor in the trash`); return; }
    const entries = await historyOf(id);
    const versions = entries.map((e) => e.version);
    const expected = Array.from({ length: version }, (_, n) => n + 1);
    if (JSON.stringify(versions) !== JSON.stringify(expected)) {
      problems.push(`${id} at version ${version}: entries ${versions.join(',')}`);
    }
    for (const { version: v, action } of changes) {
      if (entries[v - 1]?.action !== action) problems.push(`${id}: acknowledged ${action} at ${v}, entry ${JSON.stringify(entries[v - 1])}`);
    }
    const last = entries.at(-1)?.action;
    if ((live.status === 200) !== (last !== 'trashed')) problems.push(`${id}: last entry ${last}, live ${live.status === 200}`);
  });
  assert.deepEqual(problems, []);

  const code = await T.stopServer('SIGTERM');
  assert.equal(code, 0, 'exit status after SIGTERM');
  if (T.store !== 'sqlite') { t.diagnostic(`store ${T.store}: no SQLite integrity check`); return; }
  const out = execFileSync('sqlite3', [path.join(T.dataDir, 'pcustomer.db'), 'PRAGMA integrity_check'],
    { encoding: 'utf8', timeout: 60_000 });
  assert.equal(out.trim(), 'ok');
  await T.startAgain();
});
