// Local identity provider (CONTRACT sections 3 and 5), sign-in: tokens and their claims, the
// username and password rules, failures that all look alike, and the sign-in throttle. The
// other auth-*.test.mjs files cover the users and the role/team policy, and bearer tokens,
// refresh, sign-out and key rotation.
//
// Every server here is started by this file with its own data directory and a known admin
// password (PCUSTOMER_TEST_HEADERS_MODULE is not used). Sign-in failures are sent from other
// loopback addresses (127.0.0.x) where the host allows it, so the per-address throttle never
// locks out the other tests; the throttle tests run on servers of their own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, describeRes, assertError, assertValidation, reasonFor } from './lib/client.mjs';
import {
  ADMIN_PASSWORD, ISSUER, CLIENT_ID, externalSkipReason, startAuthServer, cliOk, addUser, freshAddress,
  loopbackAliasesUsable, signInRes, signIn, refreshRes, probe, jwksKeys, decodeJwt, verifiesWith, sleep, alignToSecond,
  assertUnauthorized,
} from './lib/auth.mjs';
import { PW, USERS } from './lib/auth-users.mjs';

const SKIP = externalSkipReason();
const TO = { timeout: 30_000, skip: SKIP };

const SHORT_USER = 'abc';                                    // 3 characters, the minimum
const SHORT_PW = 'Aa1!aaaa';                                 // 8 characters, the minimum
const LONG_USER = 'long.user_name-'.padEnd(30, 'x');          // 30 characters, the maximum
const LONG_PW = 'Aa1!' + 'x'.repeat(252);                    // 256 characters, the maximum

let S;          // the main server

before(async () => {
  if (SKIP) return;
  S = await startAuthServer();
  // Users are created while the server runs (the admin exists from its first start).
  await addUser(S.dataDir, 'emp-mkt', { ...USERS['emp-mkt'], password: PW });
  await addUser(S.dataDir, SHORT_USER, { role: 'employee', team: 'sales', password: SHORT_PW });
  await addUser(S.dataDir, LONG_USER, { role: 'employee', team: 'sales', password: LONG_PW });
  for (const name of ['victim', 'disabled-user']) {
    await addUser(S.dataDir, name, { role: 'employee', team: 'sales', password: PW });
  }
}, { timeout: 60_000 });

after(async () => { await S?.close(); });

// ---- sign-in -------------------------------------------------------------------------------------

test('sign-in: 200 with tokens, no-store, RS256 JWTs with the documented claims', TO, async () => {
  const t0 = Math.floor(Date.now() / 1000);
  const res = await signInRes(S, 'emp-mkt', PW);
  assert.equal(res.status, 200, describeRes(res));
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/i);
  assert.match(res.headers.get('cache-control') ?? '', /\bno-store\b/i, 'tokens must not be cached');
  const auth = res.json?.data?.auth;
  assert.ok(auth && typeof auth === 'object', describeRes(res));
  for (const k of ['idToken', 'accessToken', 'refreshToken']) {
    assert.equal(typeof auth[k], 'string', `${k}: ${describeRes(res)}`);
    assert.ok(auth[k].length > 20, k);
  }
  assert.equal(auth.expiresIn, 3600);

  const keys = await jwksKeys(S);
  assert.ok(keys.length >= 1);
  for (const k of keys) {
    assert.equal(k.kty, 'RSA'); assert.equal(k.use, 'sig'); assert.equal(k.alg, 'RS256');
    for (const f of ['kid', 'n', 'e']) assert.equal(typeof k[f], 'string', `${f} of ${JSON.stringify(k)}`);
    assert.equal(k.d, undefined, 'the JWKS publishes a private key');
  }

  const access = decodeJwt(auth.accessToken);
  assert.equal(access.header.alg, 'RS256');
  assert.ok(keys.some((k) => k.kid === access.header.kid), `kid ${access.header.kid} not in the JWKS`);
  assert.ok(verifiesWith(auth.accessToken, keys), 'access token signature does not verify with the JWKS');
  const a = access.payload;
  assert.equal(a.iss, ISSUER);
  assert.equal(a.token_use, 'access');
  assert.equal(a.client_id, CLIENT_ID);
  assert.equal(a.username, 'emp-mkt');
  assert.equal(typeof a.sub, 'string'); assert.ok(a.sub.length > 0);
  assert.equal(a['custom:role'], 'employee');
  assert.deepEqual(a['cognito:groups'], ['marketing']);
  assert.ok(Number.isInteger(a.iat) && Number.isInteger(a.exp), JSON.stringify(a));
  assert.equal(a.exp - a.iat, 3600);
  assert.ok(Math.abs(a.iat - t0) <= 60, `iat ${a.iat} is not now (${t0})`);
  assert.equal(typeof a.jti, 'string'); assert.ok(a.jti.length > 0);

  const id = decodeJwt(auth.idToken);
  assert.equal(id.header.alg, 'RS256');
  assert.ok(verifiesWith(auth.idToken, keys), 'id token signature does not verify with the JWKS');
  assert.equal(id.payload.token_use, 'id');
  assert.equal(id.payload.iss, ISSUER);
  assert.equal(id.payload.aud, CLIENT_ID);
  assert.equal(id.payload.sub, a.sub);

  // Every sign-in gets its own tokens.
  const again = await signIn(S, 'emp-mkt', PW);
  assert.notEqual(decodeJwt(again.accessToken).payload.jti, a.jti);
  assert.notEqual(again.refreshToken, auth.refreshToken);
  // The token works.
  const ok = await probe(S, auth.accessToken);
  assert.equal(ok.status, 200, describeRes(ok));
});

