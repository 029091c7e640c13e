// Working on leads (CONTRACT.md section 9) on whichever store the run uses: the workflow
// fields and their rules, their filters, notes, round-robin assignment under concurrency and
// past a disabled user, and /stats against a full count after a mixed workload. The server is
// started here, with the local identity provider, PCUSTOMER_ASSIGNMENT=round_robin and its own
// users: admin (team sales) and sale1..sale3 (sales) take turns; mkt1 (marketing) only reads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, describeRes, newCustomer, idPath, assertError, reasonFor, listAll, pool,
} from './lib/client.mjs';
import { cliOk, addUser, signIn, bearer } from './lib/auth.mjs';
import { startServer } from './lib/server.mjs';
import { removeDataDir } from './lib/target.mjs';

const SKIP = process.env.PCUSTOMER_TEST_BASE_URL ? 'starts its own server and runs the user CLI' : false;
const TO = { timeout: 120_000, skip: SKIP };
const ADMIN_PASSWORD = 'Flow#Admin12';
const PW = 'Flow#Pass123';
const TAKING_TURNS = ['admin', 'sale1', 'sale2', 'sale3'];

let server;
const tokens = {};
const as = (name) => ({ baseUrl: server.baseUrl, headers: () => bearer(tokens[name]) });

before(async () => {
  if (SKIP) return;
  server = await startServer({
    env: { PCUSTOMER_ADMIN_PASSWORD: ADMIN_PASSWORD, PCUSTOMER_AUTH: 'local', PCUSTOMER_ASSIGNMENT: 'round_robin' },
  });
  for (const name of ['sale1', 'sale2', 'sale3']) await addUser(server.dataDir, name, { role: 'employee', team: 'sales', password: PW });
  await addUser(server.dataDir, 'mkt1', { role: 'employee', team: 'marketing', password: PW });
  const anonymous = { baseUrl: server.baseUrl, headers: () => ({}) };
  tokens.admin = (await signIn(anonymous, 'admin', ADMIN_PASSWORD)).accessToken;
  for (const name of ['sale1', 'sale2', 'sale3', 'mkt1']) tokens[name] = (await signIn(anonymous, name, PW)).accessToken;
}, { timeout: 90_000 });

after(async () => {
  if (!server) return;
  const dir = server.dataDir;
  await server.stop('SIGTERM');
  removeDataDir(dir);
});

// A fresh product code (letters only) that tags one test's leads.
const letters = () => Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

async function create(who, over = {}) {
  const body = newCustomer(over);
  const res = await api(as(who), 'POST', '/pcustomers', { body });
  assert.equal(res.status, 201, `create ${JSON.stringify(body)}: ${describeRes(res)}`);
  return res.json.data;
}

async function patch(who, id, body) {
  const res = await api(as(who), 'PATCH', idPath(id), { body });
  assert.equal(res.status, 200, `patch ${JSON.stringify(body)}: ${describeRes(res)}`);
  return res.json.data;
}

async function search(who, query) {
  const res = await api(as(who), 'GET', `/pcustomers?${query}&limit=100`);
  assert.equal(res.status, 200, describeRes(res));
  return res.json.data;
}

test('a lead carries status, owner, source and e-mail; the rules refuse what is not one', TO, async () => {
  const lead = await create('sale1', { status: 'contacted', source: 'zalo', email: ' Chi.Thao@Example.VN ', ownerId: 'SALE2' });
  assert.equal(lead.status, 'contacted');
  assert.equal(lead.source, 'zalo');
  assert.equal(lead.email, 'chi.thao@example.vn', 'trimmed and lower-cased');
  assert.equal(lead.ownerId, 'sale2', 'the username as the provider spells it');
  const plain = await create('sale1', { ownerId: null });
  assert.deepEqual([plain.status, plain.source, plain.ownerId, plain.email], ['new', 'other', null, null],
    'defaults; an explicit null owner is not assigned');

  const moved = await patch('sale1', lead.id, { status: 'won', email: null, ownerId: null });
  assert.deepEqual([moved.status, moved.email, moved.ownerId, moved.version], ['won', null, null, 2]);

  const bad = await api(as('sale1'), 'POST', '/pcustomers', {
    body: newCustomer({ status: 'open', source: 'email', email: 'a@b..c', ownerId: 'nobody' }),
  });
  assertError(bad, 400, 'BAD_REQUEST');
  assert.match(reasonFor(bad, 'status').desc, /new, contacted, qualified, won, lost/);
  assert.match(reasonFor(bad, 'source').desc, /web, zalo, facebook, tiktok, referral, event, phone_call, import, other/);
  assert.ok(reasonFor(bad, 'email'), describeRes(bad));
  const unknown = await api(as('sale1'), 'PATCH', idPath(lead.id), { body: { ownerId: 'nobody' } });
  assertError(unknown, 400, 'BAD_REQUEST');
  assert.match(reasonFor(unknown, 'ownerId').desc, /nobody/);
  for (const email of ['plain', 'a@', '@b.vn', 'a b@c.vn', `${'x'.repeat(250)}@b.vn`]) {
    assertError(await api(as('sale1'), 'PATCH', idPath(lead.id), { body: { email } }), 400, 'BAD_REQUEST');
  }
  const history = await api(as('sale1'), 'GET', `${idPath(lead.id)}/history`);
  assert.deepEqual(history.json.data[0].changes, {
    status: { from: 'contacted', to: 'won' }, ownerId: { from: 'sale2', to: null }, email: { from: 'chi.thao@example.vn', to: null },
  });
  const reassigned = await patch('sale1', lead.id, { ownerId: 'sale3' });
  assert.equal(reassigned.ownerId, 'sale3');
  const entries = (await api(as('sale1'), 'GET', `${idPath(lead.id)}/history`)).json.data;
  assert.equal(entries[0].action, 'assigned', 'a change of owner alone is an assignment');
});

