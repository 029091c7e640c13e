// Starts a test peer (an emulator from npm) and waits until it answers: the process, its
// stderr for diagnostics, and a stop that is graceful first and certain after 5 s.
// startupLimitMs: how long it may take to answer (default 20 s; a JVM peer needs more on a
// busy machine).
import { spawn } from 'node:child_process';

const STARTUP_LIMIT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

/**
 * @param {{name: string, command: string, args?: string[], cwd?: string, env?: object,
 *   log?: boolean, url: string, answers: (url: string) => Promise<boolean>, startupLimitMs?: number}} options
 * @returns {Promise<{pid: number, stop(): Promise<void>}>}
 */
export async function startEmulator({
  name, command, args = [], cwd, env = process.env, log = false, url, answers, startupLimitMs = STARTUP_LIMIT_MS,
}) {
  const child = spawn(command, args, {
    cwd,
    env,
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
    child.on('error', (error) => {
      exited = { error: error.message };
      resolveExit();
    });
  });

  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    await Promise.race([exitPromise, new Promise((r) => setTimeout(r, STOP_GRACE_MS))]);
    if (!exited) child.kill('SIGKILL');
  };

  const deadline = Date.now() + startupLimitMs;
  while (!(await answers(url))) {
    if (exited || Date.now() > deadline) {
      await stop();
      const why = exited ? `exited (${JSON.stringify(exited)})` : `did not answer within ${startupLimitMs} ms`;
      throw new Error(`${name} ${why}: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: child.pid, stop };
}
