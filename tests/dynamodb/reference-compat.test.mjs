// The table stays shared with the reference application: what the reference wrote reads
// back through pcustomer, and what pcustomer adds (phone claims, secrets, users, refresh
// tokens) never shows in the reference's list.
//   node --test tests/dynamodb/            (dynalite from node_modules, or DYNALITE_BIN)
//   PCUSTOMER_BIN=build/debug/pcustomer node --test tests/dynamodb/   (adds the server tests)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../api/lib/server.mjs';
import {
  EXPECTED_READS, REFERENCE_ITEMS, callDynamoDb, createReferenceTable, putReferenceItems,
  referenceList, referenceListAll, scanAll,
} from './reference-items.mjs';
import { startDynalite } from './start-dynalite.mjs';

const ADMIN_PASSWORD = 'Dynamo#Admin12';
let dynalite;
let tableCounter = 0;

async function freshTable() {
  tableCounter += 1;
  const table = `pcustomers_compat_${process.pid}_${tableCounter}`;
  await createReferenceTable(dynalite.url, table);
  await putReferenceItems(dynalite.url, table);
  return table;
}

const referenceIds = REFERENCE_ITEMS.map((item) => item.id.S).sort();

before(async () => {
  dynalite = await startDynalite();
});

after(async () => {
  await dynalite?.stop();
});

test('the reference list sees customers only, whatever else shares the table', async () => {
  const table = await freshTable();
  // The other partitions pcustomer writes, in their layouts (dynamodb_customer_store.hpp,
  // dynamodb_user_store.hpp).
  const others = [
    { type: { S: 'potential_customer_phone' }, id: { S: 'PHONE#0912345678' },
      customerId: { S: 'CUSTOMER#1795545750015' }, claimedAt: { N: '1795545750015' },
      claimToken: { S: '00112233445566778899aabbccddeeff' } },
    { type: { S: 'pcustomer_secret' }, id: { S: 'cursor' }, value: { B: Buffer.alloc(32, 7).toString('base64') } },
    { type: { S: 'pcustomer_user' }, id: { S: 'admin' }, username: { S: 'admin' } },
    { type: { S: 'pcustomer_refresh' }, id: { S: 'ab'.repeat(32) }, state: { S: 'current' } },
    { type: { S: 'pcustomer_refresh_family' }, id: { S: 'family' }, revoked: { BOOL: false } },
  ];
  for (const item of others) await callDynamoDb(dynalite.url, 'PutItem', { TableName: table, Item: item });

  const listed = await referenceListAll(dynalite.url, table);
  assert.deepEqual(listed.map((item) => item.id.S).sort(), referenceIds);
  assert.ok(listed.every((item) => item.type.S === 'potential_customer'));
  // Its paging still works around them.
  const first = await referenceList(dynalite.url, table, { limit: 2 });
  assert.equal(first.items.length, 2);
  assert.ok(first.lastKey);
  // Its get_pcustomer Query finds a customer by id.
  const got = await callDynamoDb(dynalite.url, 'Query', {
    TableName: table,
    ExpressionAttributeNames: { '#customerType': 'type' },
    KeyConditionExpression: '#customerType = :pk AND id = :sk',
    ExpressionAttributeValues: { ':pk': { S: 'potential_customer' }, ':sk': { S: 'CUSTOMER#1795545760123' } },
  });
  assert.equal(got.Items[0].phone.N, '987654321');
});

// The server on the given table of the test's dynalite.
async function startDynamoServer(t, table) {
  return startServer({
    env: {
      PCUSTOMER_STORE: 'dynamodb',
      DYNAMODB_TABLE_NAME_PCUSTOMERS: table,
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      PCUSTOMER_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
  });
}

async function call(server, method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.baseUrl}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, json, text };
}

test('pcustomer reads the reference items and its own writes stay invisible to the reference', async (t) => {
  const table = await freshTable();
  const server = await startDynamoServer(t, table);
  try {
    const signIn = await call(server, 'POST', '/auth/sign-in', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    assert.equal(signIn.status, 200, signIn.text);
    const token = signIn.json.data.auth.accessToken;

    for (const [id, expected] of Object.entries(EXPECTED_READS)) {
      const res = await call(server, 'GET', `/pcustomers/${encodeURIComponent(id)}`, { token });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.data.phone, expected.phone);
      assert.equal(res.json.data.age, expected.age);
      assert.equal(res.json.data.fullName, expected.fullName);
      assert.equal(res.json.data.type, 'potential_customer');
    }

    const created = await call(server, 'POST', '/pcustomers', {
      token, body: { fullName: 'Lê Thị Hoa', phone: '0901234567', age: 33, productCode: 'book' },
    });
    assert.equal(created.status, 201, created.text);
    const again = await call(server, 'POST', '/pcustomers', {
      token, body: { fullName: 'Lê Văn Nam', phone: '0901234567', age: 40, productCode: 'book' },
    });
    assert.equal(again.status, 409, again.text);
    assert.deepEqual(again.json.error.details.reasons, [{ source: 'phone', desc: created.json.data.id }]);
    // A phone the reference stored as a number is restored on update and kept as text.
    const patched = await call(server, 'PATCH', `/pcustomers/${encodeURIComponent('CUSTOMER#1795545760123')}`, {
      token, body: { phone: '0987654322' },
    });
    assert.equal(patched.status, 200, patched.text);

    const all = await scanAll(dynalite.url, table);
    assert.ok(all.some((item) => item.type.S === 'potential_customer_phone'), 'claims are stored');
    const listed = await referenceListAll(dynalite.url, table);
    assert.deepEqual(listed.map((item) => item.id.S).sort(), [...referenceIds, created.json.data.id].sort());
    const mine = listed.find((item) => item.id.S === created.json.data.id);
    // The reference's attributes and types, the sort keys of the by_name and by_age indexes
    // and the version stamps (the reference reads items by attribute name, so it never sees
    // them).
    assert.deepEqual(Object.keys(mine).sort(),
      ['age', 'ageKey', 'createAt', 'fullName', 'id', 'nameKey', 'phone', 'productCode', 'source', 'status',
        'type', 'updatedAt', 'updatedKey', 'version']);
    // The search index entries live in partitions of their own, which the list above skips.
    assert.ok(all.some((item) => item.type.S === 'pcustomer_name_word' && item.id.S === `hoa#${created.json.data.id}`));
    assert.ok(all.some((item) => item.type.S === 'pcustomer_phone_digits' && item.id.S === `234567#${created.json.data.id}`));
    assert.deepEqual(mine.phone, { S: '0901234567' });
    assert.deepEqual(mine.age, { N: '33' });
    const patchedItem = listed.find((item) => item.id.S === 'CUSTOMER#1795545760123');
    assert.deepEqual(patchedItem.phone, { S: '0987654322' });

    // The API's own list shows the same customers.
    const page = await call(server, 'GET', '/pcustomers?limit=100', { token });
    assert.equal(page.status, 200, page.text);
    assert.deepEqual(page.json.data.map((c) => c.id).sort(), listed.map((item) => item.id.S).sort());
  } finally {
    await server.stop();
  }
});