test('filters: status and source (OR within, AND across), ownerId=me, unassigned, updatedAt order', TO, async () => {
  const tag = `filter_${letters()}`;
  const a = await create('sale1', { productCode: tag, status: 'qualified', source: 'tiktok', ownerId: 'sale1' });
  const b = await create('sale1', { productCode: tag, status: 'lost', source: 'tiktok', ownerId: null });
  const c = await create('sale1', { productCode: tag, status: 'qualified', source: 'event', ownerId: 'sale2' });
  const ids = (rows) => rows.map((r) => r.id);
  assert.deepEqual(ids(await search('sale1', `productCode=${tag}&status=qualified`)), [a.id, c.id]);
  assert.deepEqual(ids(await search('sale1', `productCode=${tag}&status=qualified&status=lost&source=tiktok`)), [a.id, b.id]);
  assert.deepEqual(ids(await search('sale1', `productCode=${tag}&ownerId=me`)), [a.id]);
  assert.deepEqual(ids(await search('sale2', `productCode=${tag}&ownerId=me`)), [c.id], 'me is the caller');
  assert.deepEqual(ids(await search('sale1', `productCode=${tag}&ownerId=sale2`)), [c.id]);
  assert.deepEqual(ids(await search('sale1', `productCode=${tag}&unassigned=true`)), [b.id]);
  assert.deepEqual(ids(await search('sale1', `productCode=${tag}&unassigned=false`)), [a.id, c.id]);
  await patch('sale1', a.id, { age: a.age === 30 ? 31 : 30 });
  assert.deepEqual(ids(await search('sale1', `productCode=${tag}&sort=-updatedAt`)), [a.id, c.id, b.id]);
  assert.deepEqual(ids(await search('sale1', `productCode=${tag}&sort=updatedAt`)), [b.id, c.id, a.id]);
  for (const q of ['status=open', 'source=mail', 'unassigned=1', 'ownerId=a%20b', 'sort=updated']) {
    assertError(await api(as('sale1'), 'GET', `/pcustomers?${q}`), 400, 'BAD_REQUEST');
  }
});

test('notes: written by sales, read by marketing, newest first, in the history, checked', TO, async () => {
  const lead = await create('sale1', { ownerId: 'sale1' });
  const first = await api(as('sale1'), 'POST', `${idPath(lead.id)}/notes`, { body: { text: '  Gọi lại chiều thứ Sáu  ' } });
  assert.equal(first.status, 201, describeRes(first));
  assert.deepEqual(Object.keys(first.json.data), ['id', 'at', 'by', 'text']);
  assert.equal(first.json.data.text, 'Gọi lại chiều thứ Sáu');
  assert.equal(first.json.data.by.username, 'sale1');
  const second = await api(as('admin'), 'POST', `${idPath(lead.id)}/notes`, { body: { text: 'Đã gửi báo giá' } });
  assert.equal(second.status, 201, describeRes(second));
  assertError(await api(as('mkt1'), 'POST', `${idPath(lead.id)}/notes`, { body: { text: 'x' } }), 403, 'FORBIDDEN');
  const listed = await api(as('mkt1'), 'GET', `${idPath(lead.id)}/notes?limit=1`);
  assert.equal(listed.status, 200, describeRes(listed));
  assert.deepEqual(listed.json.data.map((n) => n.text), ['Đã gửi báo giá']);
  const rest = await api(as('mkt1'), 'GET', `${idPath(lead.id)}/notes?limit=1&startKey=${encodeURIComponent(listed.json.meta.lastKey)}`);
  assert.deepEqual(rest.json.data.map((n) => n.text), ['Gọi lại chiều thứ Sáu']);
  assert.equal(rest.json.meta.lastKey, null);
  const history = (await api(as('mkt1'), 'GET', `${idPath(lead.id)}/history`)).json.data;
  assert.deepEqual(history.map((e) => e.action), ['noted', 'noted', 'created']);
  assert.deepEqual(history[0].changes, { note: { from: null, to: 'Đã gửi báo giá' } });
  for (const body of [{ text: '   ' }, { text: 'x'.repeat(2001) }, { text: 5 }, {}, { text: 'a', extra: 1 }]) {
    assertError(await api(as('sale1'), 'POST', `${idPath(lead.id)}/notes`, { body }), 400, 'BAD_REQUEST');
  }
  assert.equal((await api(as('sale1'), 'POST', `${idPath(lead.id)}/notes`, { body: { text: 'ư'.repeat(2000) } })).status, 201);
  assertError(await api(as('sale1'), 'POST', `${idPath('CUSTOMER#1')}/notes`, { body: { text: 'x' } }), 404, 'NOT_FOUND');
  assertError(await api(as('mkt1'), 'PATCH', idPath(lead.id), { body: { ownerId: 'sale2' } }), 403, 'FORBIDDEN');
});

