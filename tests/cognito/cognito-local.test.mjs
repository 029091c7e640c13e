// Pins what the test emulator (cognito-local) does, so that tests built on it know what
// they can rely on: node --test tests/cognito/
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { callCognito, setupPool } from './setup-pool.mjs';
import { startCognitoLocal } from './start-cognito-local.mjs';

let cognito;
let pool;

const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));

async function signIn(user) {
  const answer = await callCognito(cognito.url, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: pool.clientId,
    AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
  });
  return answer.AuthenticationResult;
}

before(async () => {
  cognito = await startCognitoLocal();
  pool = await setupPool(cognito.url);
});

after(async () => {
  await cognito?.stop();
});

test('access tokens are shaped like Cognito access tokens', async () => {
  const [sales] = pool.users;
  const tokens = await signIn(sales);
  assert.ok(tokens.IdToken && tokens.RefreshToken);
  const access = claims(tokens.AccessToken);
  assert.equal(access.iss, `${cognito.url}/${pool.userPoolId}`);
  assert.equal(access.token_use, 'access');
  assert.equal(access.client_id, pool.clientId);
  assert.equal(access.username, sales.username);
  assert.equal(access.sub, sales.sub);
  assert.deepEqual(access['cognito:groups'], ['sales']);
  // Custom attributes are only in the ID token (as in Cognito without a V2 pre-token
  // trigger): the role comes from GetUser or the ID token.
  assert.equal(access['custom:role'], undefined);
  assert.equal(claims(tokens.IdToken)['custom:role'], 'employee');
});

test('keys are served at <endpoint>/<pool>/.well-known/jwks.json', async () => {
  const response = await fetch(pool.jwksUrl);
  assert.equal(response.status, 200);
  const { keys } = await response.json();
  assert.equal(keys[0].kty, 'RSA');
  assert.equal(keys[0].kid, 'CognitoLocal');
});

test('unknown user and wrong password fail', async () => {
  const [sales] = pool.users;
  await assert.rejects(signIn({ ...sales, password: 'wrong' }), { type: 'InvalidPasswordException' });
  await assert.rejects(signIn({ username: 'ghost', password: 'x' }), { type: 'NotAuthorizedException' });
});

test('refresh, GetUser and RevokeToken work', async () => {
  const [, marketing] = pool.users;
  const tokens = await signIn(marketing);
  const refreshed = await callCognito(cognito.url, 'InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: pool.clientId,
    AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
  });
  assert.ok(refreshed.AuthenticationResult.AccessToken);
  assert.equal(refreshed.AuthenticationResult.RefreshToken, undefined);

  const user = await callCognito(cognito.url, 'GetUser', { AccessToken: tokens.AccessToken });
  assert.equal(user.Username, marketing.username);
  const role = user.UserAttributes.find((a) => a.Name === 'custom:role');
  assert.equal(role.Value, 'employee');

  await callCognito(cognito.url, 'RevokeToken', { Token: tokens.RefreshToken, ClientId: pool.clientId });
  await assert.rejects(
    callCognito(cognito.url, 'InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: pool.clientId,
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
    }),
    { type: 'NotAuthorizedException' },
  );
});
