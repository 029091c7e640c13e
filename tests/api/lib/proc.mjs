// Facts about a local process from /proc (Linux): resident memory, resource limits, CPU time.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

/** VmRSS of `pid` in KiB. */
export function rssKb(pid) {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]);
}

/** {soft, hard} of a limit of `pid` ('self' = this process) as in /proc/PID/limits, e.g.
 * 'Max open files'; Infinity for unlimited. */
export function limitOf(pid, name) {
  const text = fs.readFileSync(`/proc/${pid}/limits`, 'utf8');
  const line = text.split('\n').find((l) => l.startsWith(name));
  if (!line) throw new Error(`no "${name}" in /proc/${pid}/limits`);
  const [soft, hard] = line.slice(name.length).trim().split(/\s+/);
  const num = (v) => (v === 'unlimited' ? Infinity : Number(v));
  return { soft: num(soft), hard: num(hard) };
}

/** User plus system CPU time of `pid` in seconds. */
export function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Number of open file descriptors of `pid`. */
export function fdCount(pid) {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/**
 * Sets a resource limit of a running process with prlimit(1), e.g. ('fsize', '1024:') for the
 * soft file-size limit only. Throws when prlimit is missing or fails.
 */
export function setLimit(pid, resource, value) {
  const r = spawnSync('prlimit', ['--pid', String(pid), `--${resource}=${value}`], { encoding: 'utf8' });
  if (r.error) throw new Error(`prlimit: ${r.error.message} (package util-linux)`);
  if (r.status !== 0) throw new Error(`prlimit --pid ${pid} --${resource}=${value}: ${r.stderr}`);
}
