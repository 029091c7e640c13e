// Where the shared test corpora live. They stay outside the repository; a clone elsewhere (CI
// checks out into a temporary directory) finds them next to the repository it was cloned from.
//   1. $PCUSTOMER_CORPORA_DIR
//   2. <repo>/../shared/corpora
//   3. <origin>/../shared/corpora, where <origin> is `git config --get remote.origin.url`
//      when that is a local path (or a file:// URL)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './server.mjs';

function originPath() {
  const r = spawnSync('git', ['-C', repoRoot, 'config', '--get', 'remote.origin.url'], { encoding: 'utf8' });
  const url = (r.status === 0 ? r.stdout : '').trim();
  if (!url) return null;
  if (url.startsWith('file://')) return fileURLToPath(url);
  if (path.isAbsolute(url)) return url;
  if (/^[./]/.test(url)) return path.resolve(repoRoot, url);
  return null; // a network remote: no local sibling to look at
}

/** The places looked at, in order: [{source, dir}]. */
export function corporaCandidates() {
  const out = [];
  if (process.env.PCUSTOMER_CORPORA_DIR) {
    out.push({ source: 'PCUSTOMER_CORPORA_DIR', dir: path.resolve(process.env.PCUSTOMER_CORPORA_DIR) });
  }
  out.push({ source: '<repo>/../shared/corpora', dir: path.resolve(repoRoot, '..', 'shared', 'corpora') });
  const origin = originPath();
  if (origin) out.push({ source: `<origin ${origin}>/../shared/corpora`, dir: path.resolve(origin, '..', 'shared', 'corpora') });
  return out;
}

/**
 * The absolute path of corpus `name` (e.g. 'jsontestsuite/test_parsing'); throws with every
 * place looked at when it is nowhere. When PCUSTOMER_CORPORA_DIR is set only it counts.
 */
export function corpusDir(name) {
  const candidates = corporaCandidates();
  const looked = process.env.PCUSTOMER_CORPORA_DIR ? candidates.slice(0, 1) : candidates;
  for (const { dir } of looked) {
    const d = path.join(dir, name);
    if (fs.existsSync(d) && fs.statSync(d).isDirectory()) return d;
  }
  throw new Error(`corpus ${name} not found; looked in:\n` +
    looked.map((c) => `  ${path.join(c.dir, name)} (${c.source})`).join('\n') +
    '\nset PCUSTOMER_CORPORA_DIR to the folder that holds it');
}
