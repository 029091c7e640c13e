// Request bodies and the bytes of answers (CONTRACT, amendments to sections 1-6): lone
// surrogate escapes, well-formed UTF-8 in every answer, a NUL byte after the value, numbers
// judged as written, and the JSONTestSuite parsing corpus.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setupTarget } from './lib/target.mjs';
import { buildRequest, rawRequest, chunked } from './lib/raw.mjs';
import {
  api, describeRes, newCustomer, createCustomer, uniquePhone, idPath, core, assertError, assertErrorShape,
  assertUtf8, listAll,
} from './lib/client.mjs';
import {
  ADMIN_PASSWORD, externalSkipReason, startAuthServer, signIn, refreshRes,
} from './lib/auth.mjs';
import { corpusDir } from './lib/corpora.mjs';

let T;       // the server under test (customer routes)
let victim;  // the customer PATCH tests aim at
const AUTH_SKIP = externalSkipReason();

before(async () => {
  T = await setupTarget();
  victim = await createCustomer(T);
}, { timeout: 60_000 });
after(async () => { await T?.close(); });

/** Runs `fn(A)` with a server of its own that has a known admin password (auth routes): a
 * sign-in that wrongly counts as a failure cannot lock out the next test. */
async function withAuthServer(fn) {
  const A = await startAuthServer();
  try { return await fn(A); } finally { await A.close(); }
}

const TO = { timeout: 30_000 };

/** Sends `body` (string or Buffer) to `method path` of `target` on a raw socket; checks that
 * every byte of the answer is well-formed UTF-8 and returns it. */
