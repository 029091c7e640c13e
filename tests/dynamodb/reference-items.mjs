// The reference application's side of the shared DynamoDB table, written with raw requests
// exactly as its data access code does (shared/seed: dao.py), so that tests can check that
// pcustomer reads what the reference wrote and that the reference keeps working beside it.
//
// As a program, writes the reference's items into TABLE (creating it when missing):
//   node tests/dynamodb/reference-items.mjs http://127.0.0.1:PORT pcustomers
//
// dynalite wants an Authorization header but checks no signature, so requests carry a fixed
// dummy one; real DynamoDB would refuse them.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DUMMY_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/dynamodb/aws4_request, ' +
  'SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0';

// One DynamoDB JSON-protocol call; throws with the service's error type and message.
export async function callDynamoDb(url, operation, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${operation}`,
      'X-Amz-Date': '20260101T000000Z',
      Authorization: DUMMY_AUTHORIZATION,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const type = String(json.__type ?? '').split('#').pop();
    const error = new Error(`${operation}: ${type} ${json.message ?? json.Message ?? ''}`.trim());
    error.type = type;
    throw error;
  }
  return json;
}

// The table as the workshop creates it: partition key `type`, sort key `id`, both strings.
export async function createReferenceTable(url, table) {
  try {
    await callDynamoDb(url, 'CreateTable', {
      TableName: table,
      AttributeDefinitions: [
        { AttributeName: 'type', AttributeType: 'S' },
        { AttributeName: 'id', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'type', KeyType: 'HASH' },
        { AttributeName: 'id', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
  } catch (error) {
    if (error.type !== 'ResourceInUseException') throw error;
  }
  for (let i = 0; i < 100; i += 1) {
    const { Table } = await callDynamoDb(url, 'DescribeTable', { TableName: table });
    if (Table.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`table ${table} did not become ACTIVE`);
}

// Items as the reference leaves them. insert_pcustomer: `CUSTOMER#<epoch ms>`, createAt from
// datetime.now().isoformat() (local time, microseconds, no zone), every attribute as sent.
// update_pcustomer: its SET of `phone` stored a number (the leading zero lost), and on a
// missing id it created a half item.
export const REFERENCE_ITEMS = [
  {
    type: { S: 'potential_customer' },
    id: { S: 'CUSTOMER#1795545750015' },
    fullName: { S: 'Nguyen Anh Tuan' },
    phone: { S: '0912345678' },
    age: { N: '30' },
    productCode: { S: 'household_tool' },
    createAt: { S: '2026-11-24T17:00:00.015000' },
  },
  {
    type: { S: 'potential_customer' },
    id: { S: 'CUSTOMER#1795545760123' },
    fullName: { S: 'Trần Văn Anh' },
    phone: { N: '987654321' },
    age: { N: '28' },
    productCode: { S: 'book' },
    createAt: { S: '2026-11-24T17:00:10.123000' },
  },
  {
    type: { S: 'potential_customer' },
    id: { S: 'CUSTOMER#1795545770000' },
    age: { N: '45' },
  },
];

// What pcustomer reads back for REFERENCE_ITEMS, by id.
export const EXPECTED_READS = {
  'CUSTOMER#1795545750015': { phone: '0912345678', age: 30, fullName: 'Nguyen Anh Tuan' },
  'CUSTOMER#1795545760123': { phone: '0987654321', age: 28, fullName: 'Trần Văn Anh' },
};

export async function putReferenceItems(url, table) {
  for (const item of REFERENCE_ITEMS) {
    // insert_pcustomer: PutItem without a condition, ReturnValues ALL_OLD.
    await callDynamoDb(url, 'PutItem', { TableName: table, Item: item, ReturnValues: 'ALL_OLD' });
  }
}

// list_pcustomers: its Query, plain `id` included, and its paging by LastEvaluatedKey.
export async function referenceList(url, table, { limit = 10, startKey } = {}) {
  const input = {
    TableName: table,
    Limit: limit,
    ExpressionAttributeNames: { '#customerType': 'type' },
    KeyConditionExpression: '#customerType = :pk AND begins_with(id, :customerIdPrefix)',
    ExpressionAttributeValues: {
      ':pk': { S: 'potential_customer' },
      ':customerIdPrefix': { S: 'CUSTOMER#' },
    },
  };
  if (startKey) input.ExclusiveStartKey = startKey;
  const response = await callDynamoDb(url, 'Query', input);
  return { items: response.Items ?? [], lastKey: response.LastEvaluatedKey ?? null };
}

// Every item the reference's list shows, following LastEvaluatedKey.
export async function referenceListAll(url, table) {
  const all = [];
  let startKey;
  do {
    const page = await referenceList(url, table, { limit: 10, startKey });
    all.push(...page.items);
    startKey = page.lastKey;
  } while (startKey);
  return all;
}

// Every item of the table, whatever its partition (Scan), for assertions.
export async function scanAll(url, table) {
  const all = [];
  let startKey;
  do {
    const input = { TableName: table, ConsistentRead: true };
    if (startKey) input.ExclusiveStartKey = startKey;
    const response = await callDynamoDb(url, 'Scan', input);
    all.push(...(response.Items ?? []));
    startKey = response.LastEvaluatedKey;
  } while (startKey);
  return all;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [url, table = 'pcustomers'] = process.argv.slice(2);
  if (!url) {
    console.error('usage: node tests/dynamodb/reference-items.mjs ENDPOINT_URL [TABLE]');
    process.exit(2);
  }
  await createReferenceTable(url, table);
  await putReferenceItems(url, table);
  console.log(`wrote ${REFERENCE_ITEMS.length} reference items into ${table}`);
}
