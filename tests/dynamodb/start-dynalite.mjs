// Starts dynalite (a DynamoDB emulator from npm, in memory) on 127.0.0.1 and a free port, and
// waits until it answers.
//
// As a program: prints the endpoint URL on one line, keeps running until SIGINT/SIGTERM,
// then stops the emulator.
//   node tests/dynamodb/start-dynalite.mjs
// As a module:
//   const dynalite = await startDynalite(); ... dynalite.url ...; await dynalite.stop();
//
// DYNALITE_BIN overrides where the emulator is (default node_modules/.bin/dynalite of the
// repository).
//
// dynalite needs an Authorization header on every request but checks neither the signature
// nor the keys: SigV4-signed requests with dummy credentials pass, and so does any
// "AWS4-HMAC-SHA256 Credential=..." header (see reference-items.mjs).

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startEmulator } from '../lib/emulator.mjs';
import { freePort } from '../lib/free-port.mjs';
import { dynamoDbAnswers } from './peer.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const binary = process.env.DYNALITE_BIN || join(repoRoot, 'node_modules', '.bin', 'dynalite');

export async function startDynalite({ log = false } = {}) {
  const host = '127.0.0.1';
  const port = await freePort();
  const url = `http://${host}:${port}`;
  // No --path: the tables live in memory and vanish with the process. --createTableMs 0:
  // a new table is ACTIVE at once (DynamoDB takes seconds; CreateTable polls either way).
  const emulator = await startEmulator({
    name: `dynalite (${binary})`,
    command: binary,
    args: ['--host', host, '--port', String(port), '--createTableMs', '0'],
    log,
    url,
    answers: dynamoDbAnswers,
  });
  return { url, pid: emulator.pid, stop: emulator.stop };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dynalite = await startDynalite({ log: process.env.DYNALITE_LOG === '1' });
  console.log(dynalite.url);
  const shutdown = async () => {
    await dynalite.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
