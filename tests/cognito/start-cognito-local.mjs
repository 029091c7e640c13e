// Starts cognito-local (a Cognito user pool emulator from npm) on 127.0.0.1 and a free port,
// with its data in a fresh temporary directory, and waits until it answers.
//
// As a program: prints the endpoint URL on one line, keeps running until SIGINT/SIGTERM,
// then stops the emulator and removes its data.
//   node tests/cognito/start-cognito-local.mjs
// As a module:
//   const cognito = await startCognitoLocal(); ... cognito.url ...; await cognito.stop();

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startEmulator } from '../lib/emulator.mjs';
import { freePort } from '../lib/free-port.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const binary = join(repoRoot, 'node_modules', '.bin', 'cognito-local');


async function answers(url) {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

export async function startCognitoLocal({ log = false } = {}) {
  const host = '127.0.0.1';
  // It puts PORT into the `iss` of its tokens, so it gets a real port, not 0.
  const port = await freePort();
  const url = `http://${host}:${port}`;
  // It keeps its configuration and state in ./.cognito under its working directory.
  const dataDir = mkdtempSync(join(tmpdir(), 'cognito-local-'));
  mkdirSync(join(dataDir, '.cognito'));
  // Its built-in default makes new pools sign in by e-mail; Cognito's own default, and what
  // pcustomer expects, is signing in by username.
  writeFileSync(
    join(dataDir, '.cognito', 'config.json'),
    JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }),
  );
  const emulator = await startEmulator({
    name: 'cognito-local',
    command: binary,
    cwd: dataDir,
    env: { ...process.env, HOST: host, PORT: String(port) },
    log,
    url,
    answers,
  }).catch((error) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const stop = async () => {
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, dataDir, pid: emulator.pid, stop };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cognito = await startCognitoLocal({ log: process.env.COGNITO_LOCAL_LOG === '1' });
  console.log(cognito.url);
  const shutdown = async () => {
    await cognito.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
