// Local identity provider (CONTRACT sections 3 and 5), tokens: bearer token checks (forged,
// tampered and foreign tokens), refresh-token rotation and reuse, sign-out, a password change
// on a running server, and key rotation. The other auth-*.test.mjs files cover the users and
// the role/team policy, and sign-in and its throttle.
//
// Every server here is started by this file with its own data directory and a known admin
// password (PCUSTOMER_TEST_HEADERS_MODULE is not used). Sign-in failures are sent from other
// loopback addresses (127.0.0.x) where the host allows it, so the per-address throttle never
// locks out the other tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { api, describeRes, newCustomer, assertError, assertValidation, reasonFor } from './lib/client.mjs';
import { buildRequest, rawRequest } from './lib/raw.mjs';
import {
  ADMIN_PASSWORD, externalSkipReason, startAuthServer, startSibling, cli, cliOk, addUser, freshAddress, signInRes,
  signIn, refreshRes, signOutRes, bearer, probe, jwksKeys, b64url, decodeJwt, verifiesWith, signingKeyPem, signRs256,
  assertUnauthorized,
} from './lib/auth.mjs';
import { PW, USERS } from './lib/auth-users.mjs';

const SKIP = externalSkipReason();
const TO = { timeout: 30_000, skip: SKIP };

let S;          // the main server
let adminAuth;  // admin's tokens on S

/** A target for api()/createCustomer() that sends `token` as the bearer token. */
const as = (token) => ({ baseUrl: S.baseUrl, headers: () => bearer(token) });

before(async () => {
  if (SKIP) return;
  S = await startAuthServer();
  // Users are created while the server runs (the admin exists from its first start).
  for (const name of ['emp-mkt', 'emp-sales']) await addUser(S.dataDir, name, { ...USERS[name], password: PW });
  for (const name of ['passwd-user', 'refresh-user', 'signout-user', 'refresh-username-user']) {
    await addUser(S.dataDir, name, { role: 'employee', team: 'sales', password: PW });
  }
  adminAuth = await signIn(S, 'admin', ADMIN_PASSWORD);
}, { timeout: 60_000 });

after(async () => { await S?.close(); });

// ---- bearer tokens -------------------------------------------------------------------------------

