// Faults between the server and DynamoDB (dynalite behind fault-proxy.mjs): throttling,
// 500s, slow answers, connections dropped before and after a write was applied. What must
// hold: no duplicates, no lost acknowledged writes, a clear 503 SERVICE_UNAVAILABLE with
// Retry-After when the store stays unavailable, never a 500.
//
//   PCUSTOMER_BIN=build/debug/pcustomer node --test --test-concurrency=1 tests/dynamodb/faults.spec.mjs
//
// Named *.spec.mjs so that `node --test tests/dynamodb/` (dynamodb_reference_compat) leaves it
// to its own CTest entry (dynamodb_faults).
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';

import { startServer } from '../api/lib/server.mjs';
import {
  isClaimItem, isClaimKey, isCustomerItem, isCustomerKey, startFaultProxy,
} from './fault-proxy.mjs';
import { callDynamoDb, createReferenceTable } from './reference-items.mjs';
import { startDynalite } from './start-dynalite.mjs';

const ADMIN_PASSWORD = 'Dynamo#Faults12';
const TABLE = `pcustomers_faults_${process.pid}`;
// The client's limits (dynamodb_http_client.hpp): 3 s per attempt, 3 attempts.
const ATTEMPT_TIMEOUT_MS = 3000;
const SLOW_MS = 4000;
// What a create body that names none of the workflow fields stores for them (CONTRACT.md section 9).
const WORKFLOW_DEFAULTS = { status: 'new', ownerId: null, source: 'other', email: null };
// kDefaultClaimGraceMillis (dynamodb_customer_store.hpp).
const CLAIM_GRACE_MS = 5 * 60 * 1000;

let dynalite;
let proxy;
let server;
let token;