test('round robin: 64 concurrent creates give each of the 4 sales users 16; a disabled one is skipped', TO, async () => {
  const tag = `turns_${letters()}`;
  const made = await pool(64, 64, () => create('sale1', { productCode: tag }));
  const per = {};
  for (const lead of made) per[lead.ownerId] = (per[lead.ownerId] ?? 0) + 1;
  assert.deepEqual(per, Object.fromEntries(TAKING_TURNS.map((name) => [name, 16])));

  await cliOk(server.dataDir, ['user', 'disable', 'sale3']);
  const later = [];
  for (let i = 0; i < 6; i++) later.push(await create('sale1', { productCode: `${tag}_after` }));
  const owners = later.map((l) => l.ownerId).sort();
  assert.deepEqual(owners, ['admin', 'admin', 'sale1', 'sale1', 'sale2', 'sale2']);
  // The disabled user keeps his leads, and cannot be given new ones.
  assert.equal((await search('sale1', `productCode=${tag}&ownerId=sale3`)).length, 16);
  assertError(await api(as('sale1'), 'POST', '/pcustomers', { body: newCustomer({ ownerId: 'sale3' }) }), 400, 'BAD_REQUEST');
});

test('/stats equals a full count after a random mixed workload, and marketing reads it', TO, async () => {
  const statuses = ['new', 'contacted', 'qualified', 'won', 'lost'];
  const sources = ['web', 'zalo', 'facebook', 'tiktok', 'referral', 'event', 'phone_call', 'import', 'other'];
  let seed = 12345;
  const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const leads = [];
  for (let i = 0; i < 40; i++) {
    leads.push(await create('sale1', { status: statuses[random(5)], source: sources[random(9)] }));
  }
  for (let i = 0; i < 40; i++) {
    const lead = leads[random(leads.length)];
    const step = random(4);
    if (step === 0) await patch('sale1', lead.id, { status: statuses[random(5)] });
    if (step === 1) await patch('sale1', lead.id, { source: sources[random(9)], productCode: 'car' });
    if (step === 2) {
      const gone = await api(as('sale1'), 'DELETE', idPath(lead.id));
      assert.ok([200, 404].includes(gone.status), describeRes(gone));
    }
    if (step === 3) {
      const back = await api(as('sale1'), 'POST', `/trash/${encodeURIComponent(lead.id)}/restore`);
      assert.ok([200, 404].includes(back.status), describeRes(back));
    }
  }
  const res = await api(as('mkt1'), 'GET', '/stats');
  assert.equal(res.status, 200, describeRes(res));
  const stats = res.json.data;
  const all = await listAll(as('sale1'), 100);
  const count = (key) => {
    const out = {};
    for (const lead of all) out[lead[key]] = (out[lead[key]] ?? 0) + 1;
    return out;
  };
  assert.equal(stats.total, all.length);
  assert.deepEqual(stats.byStatus, Object.fromEntries(statuses.map((s) => [s, count('status')[s] ?? 0])));
  assert.deepEqual(stats.bySource, Object.fromEntries(sources.map((s) => [s, count('source')[s] ?? 0])));
  assert.deepEqual(stats.byProductCode, count('productCode'));
  assert.equal(stats.createdPerDay.length, 30);
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(stats.createdPerDay.at(-1).date, today);
  const perDay = {};
  for (const lead of all) perDay[lead.createAt.slice(0, 10)] = (perDay[lead.createAt.slice(0, 10)] ?? 0) + 1;
  for (const { date, count: n } of stats.createdPerDay) assert.equal(n, perDay[date] ?? 0, date);
  assertError(await api(as('mkt1'), 'GET', '/stats?x=1'), 400, 'BAD_REQUEST');
});
