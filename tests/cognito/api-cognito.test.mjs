// The service in PCUSTOMER_AUTH=cognito mode against cognito-local: sign in through our API,
// call every customer route as a sales and a marketing employee, refresh, sign out.
// Run: PCUSTOMER_BIN=build/debug/pcustomer node --test tests/cognito/
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../api/lib/server.mjs';
import { callCognito, createUser, setupPool } from './setup-pool.mjs';
import { startCognitoLocal } from './start-cognito-local.mjs';

const TO = { timeout: 60_000 };
let cognito;
let pool;
let server;
let phoneCounter = Math.floor(Math.random() * 1e6);

function nextPhone() {
  phoneCounter += 1;
  return `098${String(phoneCounter % 1e7).padStart(7, '0')}`;
}

async function call(method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, headers: response.headers, json, text };
}

async function signIn(user) {
  const res = await call('POST', '/auth/sign-in', { body: { username: user.username, password: user.password } });
  assert.equal(res.status, 200, res.text);
  const auth = res.json.data.auth;
  assert.ok(auth.accessToken && auth.idToken && auth.refreshToken, res.text);
  assert.ok(auth.expiresIn > 0);
  return auth;
}

const salesUser = () => pool.users.find((u) => u.group === 'sales');
const marketingUser = () => pool.users.find((u) => u.group === 'marketing');

before(async () => {
  cognito = await startCognitoLocal();
  pool = await setupPool(cognito.url);
  server = await startServer({
    env: {
      PCUSTOMER_AUTH: 'cognito',
      AWS_REGION: 'ap-southeast-1',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.url,
      COGNITO_USER_POOL_ID: pool.userPoolId,
      COGNITO_APP_CLIENT_ID: pool.clientId,
    },
  });
});

after(async () => {
  await server?.stop();
  await cognito?.stop();
});