before(async () => {
  dynalite = await startDynalite();
  proxy = await startFaultProxy(dynalite.url);
  await createReferenceTable(dynalite.url, TABLE);
  server = await startServer({
    env: {
      PCUSTOMER_STORE: 'dynamodb',
      DYNAMODB_TABLE_NAME_PCUSTOMERS: TABLE,
      AWS_ENDPOINT_URL_DYNAMODB: proxy.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      PCUSTOMER_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
  });
  const signIn = await call('POST', '/auth/sign-in', { body: { username: 'admin', password: ADMIN_PASSWORD }, auth: false });
  assert.equal(signIn.status, 200, signIn.text);
  token = signIn.json.data.auth.accessToken;
});

after(async () => {
  await server?.stop();
  await proxy?.stop();
  await dynalite?.stop();
});

afterEach(() => {
  proxy.clear();
  proxy.resetStats();
});

// Every response any test saw, so that the last test can check that none was a 500.
const seen = [];

async function call(method, path, { body, auth = true, timeoutMs = 30_000 } = {}) {
  const headers = {};
  if (auth) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const started = Date.now();
  const response = await fetch(`${server.baseUrl}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  const result = { status: response.status, json, text, headers: response.headers, ms: Date.now() - started };
  seen.push({ method, path, status: result.status });
  return result;
}

const customerPath = (id) => `/pcustomers/${encodeURIComponent(id)}`;

let phoneCounter = 0;
// Unique Vietnamese mobile numbers (fresh table, so unique per run).
function newPhone() {
  phoneCounter += 1;
  return `0901${String(phoneCounter).padStart(6, '0')}`;
}

function newCustomer(phone = newPhone(), n = phoneCounter) {
  const names = ['Lê Thị Hoa', 'Nguyễn Văn An', 'Trần Minh Đức', 'Phạm Thu Trang'];
  return { fullName: names[n % names.length], phone, age: 20 + (n % 60), productCode: 'household_tool' };
}

const create = (body) => call('POST', '/pcustomers', { body });

// The search index entries a create writes besides the lead: one per distinct folded name
// word and one per phone suffix of 3 digits or more. dynalite has no transactions, so each is
// a PutItem of its own here.
function entryWrites({ fullName, phone }) {
  const folded = fullName.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
  const words = new Set(folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  return words.size + (phone.length - 2);
}

// Every customer, following the cursor (faults must be cleared).
async function listAll() {
  const all = [];
  let startKey = null;
  for (let page = 0; page < 1000; page += 1) {
    const query = `limit=100${startKey ? `&startKey=${encodeURIComponent(startKey)}` : ''}`;
    const res = await call('GET', `/pcustomers?${query}`);
    assert.equal(res.status, 200, res.text);
    all.push(...res.json.data);
    startKey = res.json.meta.lastKey;
    if (!startKey) return all;
  }
  throw new Error('the listing does not end');
}

async function customersWithPhone(phone) {
  return (await listAll()).filter((c) => c.phone === phone);
}

// The created customer is listed exactly once and reads back as it was answered.
async function assertStoredOnce(created) {
  const matches = await customersWithPhone(created.phone);
  assert.equal(matches.length, 1, `customers with phone ${created.phone}: ${JSON.stringify(matches)}`);
  assert.deepEqual(matches[0], created);
  const got = await call('GET', customerPath(created.id));
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.json.data, created);
}

// CONTRACT.md section 3: 503 SERVICE_UNAVAILABLE with Retry-After and the error envelope.
function assertUnavailable(res) {
  assert.equal(res.status, 503, `expected 503, got ${res.status}: ${res.text}`);
  const retryAfter = res.headers.get('retry-after');
  assert.match(retryAfter ?? '', /^[1-9]\d*$/, `Retry-After: ${retryAfter}`);
  assert.equal(res.json?.error?.code, 'SERVICE_UNAVAILABLE', res.text);
  assert.equal(typeof res.json.error.message, 'string');
  assert.ok(res.json.error.message.length > 0);
  assert.ok(Array.isArray(res.json.error.details?.reasons), res.text);
  assert.equal(res.json.data, undefined);
}

function assertPhoneTaken(res, holderId) {
  assert.equal(res.status, 409, res.text);
  assert.equal(res.json.error.code, 'CONFLICT');
  assert.deepEqual(res.json.error.details.reasons, [{ source: 'phone', desc: holderId }]);
}

// The phone's claim item, read straight from dynalite (layout: dynamodb_customer_store.hpp).
async function readClaim(phone) {
  const { Item } = await callDynamoDb(dynalite.url, 'GetItem', {
    TableName: TABLE, ConsistentRead: true,
    Key: { type: { S: 'potential_customer_phone' }, id: { S: `PHONE#${phone}` } },
  });
  return Item ?? null;
}

// Moves a claim's claimedAt back past the grace period, as if the outage were long ago.
async function ageClaim(phone, byMs) {
  await callDynamoDb(dynalite.url, 'UpdateItem', {
    TableName: TABLE,
    Key: { type: { S: 'potential_customer_phone' }, id: { S: `PHONE#${phone}` } },
    UpdateExpression: 'SET claimedAt = :at',
    ConditionExpression: 'attribute_exists(id)',
    ExpressionAttributeValues: { ':at': { N: String(Date.now() - byMs) } },
  });
}

function faultsApplied(kindAndOperation) {
  return proxy.stats().faults[kindAndOperation] ?? 0;
}

test('throttling: two throttled PutItem are retried and the create succeeds', { timeout: 20_000 }, async () => {
  proxy.inject('throttle', { operation: 'PutItem', count: 2 });
  const res = await create(newCustomer());
  assert.equal(res.status, 201, res.text);
  assert.equal(faultsApplied('throttle:PutItem'), 2);
  assert.equal(proxy.pending(), 0);
  await assertStoredOnce(res.json.data);
});