test('bearer tokens: forged, tampered, truncated, garbage, wrong scheme, id token -> 401, never 5xx', TO, async () => {
  const mkt = await signIn(S, 'emp-mkt', PW);
  const other = await signIn(S, 'emp-sales', PW);
  const tok = decodeJwt(mkt.accessToken);
  const [h, p, s] = tok.parts;
  const edit = (change) => `${h}.${b64url({ ...tok.payload, ...change })}.${s}`;
  const keys = await jwksKeys(S);
  const jwk = keys.find((k) => k.kid === tok.header.kid);
  const pubPem = crypto.createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' });
  const hs256 = (() => {
    const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: tok.header.kid })}.${p}`;
    return `${input}.${b64url(crypto.createHmac('sha256', pubPem).update(input).digest())}`;
  })();
  const noneHeader = (alg, withKid = true) => b64url({ alg, typ: 'JWT', ...(withKid ? { kid: tok.header.kid } : {}) });

  const cases = {
    'alg none, empty signature': `${noneHeader('none')}.${p}.`,
    'alg none, no kid': `${noneHeader('none', false)}.${p}.`,
    'alg None': `${noneHeader('None')}.${p}.`,
    'alg NONE, signature kept': `${noneHeader('NONE')}.${p}.${s}`,
    'alg none, two parts': `${noneHeader('none')}.${p}`,
    'alg HS256 keyed with the public key': hs256,
    'team changed to sales, signature kept': edit({ 'cognito:groups': ['sales'] }),
    'role changed, signature kept': edit({ 'custom:role': 'admin' }),
    'exp pushed out, signature kept': edit({ exp: tok.payload.exp + 86400 * 365 }),
    'username changed, signature kept': edit({ username: 'admin', sub: 'admin' }),
    'signature of another token': `${h}.${p}.${decodeJwt(other.accessToken).parts[2]}`,
    'signature truncated': mkt.accessToken.slice(0, -4),
    'signature removed': `${h}.${p}.`,
    'payload only': p,
    'first 100 characters': mkt.accessToken.slice(0, 100),
    'extra segment': `${mkt.accessToken}.${s}`,
    'bad base64 in header': `${h}!.${p}.${s}`,
    'header not JSON': `${b64url('not json')}.${p}.${s}`,
    'payload not JSON': `${h}.${b64url('{"iss":')}.${s}`,
    'random garbage': crypto.randomBytes(48).toString('base64url'),
    'dots only': '..',
    'three garbage parts': 'abc.def.ghi',
    '7 KB garbage': 'g'.repeat(7 * 1024),
    '7 KB JWT-shaped garbage': `${h}.${'A'.repeat(6 * 1024)}.${s}`,
    'id token': mkt.idToken,
    'refresh token': mkt.refreshToken,
  };
  const writeBody = newCustomer();
  for (const [name, token] of Object.entries(cases)) {
    const read = await api(S, 'GET', '/pcustomers?limit=1', { headers: bearer(token) });
    assertUnauthorized(read, `GET with ${name}`);
    const write = await api(S, 'POST', '/pcustomers', { headers: bearer(token), body: writeBody });
    assertUnauthorized(write, `POST with ${name}`);
  }
  // Other schemes and bearer without a token.
  const authorizations = {
    'Bearer without a token': 'Bearer',
    'Basic credentials': `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
    'Basic xxx': 'Basic xxx',
    'Token scheme': `Token ${mkt.accessToken}`,
    'no space after Bearer': `Bearer${mkt.accessToken}`,
    'two tokens': `Bearer ${mkt.accessToken} ${mkt.accessToken}`,
    'token only': mkt.accessToken,
  };
  for (const [name, authorization] of Object.entries(authorizations)) {
    const res = await api(S, 'GET', '/pcustomers?limit=1', { headers: { authorization } });
    assertUnauthorized(res, name);
  }
  // 'Bearer' followed by spaces only, sent as is.
  const spaces = await rawRequest(S, buildRequest(S, 'GET', '/pcustomers?limit=1', { headers: { Authorization: 'Bearer    ' } }));
  assert.equal(spaces.status, 401, `Bearer + spaces: ${spaces.status} ${spaces.text}`);
  assert.equal(spaces.json?.error?.code, 'UNAUTHORIZED', spaces.text);

  // A 100 KB token makes the request head too big (431), or is refused as a token (401).
  const huge = await rawRequest(S, buildRequest(S, 'GET', '/pcustomers?limit=1', {
    headers: { Authorization: `Bearer ${'h'.repeat(100 * 1024)}` },
  }));
  assert.ok([401, 431].includes(huge.status), `100 KB token: ${huge.status} ${huge.text.slice(0, 300)}`);

  // The creates above were all refused: the phone is still free.
  const created = await api(as(adminAuth.accessToken), 'POST', '/pcustomers', { body: writeBody });
  assert.equal(created.status, 201, `a refused token created a customer: ${describeRes(created)}`);

  // Positive controls: the untouched token works, and the scheme is case-insensitive (RFC 7235).
  assert.equal((await probe(S, mkt.accessToken)).status, 200);
  const lower = await api(S, 'GET', '/pcustomers?limit=1', { headers: { authorization: `bearer ${mkt.accessToken}` } });
  assert.equal(lower.status, 200, describeRes(lower));
  // The server is still fine.
  assert.equal((await api(S, 'GET', '/healthz')).status, 200);
});

