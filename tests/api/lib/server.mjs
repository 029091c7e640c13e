// Spawns the pcustomer binary for the black-box suite and stops it again.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');

const START_TIMEOUT_MS = 20_000;
const LOG_LIMIT = 64 * 1024;
const URL_RE = /(http:\/\/127\.0\.0\.1:\d+)/;

// Every child still running when this process exits is killed.
const live = new Set();
function killAll() {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
  live.clear();
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => { killAll(); process.exit(130); });
}

export function binaryPath() {
  const fromEnv = process.env.PCUSTOMER_BIN;
  if (fromEnv) return path.resolve(process.cwd(), fromEnv);
  return path.join(repoRoot, 'build', 'release', 'pcustomer');
}

function parseJsonEnv(name, kind) {
  const raw = process.env[name];
  if (!raw) return kind === 'array' ? [] : {};
  let v;
  try { v = JSON.parse(raw); } catch (e) { throw new Error(`${name} is not valid JSON: ${e.message}`); }
  if (kind === 'array' ? !Array.isArray(v) : (v === null || typeof v !== 'object' || Array.isArray(v))) {
    throw new Error(`${name} must be a JSON ${kind}`);
  }
  return kind === 'array' ? v.map(String) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}

// Extra environment and arguments that later configurations (auth, DynamoDB) pass in.
export function extraServerEnv() { return parseJsonEnv('PCUSTOMER_TEST_SERVER_ENV', 'object'); }
export function extraServerArgs() { return parseJsonEnv('PCUSTOMER_TEST_SERVER_ARGS', 'array'); }

function appendCapped(buf, chunk) {
  const s = buf + chunk;
  return s.length > LOG_LIMIT ? s.slice(s.length - LOG_LIMIT) : s;
}

/**
 * On a shared DynamoDB endpoint every data directory gets a table of its own, so that each
 * server starts empty like an embedded store would: the table name goes into the data
 * directory's .env (read by the server and by CLI commands run there) and the table is
 * created before the first start. A restart on the same directory finds both again.
 */
function createTableForDataDir(bin, dir, env) {
  const dotenv = path.join(dir, '.env');
  if (fs.existsSync(dotenv)) return;
  const table = `pcustomers_${path.basename(dir).replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  fs.writeFileSync(dotenv, `DYNAMODB_TABLE_NAME_PCUSTOMERS=${table}\n`);
  const made = spawnSync(bin, ['dynamodb', 'create-table'], {
    cwd: dir, env: { ...process.env, ...extraServerEnv(), ...env }, encoding: 'utf8', timeout: 60_000,
  });
  if (made.status !== 0) throw new Error(`dynamodb create-table failed: ${made.stderr}${made.stdout}`);
}

/**
 * Starts `$PCUSTOMER_BIN serve` on a free port.
 * `launcher`: a command the binary and its arguments are appended to, which must exec it (so
 * the pid stays the server's), e.g. `['sh', '-c', 'ulimit -n 256; exec "$0" "$@"']`.
 * @returns {Promise<{baseUrl, dataDir, child, pid, stop(signal?), kill9(), exited, logs(),
 *   stderrBytes()}>}  logs() keeps the last 64 KiB of each stream; stderrBytes() counts all.
 */
export async function startServer({ dataDir, env = {}, args = [], launcher = [] } = {}) {
  const bin = binaryPath();
  if (!fs.existsSync(bin)) throw new Error(`server binary not found: ${bin} (set PCUSTOMER_BIN)`);
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pcustomer-api-'));
  if (process.env.PCUSTOMER_TEST_TABLE_PER_SERVER) createTableForDataDir(bin, dir, env);
  const argv = ['serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dir, '--log-level', 'warn',
    ...extraServerArgs(), ...args];
  const [cmd, ...cmdArgs] = launcher.length ? [...launcher, bin, ...argv] : [bin, ...argv];
  const child = spawn(cmd, cmdArgs, {
    // The data dir as working directory keeps a developer's ./.env out of the tests.
    cwd: dir,
    env: { ...process.env, ...extraServerEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  let stderrBytes = 0;
  let expectExit = false;
  let started = false;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      if (started && !expectExit) {
        process.stderr.write(`[pcustomer ${child.pid} exited unexpectedly: code ${code}, signal ${signal}]\n` +
          `stderr (tail):\n${stderr.slice(-4000)}\n`);
      }
      resolve({ code, signal });
    });
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { stderrBytes += Buffer.byteLength(d); stderr = appendCapped(stderr, d); });
  child.stdout.setEncoding('utf8');

  const baseUrl = await new Promise((resolve, reject) => {
    let done = false;
    const finish = (err, url) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err); else resolve(url);
    };
    const timer = setTimeout(() => {
      try { child.kill('SIGKILL'); } catch { /* gone */ }
      finish(new Error(`server did not print its URL within ${START_TIMEOUT_MS} ms\n` +
        `command: ${bin} ${argv.join(' ')}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, START_TIMEOUT_MS);
    child.once('error', (e) => finish(new Error(`cannot start ${bin}: ${e.message}`)));
    exited.then(({ code, signal }) => finish(new Error(
      `server exited during start (code ${code}, signal ${signal})\n` +
      `command: ${bin} ${argv.join(' ')}\nstdout:\n${stdout}\nstderr:\n${stderr}`)));
    child.stdout.on('data', (d) => {
      stdout = appendCapped(stdout, d);
      const m = URL_RE.exec(stdout);
      if (m) finish(null, m[1]);
    });
  });

  started = true;
  let stopping = null;
  const server = {
    baseUrl,
    dataDir: dir,
    child,
    pid: child.pid,
    exited,
    logs: () => ({ stdout, stderr }),
    stderrBytes: () => stderrBytes,
    /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
    stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited.then((r) => r.code);
      if (!stopping) {
        expectExit = true;
        child.kill(signal);
        stopping = new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            try { child.kill('SIGKILL'); } catch { /* gone */ }
            reject(new Error(`server did not exit within ${timeoutMs} ms after ${signal}\nstderr:\n${stderr}`));
          }, timeoutMs);
          exited.then(({ code }) => { clearTimeout(timer); resolve(code); });
        });
      }
      return stopping;
    },
    /** SIGKILL; resolves once the process is gone. */
    async kill9() {
      expectExit = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  return server;
}
