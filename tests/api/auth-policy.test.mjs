// Local identity provider (CONTRACT sections 3 and 5), the users and the policy: the user CLI
// against a running server, the role/team policy on every customer route, and no token at all.
// The other auth-*.test.mjs files cover sign-in and its throttle, and bearer tokens, refresh,
// sign-out and key rotation.
//
// The server here is started by this file with its own data directory and a known admin
// password (PCUSTOMER_TEST_HEADERS_MODULE is not used).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, describeRes, newCustomer, createCustomer, idPath, core, assertError, assertCustomer,
} from './lib/client.mjs';
import {
  ADMIN_PASSWORD, externalSkipReason, startAuthServer, cli, cliOk, addUser, signIn, bearer, assertUnauthorized,
} from './lib/auth.mjs';
import { PW, USERS } from './lib/auth-users.mjs';

const SKIP = externalSkipReason();
const TO = { timeout: 30_000, skip: SKIP };

let S;          // the server
let adminAuth;  // admin's tokens on S

/** A target for api()/createCustomer() that sends `token` as the bearer token. */
const as = (token) => ({ baseUrl: S.baseUrl, headers: () => bearer(token) });

before(async () => {
  if (SKIP) return;
  S = await startAuthServer();
  // Users are created while the server runs (the admin exists from its first start).
  for (const [name, u] of Object.entries(USERS)) await addUser(S.dataDir, name, { ...u, password: PW });
  adminAuth = await signIn(S, 'admin', ADMIN_PASSWORD);
}, { timeout: 60_000 });

after(async () => { await S?.close(); });

// ---- CLI ----------------------------------------------------------------------------------------

test('user CLI: list shows the users; duplicate names (any case), bad roles and teams exit 2', TO, async () => {
  const list = await cliOk(S.dataDir, ['user', 'list']);
  for (const [name, u] of Object.entries({ admin: { role: 'admin', team: 'sales' }, ...USERS })) {
    const line = list.stdout.split('\n').find((l) => l.split(/\s+/)[0] === name);
    assert.ok(line, `user list lacks ${name}:\n${list.stdout}`);
    assert.match(line, new RegExp(`\\b${u.role}\\b.*\\b${u.team}\\b`), line);
  }
  for (const [args, why] of [
    [['user', 'add', 'EMP-MKT', '--role', 'employee', '--team', 'sales'], 'duplicate username (other case)'],
    [['user', 'add', 'emp-sales', '--role', 'employee', '--team', 'sales'], 'duplicate username'],
    [['user', 'add', 'new-guest', '--role', 'guest', '--team', 'sales'], 'unknown role'],
    [['user', 'add', 'new-ops', '--role', 'employee', '--team', 'ops'], 'unknown team'],
  ]) {
    const r = await cli(S.dataDir, [...args, '--password-stdin'], { input: 'Other#Pass1\n' });
    assert.equal(r.code, 2, `${why}: pcustomer ${args.join(' ')} exited ${r.code}\nstderr: ${r.stderr}`);
    assert.ok(r.stderr.trim().length > 0, `${why}: no message on stderr`);
  }
  // The duplicate did not replace the original user's password.
  await signIn(S, 'emp-mkt', PW);
});

// ---- policy --------------------------------------------------------------------------------------

test('policy matrix: employee/admin x marketing/sales on every customer route', { ...TO, timeout: 60_000 }, async () => {
  const admin = as(adminAuth.accessToken);
  for (const [name, u] of Object.entries(USERS)) {
    const { accessToken } = await signIn(S, name, PW);
    const me = as(accessToken);
    const canWrite = u.team === 'sales';
    const ctx = `${name} (${u.role}/${u.team})`;
    const denied = (res, what) => {
      const e = assertError(res, 403, 'FORBIDDEN');
      assert.deepEqual(e.details.reasons, [{ source: 'teamCheck', desc: 'Role of user is not allowed: marketing' }],
        `${ctx} ${what}: ${describeRes(res)}`);
    };
    const target = await createCustomer(admin);   // for get, patch, delete

    // read: every role and team here may read
    const list = await api(me, 'GET', '/pcustomers?limit=5');
    assert.equal(list.status, 200, `${ctx} list: ${describeRes(list)}`);
    assert.ok(Array.isArray(list.json.data), describeRes(list));
    const got = await api(me, 'GET', idPath(target.id));
    assert.equal(got.status, 200, `${ctx} get: ${describeRes(got)}`);
    assert.deepEqual(core(got.json.data), core(target));

    // create, on both paths
    for (const p of ['/pcustomers', '/pcustomer']) {
      const body = newCustomer();
      const res = await api(me, 'POST', p, { body });
      if (canWrite) {
        assert.equal(res.status, 201, `${ctx} POST ${p}: ${describeRes(res)}`);
        assertCustomer(res.json.data, body);
      } else {
        denied(res, `POST ${p}`);
        // Nothing was stored: the phone is still free.
        const again = await api(admin, 'POST', p, { body });
        assert.equal(again.status, 201, `${ctx} POST ${p} was denied but stored something: ${describeRes(again)}`);
      }
    }

    // patch
    const patch = await api(me, 'PATCH', idPath(target.id), { body: { age: target.age === 40 ? 41 : 40 } });
    if (canWrite) {
      assert.equal(patch.status, 200, `${ctx} PATCH: ${describeRes(patch)}`);
      assert.notEqual(patch.json.data.age, target.age);
    } else {
      denied(patch, 'PATCH');
      const after = await api(admin, 'GET', idPath(target.id));
      assert.deepEqual(core(after.json.data), core(target), `${ctx}: denied PATCH changed the customer`);
    }

    // delete
    const del = await api(me, 'DELETE', idPath(target.id));
    if (canWrite) {
      assert.equal(del.status, 200, `${ctx} DELETE: ${describeRes(del)}`);
      assert.equal(del.json.data, true);
      const gone = await api(admin, 'GET', idPath(target.id));
      assertError(gone, 404, 'NOT_FOUND');
    } else {
      denied(del, 'DELETE');
      const still = await api(admin, 'GET', idPath(target.id));
      assert.equal(still.status, 200, `${ctx}: denied DELETE removed the customer: ${describeRes(still)}`);
    }
  }
});

test('no token: every customer route is 401 with WWW-Authenticate; public routes need none', TO, async () => {
  const c = await createCustomer(as(adminAuth.accessToken));
  const anon = { baseUrl: S.baseUrl, headers: () => ({}) };
  const routes = [
    ['GET', '/pcustomers'],
    ['GET', '/pcustomers?limit=3'],
    ['GET', idPath(c.id)],
    ['GET', idPath('CUSTOMER#1')],
    ['POST', '/pcustomers', newCustomer()],
    ['POST', '/pcustomer', newCustomer()],
    ['POST', '/pcustomers', {}],
    ['PATCH', idPath(c.id), { age: 44 }],
    ['DELETE', idPath(c.id)],
  ];
  for (const [method, p, body] of routes) {
    const res = await api(anon, method, p, { body });
    assertUnauthorized(res, `${method} ${p}`);
  }
  const still = await api(as(adminAuth.accessToken), 'GET', idPath(c.id));
  assert.deepEqual(core(still.json.data), core(c), 'an unauthenticated request changed the customer');
  for (const p of ['/', '/healthz', '/readyz', '/metrics', '/.well-known/jwks.json']) {
    const res = await api(anon, 'GET', p);
    assert.equal(res.status, 200, `${p}: ${describeRes(res)}`);
  }
});