async function send(target, method, p, body, ctx = '') {
  const res = await rawRequest(target, buildRequest(target, method, p, { body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8') }));
  assertUtf8(res.raw, `in the answer to ${method} ${p} ${ctx || JSON.stringify(String(body).slice(0, 120))}`);
  return res;
}

async function assertPhoneFree(phone, ctx) {
  const res = await api(T, 'POST', '/pcustomers', { body: newCustomer({ phone }) });
  assert.equal(res.status, 201, `${ctx}: phone ${phone} is taken, so the request was stored: ${describeRes(res)}`);
  await api(T, 'DELETE', idPath(res.json.data.id));
}

async function assertVictimUnchanged() {
  const v = await api(T, 'GET', idPath(victim.id));
  assert.equal(v.status, 200, describeRes(v));
  assert.deepEqual(core(v.json.data), core(victim));
}

const customerRaw = (over = '') => {
  const b = newCustomer();
  return { phone: b.phone, text: `{"fullName":"${b.fullName}","phone":"${b.phone}","age":${b.age},"productCode":"${b.productCode}"${over}}` };
};

// ---- lone surrogates and well-formed answers ----------------------------------------------

const LONE_CUSTOMER = [
  '{"\\udfff": 1}', '{"\\ud800": 1}', '{"a\\udc00b": 1}', '{"\\udc00\\ud800": 1}', '{"\\ud800\\ud800": 1}',
  '{"fullName":"\\ud800"}', '{"fullName":"x\\ud800\\u0041"}', '{"phone":"\\udbff"}', '{"productCode":"\\udfffcar"}',
  '{"fullName":"Nguy\\ud800n"}', '{"age":30,"\\ud83d":1}', '{"\\ude00\\ud83d": 2}',
];

test('lone surrogate escapes on the customer routes: 400, and the answer is well-formed UTF-8', TO, async () => {
  for (const raw of LONE_CUSTOMER) {
    for (const [method, p] of [['POST', '/pcustomers'], ['POST', '/pcustomer'], ['PATCH', idPath(victim.id)]]) {
      const res = await send(T, method, p, raw);
      assertError(res, 400, 'BAD_REQUEST');
    }
  }
  // In a full, otherwise valid customer.
  for (const field of ['fullName', 'productCode']) {
    const b = newCustomer();
    const text = JSON.stringify(b).replace(`"${field}":"`, `"${field}":"\\ud800`);
    assertError(await send(T, 'POST', '/pcustomers', text), 400, 'BAD_REQUEST');
    await assertPhoneFree(b.phone, `lone surrogate in ${field}`);
  }
  await assertVictimUnchanged();
});

test('lone surrogate escapes on the auth routes: 400, and the answer is well-formed UTF-8', { ...TO, skip: AUTH_SKIP }, () => withAuthServer(async (A) => {
  const bodies = {
    '/auth/sign-in': ['{"\\udfff": 1}', '{"username":"\\ud800","password":"Aa1!aaaa"}', '{"username":"admin","password":"\\udfff"}',
      `{"username":"admin","password":"${ADMIN_PASSWORD}","\\ud800":1}`, '{"username":"adm\\udc00in","password":"x"}'],
    '/auth/refresh-tokens': ['{"\\udfff": 1}', '{"refreshToken":"\\ud800"}', '{"refreshToken":"abc\\udfffdef"}'],
    '/auth/sign-out': ['{"\\udfff": 1}', '{"refreshToken":"\\ud800"}', '{"refreshToken":"abc\\udfffdef"}'],
  };
  for (const [p, list] of Object.entries(bodies)) {
    for (const raw of list) assertError(await send(A, 'POST', p, raw), 400, 'BAD_REQUEST');
  }
}));

test('a valid surrogate pair is one character: {"\\ud800\\udc00x": 1} is an unknown key, echoed well-formed', TO, async () => {
  const key = '\u{10000}x';
  for (const [method, p, raw] of [
    ['POST', '/pcustomers', '{"\\ud800\\udc00x": 1}'],
    ['PATCH', idPath(victim.id), '{"\\ud800\\udc00x": 1}'],
    ['POST', '/pcustomers', customerRaw(',"\\ud800\\udc00x": 1').text],
  ]) {
    const res = await send(T, method, p, raw);
    assertError(res, 400, 'BAD_REQUEST');
    const r = res.json.error.details.reasons.find((x) => x.source === key);
    assert.ok(r, `${method} ${p}: no reason for the key ${JSON.stringify(key)}: ${res.text}`);
    assert.equal(r.desc, `"${key}" is not allowed`);
  }
  await assertVictimUnchanged();
  if (AUTH_SKIP) return;
  await withAuthServer(async (A) => {
    for (const p of ['/auth/sign-in', '/auth/refresh-tokens', '/auth/sign-out']) {
      const res = await send(A, 'POST', p, '{"\\ud800\\udc00x": 1}');
      assertError(res, 400, 'BAD_REQUEST');
    }
  });
});

const ODD_KEYS = ['\u0000', '\u0001', '\u001f', '\u007f', '\u0080', '\u00ff', '\u2028', '\u2029', '\ufeff', '\ufffd', '\uffff',
  '\u{10ffff}', '😀', '"', '\\', '\\u0000', '</script>', '<!--', 'ü', 'ﬀ', '\u200b', 'a"b\\c', '%00', '\u0085'];

test('unknown keys with odd but valid characters are echoed exactly, escaped, as well-formed UTF-8', TO, async () => {
  for (const key of ODD_KEYS) {
    const b = newCustomer();
    const body = JSON.stringify({ ...b, [key]: 1 });
    for (const [method, p, raw] of [['POST', '/pcustomers', body], ['PATCH', idPath(victim.id), JSON.stringify({ [key]: 1 })]]) {
      const res = await send(T, method, p, raw, `key ${JSON.stringify(key)}`);
      assertError(res, 400, 'BAD_REQUEST');
      const r = res.json.error.details.reasons.find((x) => x.source === key);
      assert.ok(r, `${method} ${p}: key ${JSON.stringify(key)} not echoed: ${res.text}`);
      assert.equal(r.desc, `"${key}" is not allowed`, `${method} ${p}: key ${JSON.stringify(key)}`);
    }
    await assertPhoneFree(b.phone, `key ${JSON.stringify(key)}`);
  }
  await assertVictimUnchanged();
});

// ---- a NUL byte ends nothing --------------------------------------------------------------------

const NUL_TAILS = ['\u0000{garbage', '\u0000', '\u0000 ', '\u0000}', '\u0000{"age":30}', ' \u0000', '\n\u0000\n'];

test('a valid customer body followed by a NUL byte and more: 400, nothing created', TO, async () => {
  for (const tail of NUL_TAILS) {
    for (const p of ['/pcustomers', '/pcustomer']) {
      const c = customerRaw();
      const res = await send(T, 'POST', p, c.text + tail, `customer + ${JSON.stringify(tail)}`);
      assertError(res, 400, 'BAD_REQUEST');
      await assertPhoneFree(c.phone, `POST ${p} with ${JSON.stringify(tail)} after the value`);
    }
    const patch = await send(T, 'PATCH', idPath(victim.id), `{"age":${victim.age === 44 ? 45 : 44}}${tail}`);
    assertError(patch, 400, 'BAD_REQUEST');
  }
  // Also in a chunked body.
  const c = customerRaw();
  const res = await rawRequest(T, buildRequest(T, 'POST', '/pcustomers', {
    body: chunked(c.text + '\u0000{garbage', 7), contentLength: false, headers: { 'Transfer-Encoding': 'chunked' },
  }));
  assertError(res, 400, 'BAD_REQUEST');
  await assertPhoneFree(c.phone, 'chunked body with a NUL byte');
  await assertVictimUnchanged();
});

test('auth routes: a valid body followed by a NUL byte is a 400 and does nothing', { ...TO, skip: AUTH_SKIP }, () => withAuthServer(async (A) => {
  const creds = JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD });
  for (const tail of ['\u0000{garbage', '\u0000']) {
    const res = await send(A, 'POST', '/auth/sign-in', creds + tail);
    assertError(res, 400, 'BAD_REQUEST');
  }
  const session = await signIn(A, 'admin', ADMIN_PASSWORD);
  const token = JSON.stringify({ refreshToken: session.refreshToken });
  assertError(await send(A, 'POST', '/auth/refresh-tokens', token + '\u0000{garbage'), 400, 'BAD_REQUEST');
  assertError(await send(A, 'POST', '/auth/sign-out', token + '\u0000{garbage'), 400, 'BAD_REQUEST');
  // Neither rotated nor revoked the refresh token.
  const r = await refreshRes(A, session.refreshToken);
  assert.equal(r.status, 200, `the refresh token stopped working after requests that were refused: ${describeRes(r)}`);
}));

// ---- numbers as written -------------------------------------------------------------------------

const AGE_ACCEPTED = [['18.0', 18], ['1.8e1', 18], ['180e-1', 18], ['18E0', 18], ['18.000', 18], ['0.18e2', 18],
  ['1.8E+1', 18], ['1800e-2', 18], ['90.0', 90], ['9e1', 90], ['30', 30], ['3.0e1', 30], ['300000000000000000000e-19', 30]];
const AGE_REFUSED = ['17.9999999999999999', '18.0000000000000001', '18.5', '1e-400', '-0', '-0.0', '0e5',
  '17.99999999999999999999999999', '90.00000000000000000001', '18.0000000000000000000000000000000000001',
  '1.80000000000000001e1', '1e400', '-1e400', '91', '17', '0', '1e2', '-18', '18.00000000000000000000000000000000000000000000000000000000000000001',
  '1.8', '180000000000000000001e-19'];

test('age is judged as written: a zero fraction or an exponent is fine, any non-zero fraction is 400', { timeout: 60_000 }, async () => {
  const wrong = [];
  for (const [lit, want] of AGE_ACCEPTED) {
    const b = newCustomer();
    const text = `{"fullName":"${b.fullName}","phone":"${b.phone}","age":${lit},"productCode":"${b.productCode}"}`;
    const res = await send(T, 'POST', '/pcustomers', text);
    if (res.status !== 201 || res.json?.data?.age !== want) wrong.push(`age ${lit}: want 201 with ${want}, got ${describeRes(res)}`);
  }
  for (const lit of AGE_REFUSED) {
    const b = newCustomer();
    const text = `{"fullName":"${b.fullName}","phone":"${b.phone}","age":${lit},"productCode":"${b.productCode}"}`;
    const res = await send(T, 'POST', '/pcustomers', text);
    if (res.status !== 400) { wrong.push(`age ${lit}: want 400, got ${describeRes(res)}`); continue; }
    assertErrorShape(res);
    const patch = await send(T, 'PATCH', idPath(victim.id), `{"age":${lit}}`);
    if (patch.status !== 400) wrong.push(`PATCH age ${lit}: want 400, got ${describeRes(patch)}`);
  }
  assert.deepEqual(wrong, []);
  await assertVictimUnchanged();
  const p = await send(T, 'PATCH', idPath(victim.id), `{"age":${victim.age === 18 ? '1.9e1' : '1.8e1'}}`);
  assert.equal(p.status, 200, describeRes(p));
  assert.equal(p.json.data.age, victim.age === 18 ? 19 : 18);
  victim = p.json.data;
});

// ---- JSONTestSuite -----------------------------------------------------------------------------

test('JSONTestSuite: n_ files are 400, y_ and i_ never 5xx, every answer well-formed UTF-8', { timeout: 180_000 }, async (t) => {
  const dir = corpusDir('jsontestsuite/test_parsing');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  assert.ok(files.length >= 300, `${dir}: only ${files.length} .json files`);
  const before = (await listAll(T, 100)).length;
  const failures = [];
  const counts = {};
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(dir, f));
    let res;
    try {
      res = await api(T, 'POST', '/pcustomers', { rawBody: bytes });
    } catch (e) {
      failures.push(`${f}: no answer (${e.message})`);
      continue;
    }
    counts[`${f[0]} ${res.status}`] = (counts[`${f[0]} ${res.status}`] ?? 0) + 1;
    try {
      assertUtf8(res.bytes, `in the answer to ${f}`);
      assert.ok(res.status < 500, `${f}: ${describeRes(res)}`);
      assert.notEqual(res.status, 201, `${f}: stored a customer: ${describeRes(res)}`);
      // Over 16 KiB the size limit speaks first.
      const tooBig = bytes.length > 16 * 1024;
      if (f.startsWith('n_')) {
        assert.ok(res.status === 400 || (tooBig && res.status === 413), `${f} (invalid JSON): ${describeRes(res)}`);
      }
      if (res.status >= 400) assertErrorShape(res);
    } catch (e) {
      failures.push(e.message);
    }
  }
  t.diagnostic(`${files.length} files from ${dir}; answers: ${JSON.stringify(counts)}`);
  assert.deepEqual(failures, []);
  assert.equal((await listAll(T, 100)).length, before, 'the corpus created customers');
  const alive = await api(T, 'GET', '/healthz');
  assert.equal(alive.status, 200, describeRes(alive));
});
