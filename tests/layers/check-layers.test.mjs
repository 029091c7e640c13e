// scripts/check-layers against two small trees laid out like src/pcustomer/: fixtures/conforming
// holds every kind of include the rules allow, fixtures/violating breaks each rule once. The
// fixture files are only their #include lines; the headers they name need not exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const script = fileURLToPath(new URL('../../scripts/check-layers', import.meta.url));

// Run from the fixtures folder, so the printed paths start with the root as given.
function check(...args) {
  const run = spawnSync(process.execPath, [script, ...args], { cwd: fixtures, encoding: 'utf8' });
  return { status: run.status, lines: run.stdout.trim().split('\n'), stderr: run.stderr };
}

test('a tree that follows the rules passes with a summary', () => {
  const { status, lines } = check('conforming');
  assert.equal(status, 0);
  assert.deepEqual(lines, ['check-layers: 21 files, 35 includes checked, all follow the layer rules']);
});

test('each include against the rules is listed as file:line, and the run fails', () => {
  const { status, lines } = check('violating');
  assert.equal(status, 1);
  assert.deepEqual(lines, [
    'violating/api/routes.cpp:2: api includes store/sqlite (pcustomer/store/sqlite/sqlite_store.hpp)',
    'violating/api/routes.hpp:1: api includes store/testing (pcustomer/store/testing/embedded_stores.hpp)',
    'violating/api/routes_test.cpp:2: api includes store/sqlite (pcustomer/store/sqlite/sqlite_store.hpp)',
    'violating/auth/policy.cpp:1: auth includes aws/testing (pcustomer/aws/testing/fake_server.hpp)',
    'violating/auth/policy.cpp:2: auth includes web, not a layer (pcustomer/web/assets.hpp)',
    'violating/auth/policy_test.cpp:1: auth includes api/testing (pcustomer/api/testing/fake_router.hpp)',
    'violating/aws/client.hpp:3: aws includes validation (pcustomer/validation/rule.hpp)',
    'violating/domain/customer.hpp:2: domain includes util (pcustomer/util/clock.hpp)',
    'violating/http/server.cpp:1: http includes app (pcustomer/app/config.hpp)',
    'violating/store/customer_store.hpp:2: store includes store/sqlite (pcustomer/store/sqlite/sqlite_store.hpp)',
    'violating/store/customer_store_fixture_test.hpp:1: store includes store/sqlite (pcustomer/store/sqlite/sqlite_store.hpp)',
    'violating/store/customer_store_test.cpp:1: store includes store/dynamodb (pcustomer/store/dynamodb/dynamodb_store.hpp)',
    'violating/store/dynamodb/dynamodb_store_test.cpp:1: store/dynamodb includes store/sqlite/testing (pcustomer/store/sqlite/testing/fault_vfs.hpp)',
    'violating/store/sqlite/sqlite_store.cpp:1: store/sqlite includes store/dynamodb (pcustomer/store/dynamodb/dynamodb_json.hpp)',
    'violating/store/testing/store_calls.hpp:2: store/testing includes store/sqlite/testing (pcustomer/store/sqlite/testing/fault_vfs.hpp)',
    'violating/validation/rule.cpp:1: validation includes aws (pcustomer/aws/client.hpp)',
    'violating/web/assets.hpp:1: not in a layer folder (domain, util, aws, validation, store, auth, api, http, app)',
    'check-layers: 17 include(s) against the layer rules',
  ]);
});

test('a root that is not a directory is a usage error', () => {
  const { status, stderr } = check('missing');
  assert.equal(status, 2);
  assert.match(stderr, /missing is not a directory/);
});