test('sales employees use every customer route through Cognito tokens', TO, async () => {
  const { accessToken } = await signIn(salesUser());
  const created = await call('POST', '/pcustomers', {
    token: accessToken,
    body: { fullName: 'Trần Thị Bình', phone: nextPhone(), age: 41, productCode: 'book' },
  });
  assert.equal(created.status, 201, created.text);
  const id = created.json.data.id;
  const path = `/pcustomers/${encodeURIComponent(id)}`;
  const singular = await call('POST', '/pcustomer', {
    token: accessToken,
    body: { fullName: 'Lê Văn Cường', phone: nextPhone(), age: 29, productCode: 'book' },
  });
  assert.equal(singular.status, 201, singular.text);
  assert.equal((await call('GET', path, { token: accessToken })).status, 200);
  const listed = await call('GET', '/pcustomers?limit=100', { token: accessToken });
  assert.equal(listed.status, 200, listed.text);
  assert.ok(listed.json.data.some((c) => c.id === id));
  const patched = await call('PATCH', path, { token: accessToken, body: { age: 42 } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.data.age, 42);
  assert.equal((await call('DELETE', path, { token: accessToken })).status, 200);
  assert.equal((await call('GET', path, { token: accessToken })).status, 404);
});

test('marketing employees read but every write is 403 teamCheck', TO, async () => {
  const sales = await signIn(salesUser());
  const created = await call('POST', '/pcustomers', {
    token: sales.accessToken,
    body: { fullName: 'Phạm Minh Đức', phone: nextPhone(), age: 35, productCode: 'household_tool' },
  });
  assert.equal(created.status, 201, created.text);
  const path = `/pcustomers/${encodeURIComponent(created.json.data.id)}`;

  const { accessToken } = await signIn(marketingUser());
  assert.equal((await call('GET', '/pcustomers', { token: accessToken })).status, 200);
  assert.equal((await call('GET', path, { token: accessToken })).status, 200);
  const writes = [
    ['POST', '/pcustomers', { fullName: 'Võ Thị Em', phone: nextPhone(), age: 22, productCode: 'book' }],
    ['POST', '/pcustomer', { fullName: 'Võ Thị Em', phone: nextPhone(), age: 22, productCode: 'book' }],
    ['PATCH', path, { age: 50 }],
    ['DELETE', path, undefined],
  ];
  for (const [method, target, body] of writes) {
    const res = await call(method, target, { token: accessToken, body });
    assert.equal(res.status, 403, `${method} ${target}: ${res.text}`);
    assert.equal(res.json.error.code, 'FORBIDDEN');
    assert.deepEqual(res.json.error.details.reasons, [{ source: 'teamCheck', desc: 'Role of user is not allowed: marketing' }]);
  }
  assert.equal((await call('GET', path, { token: sales.accessToken })).json.data.age, 35, 'nothing changed');
});

test('the role comes from GetUser when the access token lacks custom:role', TO, async () => {
  // cognito-local, like Cognito without the paid trigger, leaves custom:role out of access tokens.
  const { accessToken } = await signIn(salesUser());
  const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url'));
  assert.equal(claims['custom:role'], undefined);
  const intern = await createUser(cognito.url, pool.userPoolId,
    { username: 'sales.intern', password: 'Intern-Passw0rd!', group: 'sales', role: 'intern' });
  const res = await call('GET', '/pcustomers', { token: (await signIn(intern)).accessToken });
  assert.equal(res.status, 403, res.text);
  assert.deepEqual(res.json.error.details.reasons, [{ source: 'roleCheck', desc: 'Role of user is not allowed: intern' }]);
});

test('wrong password and unknown user get the same 401; no token is 401', TO, async () => {
  const wrong = await call('POST', '/auth/sign-in', { body: { username: salesUser().username, password: 'Wrong-Passw0rd!' } });
  const unknown = await call('POST', '/auth/sign-in', { body: { username: 'nobody.here', password: 'Wrong-Passw0rd!' } });
  assert.equal(wrong.status, 401, wrong.text);
  assert.equal(unknown.status, 401, unknown.text);
  assert.equal(wrong.json.error.message, unknown.json.error.message);
  assert.equal((await call('GET', '/pcustomers')).status, 401);
  assert.equal((await call('GET', '/pcustomers', { token: 'not.a.token' })).status, 401);
});

test('refresh gives new tokens; sign-out revokes the refresh token', TO, async () => {
  const { refreshToken } = await signIn(salesUser());
  const refreshed = await call('POST', '/auth/refresh-tokens', { body: { refreshToken } });
  assert.equal(refreshed.status, 200, refreshed.text);
  const newAccess = refreshed.json.data.auth.accessToken;
  assert.equal((await call('GET', '/pcustomers', { token: newAccess })).status, 200);
  const out = await call('POST', '/auth/sign-out', { body: { refreshToken } });
  assert.equal(out.status, 200, out.text);
  const after = await call('POST', '/auth/refresh-tokens', { body: { refreshToken } });
  assert.equal(after.status, 401, after.text);
});

test('refresh passes the username on to Cognito', TO, async () => {
  const user = salesUser();
  const { refreshToken } = await signIn(user);
  const refreshed = await call('POST', '/auth/refresh-tokens', { body: { refreshToken, username: user.username } });
  assert.equal(refreshed.status, 200, refreshed.text);
  assert.equal((await call('GET', '/pcustomers', { token: refreshed.json.data.auth.accessToken })).status, 200);
});

test('this server publishes no JWKS of its own in Cognito mode', TO, async () => {
  assert.equal((await call('GET', '/.well-known/jwks.json')).status, 404);
});

test('a stopped Cognito gives 503 on sign-in, and verified tokens keep working', TO, async () => {
  const { accessToken } = await signIn(salesUser());
  assert.equal((await call('GET', '/pcustomers', { token: accessToken })).status, 200);
  await cognito.stop();
  const res = await call('POST', '/auth/sign-in', { body: { username: salesUser().username, password: salesUser().password } });
  assert.equal(res.status, 503, res.text);
  assert.equal(res.json.error.code, 'SERVICE_UNAVAILABLE');
  assert.ok(res.headers.get('retry-after'));
  // Keys and the role are cached: the token still verifies without Cognito.
  assert.equal((await call('GET', '/pcustomers', { token: accessToken })).status, 200);
});