test('bearer tokens signed with the real key: expired or foreign claims -> 401, unknown role -> 403', TO, async (t) => {
  const mine = await signIn(S, 'emp-sales', PW);
  const { header, payload } = decodeJwt(mine.accessToken);
  const pem = signingKeyPem(S.dataDir, header.kid);
  if (!pem) { t.skip(`signing key ${header.kid}.pem not found under ${S.dataDir}/keys`); return; }
  const now = Math.floor(Date.now() / 1000);
  const forge = (change, hdr = {}) => {
    const claims = { ...payload, jti: crypto.randomBytes(16).toString('base64url'), ...change };
    for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
    return signRs256(pem, { kid: header.kid, ...hdr }, claims);
  };

  // Control: a token made this way with unchanged claims is accepted.
  const control = await probe(S, forge({}));
  assert.equal(control.status, 200, `forged control token refused, the negatives below prove nothing: ${describeRes(control)}`);

  const rejected = {
    'expired 10 minutes ago': forge({ iat: now - 3600 - 600, exp: now - 600 }),
    'other issuer': forge({ iss: 'urn:pcustomer:elsewhere' }),
    'other client_id': forge({ client_id: 'someone-else' }),
    'token_use id': forge({ token_use: 'id' }),
    'no token_use': forge({ token_use: undefined }),
    'no exp': forge({ exp: undefined }),
    'exp as a string': forge({ exp: String(payload.exp) }),
    'unknown kid': forge({}, { kid: 'no-such-key' }),
  };
  for (const [name, token] of Object.entries(rejected)) {
    const res = await probe(S, token);
    assertUnauthorized(res, name);
  }

  // Authenticated but not allowed: 403 with roleCheck / teamCheck reasons.
  const guest = await probe(S, forge({ 'custom:role': 'guest' }));
  let e = assertError(guest, 403, 'FORBIDDEN');
  assert.deepEqual(e.details.reasons, [{ source: 'roleCheck', desc: 'Role of user is not allowed: guest' }], describeRes(guest));
  const outsider = await api(S, 'POST', '/pcustomers', {
    headers: bearer(forge({ 'custom:role': 'guest', 'cognito:groups': ['marketing'] })), body: newCustomer(),
  });
  e = assertError(outsider, 403, 'FORBIDDEN');
  assert.deepEqual(e.details.reasons.map((r) => r.source).sort(), ['roleCheck', 'teamCheck'], describeRes(outsider));
  assert.equal(reasonFor(outsider, 'roleCheck').desc, 'Role of user is not allowed: guest');
  assert.equal(reasonFor(outsider, 'teamCheck').desc, 'Role of user is not allowed: marketing');
  const noTeam = await probe(S, forge({ 'cognito:groups': [] }));
  e = assertError(noTeam, 403, 'FORBIDDEN');
  assert.deepEqual(e.details.reasons.map((r) => r.source), ['teamCheck'], describeRes(noTeam));
  assert.match(reasonFor(noTeam, 'teamCheck').desc, /^Role of user is not allowed: /);
});

// ---- refresh and sign-out ------------------------------------------------------------------------

test('refresh: A -> B -> C rotates; presenting A again is 401 and revokes C too', TO, async () => {
  const first = await signIn(S, 'refresh-user', PW);
  const A = first.refreshToken;
  const rb = await refreshRes(S, A);
  assert.equal(rb.status, 200, describeRes(rb));
  assert.match(rb.headers.get('cache-control') ?? '', /\bno-store\b/i);
  const b = rb.json.data.auth;
  for (const k of ['idToken', 'accessToken', 'refreshToken']) assert.equal(typeof b[k], 'string', `${k}: ${describeRes(rb)}`);
  assert.equal(b.expiresIn, 3600);
  assert.notEqual(b.refreshToken, A, 'refresh token was not rotated');
  assert.notEqual(b.accessToken, first.accessToken);
  const claims = decodeJwt(b.accessToken).payload;
  assert.equal(claims.username, 'refresh-user');
  assert.equal(claims.token_use, 'access');
  assert.equal(claims.exp - claims.iat, 3600);
  assert.equal((await probe(S, b.accessToken)).status, 200);
  const B = b.refreshToken;

  const rc = await refreshRes(S, B);
  assert.equal(rc.status, 200, describeRes(rc));
  const C = rc.json.data.auth.refreshToken;
  assert.ok(C && C !== B && C !== A);

  // Reuse of a rotated token: 401, and the whole family is revoked.
  assertError(await refreshRes(S, A), 401, 'UNAUTHORIZED');
  assertError(await refreshRes(S, C), 401, 'UNAUTHORIZED');
  assertError(await refreshRes(S, B), 401, 'UNAUTHORIZED');

  // Another session of the same user is not affected.
  const other = await signIn(S, 'refresh-user', PW);
  const ro = await refreshRes(S, other.refreshToken);
  assert.equal(ro.status, 200, describeRes(ro));
});