test('sign-in: shortest and longest valid usernames and passwords are accepted', TO, async () => {
  await signIn(S, SHORT_USER, SHORT_PW);
  await signIn(S, LONG_USER, LONG_PW);
});

test('sign-in: wrong password, unknown user and disabled user get the same 401', TO, async () => {
  const wrong = await signInRes(S, 'victim', 'Wrong#Pass1', await freshAddress());
  const unknown = await signInRes(S, 'nobody-here', PW, await freshAddress());
  const e1 = assertUnauthorized(wrong, 'wrong password');
  const e2 = assertUnauthorized(unknown, 'unknown user');
  assert.equal(e1.message, e2.message, 'unknown user and wrong password must be indistinguishable');
  assert.deepEqual(e1.details.reasons, e2.details.reasons);
  for (const res of [wrong, unknown]) assert.equal(res.json.data, undefined);

  // Disable a user with a session while the server runs.
  const session = await signIn(S, 'disabled-user', PW);
  await cliOk(S.dataDir, ['user', 'disable', 'disabled-user']);
  const disabled = await signInRes(S, 'disabled-user', PW, await freshAddress());
  const e3 = assertUnauthorized(disabled, 'disabled user');
  assert.equal(e3.message, e1.message, 'a disabled user must look like wrong credentials');
  assertError(await refreshRes(S, session.refreshToken), 401, 'UNAUTHORIZED');
  const list = await cliOk(S.dataDir, ['user', 'list']);
  const row = (list.stdout.split('\n').find((l) => l.split(/\s+/)[0] === 'disabled-user') ?? '').trim().split(/\s+/);
  assert.equal(row.at(-1), 'disabled', `user list: ${list.stdout}`);
});

test('sign-in: rule violations and wrong JSON types are 400 with reasons', TO, async () => {
  const cases = [
    [{ username: 'ab', password: PW }, ['username']],
    [{ username: 'x'.repeat(31), password: PW }, ['username']],
    [{ username: 'bad name', password: PW }, ['username']],
    [{ username: 'bad/name', password: PW }, ['username']],
    [{ username: 'tiếng', password: PW }, ['username']],
    [{ username: '', password: PW }, ['username']],
    [{ username: 'admin', password: 'Aa1!aaa' }, ['password']],                 // 7 characters
    [{ username: 'admin', password: 'Aa1!' + 'x'.repeat(253) }, ['password']],  // 257 characters
    [{ username: 'admin', password: 'lower#case1' }, ['password']],
    [{ username: 'admin', password: 'UPPER#CASE1' }, ['password']],
    [{ username: 'admin', password: 'No#Digits!!' }, ['password']],
    [{ username: 'admin', password: 'NoSpecial12' }, ['password']],
    [{ username: 'admin', password: '' }, ['password']],
    [{ username: 'a', password: 'short' }, ['username', 'password']],
    [{ username: 'admin' }, ['password']],
    [{ password: PW }, ['username']],
    [{}, ['username', 'password']],
    [{ username: 12345, password: PW }, ['username']],
    [{ username: 'admin', password: 12345678 }, ['password']],
    [{ username: null, password: PW }, ['username']],
    [{ username: ['admin'], password: PW }, ['username']],
    [{ username: 'admin', password: { p: PW } }, ['password']],
    [{ username: 'admin', password: true }, ['password']],
  ];
  for (const [body, sources] of cases) {
    const res = await api(S, 'POST', '/auth/sign-in', { body });
    assertValidation(res, sources);
    assert.equal(res.json.data, undefined);
  }
  // Not an object at all, or not JSON.
  for (const rawBody of ['[]', '"admin"', '42', 'null', '{"username":"admin",', 'username=admin&password=x']) {
    const res = await api(S, 'POST', '/auth/sign-in', { rawBody });
    assertError(res, 400, 'BAD_REQUEST');
  }
});