test('throttling beyond the attempts: 503 with Retry-After, and nothing half-written', { timeout: 30_000 }, async (t) => {
  t.beforeEach(() => { proxy.clear(); proxy.resetStats(); });
  await t.test('every request throttled: nothing reaches the table, a retry later succeeds', async () => {
    proxy.resetStats();
    const body = newCustomer();
    proxy.inject('throttle', { count: Infinity });
    const res = await create(body);
    assertUnavailable(res);
    assert.equal(faultsApplied('throttle:PutItem'), 3, 'one call, three attempts');
    assert.equal(proxy.stats().forwarded.PutItem ?? 0, 0);
    proxy.clear();
    assert.deepEqual(await customersWithPhone(body.phone), []);
    assert.equal(await readClaim(body.phone), null);
    const again = await create(body);
    assert.equal(again.status, 201, again.text);
    await assertStoredOnce(again.json.data);
  });

  await t.test('the customer write throttled after the phone was claimed: the claim blocks the phone for the grace period only', async () => {
    // The store keeps the claim written before a failed customer write (the write may have
    // landed); a claim whose customer does not hold the phone is respected for
    // kDefaultClaimGraceMillis and taken over after it (dynamodb_customer_store.hpp).
    proxy.resetStats();
    const body = newCustomer();
    proxy.inject('throttle', { operation: 'PutItem', where: isCustomerItem, count: Infinity });
    const res = await create(body);
    assertUnavailable(res);
    assert.equal(faultsApplied('throttle:PutItem'), 3);
    proxy.clear();

    assert.deepEqual(await customersWithPhone(body.phone), [], 'no customer was written');
    const claim = await readClaim(body.phone);
    assert.ok(claim, 'the claim written before the customer stays');
    const orphanId = claim.customerId.S;
    assert.equal((await call('GET', customerPath(orphanId))).status, 404);

    // Within the grace: the same create is refused, naming the id that was never written.
    const within = await create(body);
    assertPhoneTaken(within, orphanId);

    // After the grace: the orphan claim is taken over.
    await ageClaim(body.phone, CLAIM_GRACE_MS + 60_000);
    const later = await create(body);
    assert.equal(later.status, 201, later.text);
    await assertStoredOnce(later.json.data);
    assert.equal((await readClaim(body.phone)).customerId.S, later.json.data.id);
  });
});

test('500s: two failed requests of any kind are retried', { timeout: 30_000 }, async () => {
  const first = await create(newCustomer());
  assert.equal(first.status, 201, first.text);

  proxy.inject('error500', { count: 2 });
  const got = await call('GET', customerPath(first.json.data.id));
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.json.data, first.json.data);
  assert.equal(faultsApplied('error500:GetItem'), 2);

  proxy.inject('error500', { count: 2 });
  const list = await call('GET', '/pcustomers?limit=5');
  assert.equal(list.status, 200, list.text);
  assert.equal(faultsApplied('error500:Query'), 2);

  proxy.inject('error500', { count: 2 });
  const created = await create(newCustomer());
  assert.equal(created.status, 201, created.text);
  assert.equal(faultsApplied('error500:PutItem'), 2);
  await assertStoredOnce(created.json.data);

  // The customer write fails twice (5xx: outcome unknown to the client).
  proxy.inject('error500', { operation: 'PutItem', where: isCustomerItem, count: 2 });
  const second = await create(newCustomer());
  assert.equal(second.status, 201, second.text);
  assert.equal(faultsApplied('error500:PutItem'), 4);
  await assertStoredOnce(second.json.data);

  // Three 500s in a row: 503, not 500.
  proxy.inject('error500', { operation: 'GetItem', count: 3 });
  assertUnavailable(await call('GET', customerPath(first.json.data.id)));
  assert.equal(proxy.pending(), 0);
});

