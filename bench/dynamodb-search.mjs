#!/usr/bin/env node
// What a search costs on DynamoDB: requests and bytes (request and answer bodies) between the
// server and DynamoDB Local per search, measured by a counting proxy between them, for the
// four search shapes of bench/search, beside a search that must read every lead (withTotal on
// a filter: the whole sort order once) measured in the same run.
//
//   node bench/dynamodb-search.mjs [--leads N] [--searches N]     (defaults: 2000, 20)
//
// Seeds N generated leads through the API (PCUSTOMER_BIN, else build/release/pcustomer).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { startServer, repoRoot } from '../tests/api/lib/server.mjs';
import { startFaultProxy } from '../tests/dynamodb/fault-proxy.mjs';
import { peerEnv } from '../tests/dynamodb/peer.mjs';
import { startDynamoDbLocal } from '../tests/dynamodb/start-dynamodb-local.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const LEADS = option('--leads', 2000);
const SEARCHES = option('--searches', 20);
const TABLE = `pcustomers_bench_${process.pid}`;
const ADMIN_PASSWORD = 'Bench#Search12';
const bin = process.env.PCUSTOMER_BIN ?? path.join(repoRoot, 'build', 'release', 'pcustomer');

// A seeded generator, so that runs see the same leads.
let state = 20261202;
const random = () => {
  state = (state * 1103515245 + 12345) % 2 ** 31;
  return state / 2 ** 31;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Ngọc', 'Thu', 'Quang', 'Thanh', 'Hữu', 'Bảo'];
const GIVEN = ['An', 'Anh', 'Bình', 'Châu', 'Dũng', 'Đạt', 'Hà', 'Hải', 'Hạnh', 'Hoa', 'Hùng', 'Huy', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quân', 'Quỳnh', 'Sơn', 'Tâm', 'Thảo', 'Thủy', 'Trang', 'Trung', 'Tuấn', 'Vy', 'Yến'];
const PRODUCTS = ['home_loan', 'book', 'tool', 'credit_card'];
const fold = (text) => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();

const local = await startDynamoDbLocal();
const proxy = await startFaultProxy(local.url);
let server;
try {
  const env = { ...peerEnv(proxy.url), PCUSTOMER_STORE: 'dynamodb', DYNAMODB_TABLE_NAME_PCUSTOMERS: TABLE, PCUSTOMER_ADMIN_PASSWORD: ADMIN_PASSWORD };
  // Straight to the emulator: spawnSync blocks this process, and with it the proxy.
  const made = spawnSync(bin, ['dynamodb', 'create-table'], {
    env: { ...process.env, ...env, ...peerEnv(local.url) }, encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`create-table failed: ${made.stderr}`);
  server = await startServer({ env: { ...env, PCUSTOMER_LOG_LEVEL: 'warn' } });
  const call = async (method, url, body, token) => {
    const response = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  };
  const signIn = await call('POST', '/auth/sign-in', { username: 'admin', password: ADMIN_PASSWORD });
  if (signIn.status !== 200) throw new Error(`sign-in: ${JSON.stringify(signIn.json)}`);
  const token = signIn.json.data.auth.accessToken;

  const leads = Array.from({ length: LEADS }, (_, i) => ({
    fullName: `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`,
    phone: `09${String(10000000 + i * 7919 % 89999999).padStart(8, '0')}`,
    age: 18 + Math.floor(random() * 73),
    productCode: pick(PRODUCTS),
  }));
  const started = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < leads.length) {
      const lead = leads[next++];
      const res = await call('POST', '/pcustomers', lead, token);
      if (res.status !== 201) throw new Error(`seed: ${res.status} ${JSON.stringify(res.json)}`);
    }
  }));
  console.log(`seeded ${LEADS} leads on DynamoDB Local in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const shapes = [
    ['name, 2 words', () => { const [a, b] = fold(pick(leads).fullName).split(' '); return `q=${encodeURIComponent(`${a} ${b}`)}`; }],
    ['phone, 6 digits', () => `q=${pick(leads).phone.slice(3, 9)}`],
    ['filter + -createAt', () => `productCode=book&ageMin=30&ageMax=50&sort=-createAt`],
    ['fullName sort', () => `sort=fullName`],
    ['every lead (baseline)', () => `ageMin=18&withTotal=true`],
  ];
  const rows = [];
  for (const [name, query] of shapes) {
    proxy.resetStats();
    for (let i = 0; i < SEARCHES; i++) {
      const res = await call('GET', `/pcustomers?limit=20&${query()}`, undefined, token);
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.json)}`);
    }
    const stats = proxy.stats();
    const sum = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);
    const operations = Object.entries(stats.forwarded).map(([op, n]) => `${op} ${(n / SEARCHES).toFixed(1)}`).join(', ');
    rows.push({ name, requests: sum(stats.forwarded) / SEARCHES, bytes: (sum(stats.bytesSent) + sum(stats.bytesAnswered)) / SEARCHES, operations });
  }
  const baseline = rows.at(-1).bytes;
  console.log(`\nper search (mean of ${SEARCHES}), ${LEADS} leads:`);
  console.log('| search | requests | bytes | bytes vs every lead | operations |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) {
    console.log(`| ${row.name} | ${row.requests.toFixed(1)} | ${Math.round(row.bytes)} | ${(row.bytes / baseline).toFixed(4)}x | ${row.operations} |`);
  }
} finally {
  await server?.stop();
  await proxy.stop();
  await local.stop();
}
