// Starts cognito-local (a Cognito user pool emulator from npm) on 127.0.0.1 and a free port,
// with its data in a fresh temporary directory, and waits until it answers.
//
// As a program: prints the endpoint URL on one line, keeps running until SIGINT/SIGTERM,
// then stops the emulator and removes its data.
//   node tests/cognito/start-cognito-local.mjs
// As a module:
//   const cognito = await startCognitoLocal(); ... cognito.url ...; await cognito.stop();

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort } from '../lib/free-port.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const binary = join(repoRoot, 'node_modules', '.bin', 'cognito-local');
const startupLimitMs = 20000;


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
  const child = spawn(binary, [], {
    cwd: dataDir,
    env: { ...process.env, HOST: host, PORT: String(port) },
    stdio: ['ignore', log ? 'inherit' : 'ignore', log ? 'inherit' : 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => { stderr += chunk; });
  let exited = null;
  const exitPromise = new Promise((resolveExit) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolveExit();
    });
  });

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      await Promise.race([exitPromise, new Promise((r) => setTimeout(r, 5000))]);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + startupLimitMs;
  while (!(await answers(url))) {
    if (exited || Date.now() > deadline) {
      await stop();
      const why = exited ? `exited (${JSON.stringify(exited)})` : `did not answer within ${startupLimitMs} ms`;
      throw new Error(`cognito-local ${why}: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, dataDir, pid: child.pid, stop };
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