test('slow answers beyond the attempt timeout', { timeout: 60_000 }, async (t) => {
  t.beforeEach(() => { proxy.clear(); proxy.resetStats(); });
  const base = await create(newCustomer());
  assert.equal(base.status, 201, base.text);

  await t.test('one slow GetItem: retried, 200', async () => {
    proxy.inject('slow', { operation: 'GetItem', count: 1, delayMs: SLOW_MS });
    const res = await call('GET', customerPath(base.json.data.id));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data, base.json.data);
    assert.ok(res.ms >= ATTEMPT_TIMEOUT_MS - 100, `answered in ${res.ms} ms: the slow attempt was not waited for`);
    assert.ok(res.ms < 10_000, `answered in ${res.ms} ms`);
  });

  await t.test('one slow customer PutItem (applied, answer late): 201, stored once', async () => {
    proxy.resetStats();
    proxy.inject('slow', { operation: 'PutItem', where: isCustomerItem, count: 1, delayMs: SLOW_MS });
    const body = newCustomer();
    const res = await create(body);
    assert.equal(res.status, 201, res.text);
    assert.ok(res.ms < 10_000, `answered in ${res.ms} ms`);
    assert.equal(proxy.stats().forwarded.PutItem - entryWrites(body), 3,
      'claim, customer, and the retried customer write (besides the index entries)');
    await assertStoredOnce(res.json.data);
  });

  await t.test('every GetItem slow: 503 within 15 s', async () => {
    proxy.resetStats();
    proxy.inject('slow', { operation: 'GetItem', count: Infinity, delayMs: SLOW_MS });
    const res = await call('GET', customerPath(base.json.data.id));
    assertUnavailable(res);
    assert.ok(res.ms < 15_000, `answered in ${res.ms} ms`);
    assert.equal(faultsApplied('slow:GetItem'), 3);
  });

  await t.test('every customer PutItem slow: 503 within 15 s, at most one customer', async (t) => {
    // The first attempt is carried out; its answer and those of the retries come too late.
    // The 503 then stands for an outcome the server cannot know: the customer may exist,
    // but once at most, complete, and holding its phone.
    const body = newCustomer();
    proxy.inject('slow', { operation: 'PutItem', where: isCustomerItem, count: Infinity, delayMs: SLOW_MS });
    const res = await create(body);
    assertUnavailable(res);
    assert.ok(res.ms < 15_000, `answered in ${res.ms} ms`);
    proxy.clear();
    const matches = await customersWithPhone(body.phone);
    assert.ok(matches.length <= 1, JSON.stringify(matches));
    t.diagnostic(`customers stored behind the 503: ${matches.length}`);
    if (matches.length === 1) {
      const { id, type, createAt, version, updatedAt, ...fields } = matches[0];
      assert.deepEqual(fields, { ...body, ...WORKFLOW_DEFAULTS });
      assertPhoneTaken(await create(newCustomer(body.phone)), id);
    }
  });
});

