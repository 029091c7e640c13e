// Creates a user pool in a Cognito-compatible endpoint (cognito-local in tests) shaped like
// the one pcustomer expects: a `custom:role` attribute, an app client that allows
// USER_PASSWORD_AUTH, groups `marketing` and `sales`, and one employee in each group.
//
// As a module:
//   const pool = await setupPool(endpointUrl, { withSecret: false });
// As a program (prints the pool as JSON):
//   node tests/cognito/setup-pool.mjs http://127.0.0.1:PORT [--with-secret]

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// One call of the user pool JSON API. Throws with Cognito's error type on failure.
export async function callCognito(endpoint, operation, body) {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let answer = {};
  try {
    answer = text ? JSON.parse(text) : {};
  } catch {
    answer = { message: text };
  }
  if (!response.ok) {
    const error = new Error(`${operation}: HTTP ${response.status} ${answer.__type ?? ''} ${answer.message ?? ''}`.trim());
    error.status = response.status;
    error.type = answer.__type;
    throw error;
  }
  return answer;
}

export const defaultUsers = [
  { username: 'sales.employee', password: 'Sales-Passw0rd!', group: 'sales', role: 'employee' },
  { username: 'marketing.employee', password: 'Marketing-Passw0rd!', group: 'marketing', role: 'employee' },
];

export async function createUser(endpoint, userPoolId, { username, password, group, role }) {
  const created = await callCognito(endpoint, 'AdminCreateUser', {
    UserPoolId: userPoolId,
    Username: username,
    MessageAction: 'SUPPRESS',
    UserAttributes: [
      { Name: 'email', Value: `${username}@example.com` },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'custom:role', Value: role },
    ],
  });
  await callCognito(endpoint, 'AdminSetUserPassword', {
    UserPoolId: userPoolId,
    Username: username,
    Password: password,
    Permanent: true,
  });
  if (group) {
    await callCognito(endpoint, 'AdminAddUserToGroup', {
      UserPoolId: userPoolId,
      Username: username,
      GroupName: group,
    });
  }
  const sub = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
  return { username, password, group, role, sub };
}

export async function setupPool(endpoint, { withSecret = false, users = defaultUsers } = {}) {
  const { UserPool } = await callCognito(endpoint, 'CreateUserPool', {
    PoolName: `pcustomer-test-${Date.now()}`,
    Schema: [{ Name: 'role', AttributeDataType: 'String', Mutable: true }],
  });
  const { UserPoolClient } = await callCognito(endpoint, 'CreateUserPoolClient', {
    UserPoolId: UserPool.Id,
    ClientName: 'pcustomer',
    GenerateSecret: withSecret,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    EnableTokenRevocation: true,
  });
  for (const group of ['marketing', 'sales']) {
    await callCognito(endpoint, 'CreateGroup', { UserPoolId: UserPool.Id, GroupName: group });
  }
  const created = [];
  for (const user of users) created.push(await createUser(endpoint, UserPool.Id, user));
  return {
    endpoint,
    userPoolId: UserPool.Id,
    clientId: UserPoolClient.ClientId,
    clientSecret: UserPoolClient.ClientSecret ?? null,
    issuer: `${endpoint}/${UserPool.Id}`,
    jwksUrl: `${endpoint}/${UserPool.Id}/.well-known/jwks.json`,
    users: created,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const endpoint = process.argv[2];
  if (!endpoint) {
    console.error('usage: node tests/cognito/setup-pool.mjs ENDPOINT_URL [--with-secret]');
    process.exit(2);
  }
  const pool = await setupPool(endpoint.replace(/\/+$/, ''), {
    withSecret: process.argv.includes('--with-secret'),
  });
  console.log(JSON.stringify(pool, null, 2));
}