test('refresh and sign-out: bad bodies are 400, unknown tokens 401', TO, async () => {
  for (const route of ['/auth/refresh-tokens', '/auth/sign-out']) {
    for (const [body, sources] of [
      [{}, ['refreshToken']],
      [{ refreshToken: '' }, ['refreshToken']],
      [{ refreshToken: 42 }, ['refreshToken']],
      [{ refreshToken: null }, ['refreshToken']],
      [{ refreshToken: 'abc', extra: 1 }, ['extra']],
      [{ refresh_token: 'abc' }, ['refresh_token', 'refreshToken']],
    ]) {
      const res = await api(S, 'POST', route, { body });
      assertValidation(res, sources);
    }
    const res = await api(S, 'POST', route, { rawBody: '[]' });
    assertError(res, 400, 'BAD_REQUEST');
  }
  for (const token of ['garbage', crypto.randomBytes(32).toString('base64url'), adminAuth.accessToken]) {
    assertError(await refreshRes(S, token), 401, 'UNAUTHORIZED');
  }
  // Refresh also takes the user's name (Cognito needs it with an app client secret); sign-out does not.
  for (const [body, sources] of [
    [{ refreshToken: 'abc', username: '' }, ['username']],
    [{ refreshToken: 'abc', username: 7 }, ['username']],
    [{ refreshToken: 'abc', username: 'u'.repeat(129) }, ['username']],
  ]) {
    assertValidation(await api(S, 'POST', '/auth/refresh-tokens', { body }), sources);
  }
  assertValidation(await api(S, 'POST', '/auth/sign-out', { body: { refreshToken: 'abc', username: 'admin' } }), ['username']);
});

test('refresh: a username alongside the token is accepted and changes nothing locally', TO, async () => {
  const session = await signIn(S, 'refresh-username-user', PW);
  const res = await api(S, 'POST', '/auth/refresh-tokens', {
    body: { refreshToken: session.refreshToken, username: 'someone-else' },
  });
  assert.equal(res.status, 200, describeRes(res));
  const claims = JSON.parse(Buffer.from(res.json.data.auth.accessToken.split('.')[1], 'base64url'));
  assert.equal(claims.username, 'refresh-username-user', 'the token names its own user, not the given name');
});

test('sign-out: the refresh token stops working; signing out twice is 200', TO, async () => {
  const s1 = await signIn(S, 'signout-user', PW);
  const out = await signOutRes(S, s1.refreshToken);
  assert.equal(out.status, 200, describeRes(out));
  assert.equal(out.json.data, true);
  assertError(await refreshRes(S, s1.refreshToken), 401, 'UNAUTHORIZED');
  const twice = await signOutRes(S, s1.refreshToken);
  assert.equal(twice.status, 200, describeRes(twice));
  assert.equal(twice.json.data, true);

  // Signing out with a rotated-out token ends the family's newest token as well.
  const s2 = await signIn(S, 'signout-user', PW);
  const r = await refreshRes(S, s2.refreshToken);
  assert.equal(r.status, 200, describeRes(r));
  const newest = r.json.data.auth.refreshToken;
  const out2 = await signOutRes(S, s2.refreshToken);
  assert.equal(out2.status, 200, describeRes(out2));
  assertError(await refreshRes(S, newest), 401, 'UNAUTHORIZED');

  // Other sessions of the user live on.
  const s3 = await signIn(S, 'signout-user', PW);
  assert.equal((await refreshRes(S, s3.refreshToken)).status, 200);
});