test('a connection dropped after the write was applied', { timeout: 60_000 }, async (t) => {
  t.beforeEach(() => { proxy.clear(); proxy.resetStats(); });
  let customer;

  await t.test('create, claim write dropped after it was applied: 201 once', async () => {
    proxy.inject('dropAfterApply', { operation: 'PutItem', where: isClaimItem });
    const res = await create(newCustomer());
    assert.equal(res.status, 201, res.text);
    assert.equal(faultsApplied('dropAfterApply:PutItem'), 1);
    await assertStoredOnce(res.json.data);
  });

  await t.test('create, customer write dropped after it was applied: 201 once', async () => {
    const before = (await listAll()).length;
    proxy.inject('dropAfterApply', { operation: 'PutItem', where: isCustomerItem });
    const res = await create(newCustomer());
    assert.equal(res.status, 201, res.text);
    assert.equal(faultsApplied('dropAfterApply:PutItem'), 1);
    await assertStoredOnce(res.json.data);
    assert.equal((await listAll()).length, before + 1);
    customer = res.json.data;
  });

  await t.test('the phone stays taken by that customer', async () => {
    assertPhoneTaken(await create(newCustomer(customer.phone)), customer.id);
  });

  await t.test('PATCH without a new phone, dropped after it was applied: 200 with the new data', async () => {
    proxy.inject('dropAfterApply', { operation: 'UpdateItem' });
    const res = await call('PATCH', customerPath(customer.id), { body: { fullName: 'Hoàng Văn Bình', age: 44 } });
    assert.equal(res.status, 200, res.text);
    assert.equal(faultsApplied('dropAfterApply:UpdateItem'), 1);
    // The next version, applied once: one more than before, not two.
    const expected = { ...customer, fullName: 'Hoàng Văn Bình', age: 44, version: customer.version + 1, updatedAt: res.json.data.updatedAt };
    assert.deepEqual(res.json.data, expected);
    await assertStoredOnce(expected);
    customer = expected;
  });

  await t.test('PATCH of the phone, dropped after it was applied: 200, new phone held, old one free', async () => {
    const oldPhone = customer.phone;
    const phone = newPhone();
    proxy.inject('dropAfterApply', { operation: 'UpdateItem' });
    const res = await call('PATCH', customerPath(customer.id), { body: { phone } });
    assert.equal(res.status, 200, res.text);
    assert.equal(faultsApplied('dropAfterApply:UpdateItem'), 1);
    const expected = { ...customer, phone, version: customer.version + 1, updatedAt: res.json.data.updatedAt };
    assert.deepEqual(res.json.data, expected);
    await assertStoredOnce(expected);
    assertPhoneTaken(await create(newCustomer(phone)), customer.id);
    assert.equal((await readClaim(phone)).customerId.S, customer.id);
    assert.equal(await readClaim(oldPhone), null, 'the old phone\'s claim is released');
    const reuse = await create(newCustomer(oldPhone));
    assert.equal(reuse.status, 201, reuse.text);
    await assertStoredOnce(reuse.json.data);
    customer = expected;
  });

  await t.test('DELETE, customer delete dropped after it was applied: 200, then 404, phone free', async () => {
    proxy.inject('dropAfterApply', { operation: 'DeleteItem', where: isCustomerKey });
    const res = await call('DELETE', customerPath(customer.id));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { data: true });
    assert.equal(faultsApplied('dropAfterApply:DeleteItem'), 1);
    assert.equal((await call('GET', customerPath(customer.id))).status, 404);
    assert.deepEqual(await customersWithPhone(customer.phone), []);
    assert.equal(await readClaim(customer.phone), null);
    const reuse = await create(newCustomer(customer.phone));
    assert.equal(reuse.status, 201, reuse.text);
    await assertStoredOnce(reuse.json.data);
    customer = reuse.json.data;
  });

  await t.test('DELETE, claim delete dropped after it was applied: 200, phone free', async () => {
    proxy.inject('dropAfterApply', { operation: 'DeleteItem', where: isClaimKey });
    const res = await call('DELETE', customerPath(customer.id));
    assert.equal(res.status, 200, res.text);
    assert.equal(faultsApplied('dropAfterApply:DeleteItem'), 1);
    assert.equal((await call('GET', customerPath(customer.id))).status, 404);
    assert.equal(await readClaim(customer.phone), null);
    const reuse = await create(newCustomer(customer.phone));
    assert.equal(reuse.status, 201, reuse.text);
    await assertStoredOnce(reuse.json.data);
  });

  await t.test('DELETE applied but answered 503: the claim left behind holds the phone for the grace period only', async () => {
    // The delete lands, its answer is lost and the retries are throttled: 503 (outcome
    // unknown), and the claim is not released (best effort; taken over after the grace).
    const created = await create(newCustomer());
    assert.equal(created.status, 201, created.text);
    const { id, phone } = created.json.data;
    proxy.inject('dropAfterApply', { operation: 'DeleteItem', where: isCustomerKey, count: 1 });
    proxy.inject('throttle', { operation: 'DeleteItem', where: isCustomerKey, count: Infinity });
    assertUnavailable(await call('DELETE', customerPath(id)));
    proxy.clear();
    assert.equal((await call('GET', customerPath(id))).status, 404);
    assert.equal((await call('DELETE', customerPath(id))).status, 404);
    assert.deepEqual(await customersWithPhone(phone), []);
    assert.equal((await readClaim(phone))?.customerId?.S, id);
    assertPhoneTaken(await create(newCustomer(phone)), id);
    await ageClaim(phone, CLAIM_GRACE_MS + 60_000);
    const reuse = await create(newCustomer(phone));
    assert.equal(reuse.status, 201, reuse.text);
    await assertStoredOnce(reuse.json.data);
  });

  await t.test('connections dropped before forwarding: retried', async () => {
    proxy.inject('dropBefore', { operation: 'PutItem', count: 2 });
    const res = await create(newCustomer());
    assert.equal(res.status, 201, res.text);
    await assertStoredOnce(res.json.data);
    proxy.inject('dropBefore', { operation: 'GetItem', count: 2 });
    const got = await call('GET', customerPath(res.json.data.id));
    assert.equal(got.status, 200, got.text);
    assert.equal(faultsApplied('dropBefore:PutItem') + faultsApplied('dropBefore:GetItem'), 4);
  });
});