test('sign-in: unknown keys are 400, even with correct credentials', TO, async () => {
  const res = await api(S, 'POST', '/auth/sign-in', { body: { username: 'admin', password: ADMIN_PASSWORD, remember: true } });
  assertValidation(res, ['remember']);
  assert.equal(reasonFor(res, 'remember').desc, '"remember" is not allowed');
  const two = await api(S, 'POST', '/auth/sign-in', { body: { username: 'admin', password: ADMIN_PASSWORD, a: 1, b: 'x' } });
  assertValidation(two, ['a', 'b']);
  const bad = await api(S, 'POST', '/auth/sign-in', { body: { user: 'admin', password: ADMIN_PASSWORD } });
  assertValidation(bad, ['user', 'username']);
});

// ---- throttling (servers of their own) -----------------------------------------------------------

async function timedSignIn(target, username, password, from) {
  const t = Date.now();
  const res = await signInRes(target, username, password, from);
  return { res, ms: Date.now() - t };
}

function assertThrottled(res, ctx) {
  const e = assertError(res, 429, 'TOO_MANY_REQUESTS');
  const ra = res.headers.get('retry-after');
  assert.match(ra ?? '', /^\d+$/, `${ctx}: Retry-After ${JSON.stringify(ra)}`);
  const secs = Number(ra);
  assert.ok(secs >= 1 && secs <= 15 * 60, `${ctx}: Retry-After ${secs}`);
  assert.equal(res.json.data, undefined);
  return { e, secs };
}

test('throttle by username: 5 failures (from any address) lock it; the right password waits too', TO, async () => {
  const T = await startAuthServer();
  try {
    await addUser(T.dataDir, 'target-user', { role: 'employee', team: 'sales', password: PW });
    let ms = 0;
    for (let i = 1; i <= 5; i++) {
      if (i === 5) await alignToSecond(ms);
      const r = await timedSignIn(T, 'target-user', `Wrong#Pass${i}`, await freshAddress());
      assertUnauthorized(r.res, `failure ${i}`);
      ms = Math.max(ms, r.ms);
    }
    const sixth = await signInRes(T, 'target-user', 'Wrong#Pass6', await freshAddress());
    assertThrottled(sixth, '6th attempt');
    const right = await signInRes(T, 'target-user', PW, await freshAddress());
    const { secs } = assertThrottled(right, 'right password while locked');
    // Usernames are one account whatever their case.
    assertThrottled(await signInRes(T, 'TARGET-USER', PW, await freshAddress()), 'other case while locked');
    // Other users are not locked.
    await signIn(T, 'admin', ADMIN_PASSWORD);

    await sleep(secs * 1000 + 100);
    await signIn(T, 'target-user', PW, await freshAddress());
    // The success cleared the username's failures: a wrong password is a plain 401 again.
    assertUnauthorized(await signInRes(T, 'target-user', 'Wrong#Pass7', await freshAddress()), 'after success');
  } finally {
    await T.close();
  }
});

test('throttle by address: 5 failures for 5 usernames lock the address for any username', TO, async () => {
  const T = await startAuthServer();
  try {
    const X = await freshAddress();
    let ms = 0;
    for (let i = 1; i <= 5; i++) {
      if (i === 5) await alignToSecond(ms);
      const r = await timedSignIn(T, `ghost-${i}`, PW, X);
      assertUnauthorized(r.res, `failure ${i}`);
      ms = Math.max(ms, r.ms);
    }
    const sixth = assertThrottled(await signInRes(T, 'ghost-6', PW, X), '6th username from the address');
    assertThrottled(await signInRes(T, 'admin', ADMIN_PASSWORD, X), 'right password from the locked address');
    if (await loopbackAliasesUsable()) {
      // Only that address is locked.
      assertUnauthorized(await signInRes(T, 'ghost-6', PW, await freshAddress()), 'another address');
    }

    await sleep(sixth.secs * 1000 + 100);
    await signIn(T, 'admin', ADMIN_PASSWORD, X);
    // The success does not clear the address's failures: the next failure locks it again, longer.
    await alignToSecond(ms);
    assertUnauthorized((await timedSignIn(T, 'ghost-7', PW, X)).res, 'failure 6');
    const again = assertThrottled(await signInRes(T, 'ghost-8', PW, X), 'after the 6th failure');
    assert.ok(again.secs > sixth.secs, `Retry-After did not grow: ${sixth.secs} then ${again.secs}`);
  } finally {
    await T.close();
  }
});