test('user passwd on a running server: refresh tokens revoked, only the new password works', TO, async () => {
  const NEW = 'Changed#Pass2';
  const before = await signIn(S, 'passwd-user', PW);
  await cliOk(S.dataDir, ['user', 'passwd', 'passwd-user', '--password-stdin'], { input: NEW + '\n' });
  assertError(await refreshRes(S, before.refreshToken), 401, 'UNAUTHORIZED');
  assertUnauthorized(await signInRes(S, 'passwd-user', PW, await freshAddress()), 'old password');
  const after = await signIn(S, 'passwd-user', NEW);
  assert.equal((await probe(S, after.accessToken)).status, 200);
  const r = await refreshRes(S, after.refreshToken);
  assert.equal(r.status, 200, describeRes(r));

  const unknown = await cli(S.dataDir, ['user', 'passwd', 'no-such-user', '--password-stdin'], { input: NEW + '\n' });
  assert.notEqual(unknown.code, 0, `passwd of an unknown user exited 0: ${unknown.stdout}`);
  const weak = await cli(S.dataDir, ['user', 'passwd', 'passwd-user', '--password-stdin'], { input: 'weak\n' });
  assert.notEqual(weak.code, 0, 'passwd accepted a password that breaks the rules');
  await signIn(S, 'passwd-user', NEW);
});

// ---- key rotation --------------------------------------------------------------------------------

test('keys rotate on a running server: old tokens keep working, new key signs, restarts keep both', { ...TO, timeout: 60_000 }, async () => {
  const K = await startAuthServer();
  let sibling = null;
  try {
    const old = await signIn(K, 'admin', ADMIN_PASSWORD);
    const kid1 = decodeJwt(old.accessToken).header.kid;
    assert.deepEqual((await jwksKeys(K)).map((k) => k.kid), [kid1]);

    await cliOk(K.dataDir, ['keys', 'rotate']);
    assert.equal((await probe(K, old.accessToken)).status, 200, 'old token refused right after the rotation');

    // A server started now on the same data directory publishes both keys and signs with the new one.
    sibling = await startSibling(K);
    const both = await jwksKeys(sibling);
    assert.equal(both.length, 2, `JWKS after rotation: ${JSON.stringify(both.map((k) => k.kid))}`);
    assert.ok(both.some((k) => k.kid === kid1), 'the old key left the JWKS while its tokens are valid');
    const kid2 = both.find((k) => k.kid !== kid1).kid;
    const fresh = await signIn(sibling, 'admin', ADMIN_PASSWORD);
    assert.equal(decodeJwt(fresh.accessToken).header.kid, kid2, 'new sign-ins are not signed with the new key');
    assert.ok(verifiesWith(fresh.accessToken, both));
    assert.equal((await probe(sibling, old.accessToken)).status, 200, 'old token refused by a server started after the rotation');
    // The server that was running during the rotation accepts the new kid at once.
    const cross = await probe(K, fresh.accessToken);
    assert.equal(cross.status, 200, `running server refused a token signed with the new key: ${describeRes(cross)}`);
    assert.deepEqual((await jwksKeys(K)).map((k) => k.kid).sort(), [kid1, kid2].sort());
    await sibling.stop();
    sibling = null;

    // Tokens survive a restart; after it the new key signs.
    await K.restart();
    assert.equal((await probe(K, old.accessToken)).status, 200, 'old token refused after restart');
    assert.equal((await probe(K, fresh.accessToken)).status, 200, 'new-key token refused after restart');
    const keys = await jwksKeys(K);
    assert.deepEqual(keys.map((k) => k.kid).sort(), [kid1, kid2].sort());
    const after = await signIn(K, 'admin', ADMIN_PASSWORD);
    assert.equal(decodeJwt(after.accessToken).header.kid, kid2, 'after restart the old key still signs');
    assert.ok(verifiesWith(after.accessToken, keys));
    // Refresh tokens survive too, and their new access tokens carry the new kid.
    const r = await refreshRes(K, old.refreshToken);
    assert.equal(r.status, 200, describeRes(r));
    assert.equal(decodeJwt(r.json.data.auth.accessToken).header.kid, kid2);
  } finally {
    if (sibling) await sibling.stop();
    await K.close();
  }
});