test('concurrent creates with random faults: no lost acknowledged writes, no duplicates', { timeout: 60_000 }, async (t) => {
  const report = [];
  for (const seed of [20261125, 7, 4242]) {
    proxy.resetStats();
    proxy.injectRandom({ throttle: 0.2, dropAfterApply: 0.1 }, { seed });
    const bodies = Array.from({ length: 20 }, () => newCustomer());
    const answers = await Promise.all(bodies.map((body) => create(body)));
    const faults = proxy.stats().faults;
    proxy.clear();

    const byStatus = {};
    for (const res of answers) byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
    const messages = answers.filter((r) => r.status !== 201).map((r) => r.json?.error?.message ?? r.text);
    report.push({ seed, byStatus, faults, messages });
    for (const res of answers) {
      if (res.status === 201) continue;
      // Unique phones: a 409 would be a false conflict.
      assertUnavailable(res);
    }

    const listed = await listAll();
    const phones = new Set(bodies.map((b) => b.phone));
    const mine = listed.filter((c) => phones.has(c.phone));
    const count = new Map();
    for (const c of mine) count.set(c.phone, (count.get(c.phone) ?? 0) + 1);
    for (const [phone, n] of count) assert.equal(n, 1, `seed ${seed}: phone ${phone} listed ${n} times`);

    for (const [i, res] of answers.entries()) {
      const stored = mine.find((c) => c.phone === bodies[i].phone);
      if (res.status === 201) {
        assert.deepEqual(stored, res.json.data, `seed ${seed}: acknowledged create ${i} not stored as answered`);
        const got = await call('GET', customerPath(res.json.data.id));
        assert.equal(got.status, 200, got.text);
        assert.deepEqual(got.json.data, res.json.data);
      } else if (stored) {
        // A 503 whose write did land (its outcome was unknown): stored once and complete.
        const { id, type, createAt, version, updatedAt, ...fields } = stored;
        assert.deepEqual(fields, { ...bodies[i], ...WORKFLOW_DEFAULTS });
      }
    }
    const acknowledged = answers.filter((r) => r.status === 201).length;
    const unavailable = answers.length - acknowledged;
    assert.ok(mine.length >= acknowledged && mine.length <= acknowledged + unavailable,
      `seed ${seed}: ${mine.length} stored, ${acknowledged} acknowledged, ${unavailable} unavailable`);
  }
  t.diagnostic(JSON.stringify(report));
  // Faults really happened in every round.
  for (const round of report) {
    const applied = Object.values(round.faults).reduce((a, b) => a + b, 0);
    assert.ok(applied > 0, JSON.stringify(report));
  }
});

test('the server never answered 500 and is still running', { timeout: 10_000 }, async () => {
  assert.deepEqual(seen.filter((r) => r.status >= 500 && r.status !== 503), []);
  assert.equal(server.child.exitCode, null);
  assert.equal(server.child.signalCode, null);
  const list = await call('GET', '/pcustomers?limit=1');
  assert.equal(list.status, 200, list.text);
});
