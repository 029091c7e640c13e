// The server under test: a running one (PCUSTOMER_TEST_BASE_URL) or one started here.
//
// Environment:
//   PCUSTOMER_BIN                  binary to start (default build/release/pcustomer)
//   PCUSTOMER_TEST_BASE_URL        use this running server instead of starting one
//   PCUSTOMER_TEST_HEADERS_MODULE  module whose default export `async (baseUrl, role) => headers`
//                                  gives the request headers (e.g. Authorization) of the
//                                  write-capable identity; called again after each restart
//   PCUSTOMER_TEST_SERVER_ENV      JSON object merged into the started server's environment
//   PCUSTOMER_TEST_SERVER_ARGS     JSON array appended to the started server's arguments
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, extraServerEnv, extraServerArgs } from './server.mjs';

async function loadHeaderHook() {
  const mod = process.env.PCUSTOMER_TEST_HEADERS_MODULE;
  if (!mod) return async () => ({});
  const url = /^[a-z]+:/i.test(mod) && !/^[a-z]:[\\/]/i.test(mod)
    ? mod : pathToFileURL(path.resolve(process.cwd(), mod)).href;
  const m = await import(url);
  if (typeof m.default !== 'function') {
    throw new Error(`PCUSTOMER_TEST_HEADERS_MODULE ${mod} has no default export function`);
  }
  return m.default;
}

// The store a locally started server uses: --store flag, else PCUSTOMER_STORE, else sqlite.
function localStore() {
  const args = extraServerArgs();
  let store = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--store' && i + 1 < args.length) store = args[i + 1];
    else if (args[i].startsWith('--store=')) store = args[i].slice('--store='.length);
  }
  return store ?? extraServerEnv().PCUSTOMER_STORE ?? process.env.PCUSTOMER_STORE ?? 'sqlite';
}

/** Removes a data directory the tests created, unless PCUSTOMER_TEST_KEEP_DATA is set. */
export function removeDataDir(dir) {
  if (process.env.PCUSTOMER_TEST_KEEP_DATA) return;
  try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
}

/**
 * @returns {Promise<{baseUrl: string, headers(role?: string): object, server: object|null,
 *   local: boolean, store: string|null, canRestart: boolean, cannotRestartReason: string|null,
 *   restart(opts?: {signal?: string}): Promise<void>, close(): Promise<void>}>}
 * `headers()` / `headers('write')` give the write-capable identity's headers; `headers('none')`
 * gives none (for the public routes).
 */
export async function setupTarget() {
  const hook = await loadHeaderHook();
  const external = process.env.PCUSTOMER_TEST_BASE_URL;
  let writeHeaders = {};

  const target = {
    baseUrl: null,
    server: null,
    local: !external,
    store: external ? null : localStore(),
    canRestart: !external,
    cannotRestartReason: external
      ? 'target is an external server (PCUSTOMER_TEST_BASE_URL); it cannot be restarted from the tests'
      : null,
    headers(role) {
      if (role === 'none') return {};
      return { ...writeHeaders };
    },
    /** The write-capable identity's headers for another server started by a test. */
    async headersFor(baseUrl) {
      return { ...((await hook(baseUrl, 'write')) ?? {}) };
    },
    async refreshHeaders() {
      const h = await hook(target.baseUrl, 'write');
      writeHeaders = { ...(h ?? {}) };
    },
    /** Stops the local server (SIGTERM, or SIGKILL with {signal:'SIGKILL'}) and starts it again
     * on the same data directory. The port may change; `baseUrl` is updated. */
    async restart({ signal = 'SIGTERM' } = {}) {
      if (!target.canRestart) throw new Error(target.cannotRestartReason);
      await target.stopServer(signal);
      await target.startAgain();
    },
    async stopServer(signal = 'SIGTERM') {
      if (!target.server) return null;
      const s = target.server;
      target.server = null;
      if (signal === 'SIGKILL') { await s.kill9(); return null; }
      return s.stop(signal);
    },
    async startAgain() {
      if (target.server) throw new Error('server already running');
      target.server = await startServer({ dataDir: target.dataDir });
      target.baseUrl = target.server.baseUrl;
      await target.refreshHeaders();
    },
    async close() {
      if (target.server) {
        const s = target.server;
        target.server = null;
        try { await s.stop('SIGTERM'); } catch { await s.kill9(); }
      }
      if (target.dataDir) removeDataDir(target.dataDir);
    },
  };

  if (external) {
    target.baseUrl = external.replace(/\/+$/, '');
  } else {
    target.server = await startServer();
    target.baseUrl = target.server.baseUrl;
    target.dataDir = target.server.dataDir;
  }
  await target.refreshHeaders();
  return target;
}
