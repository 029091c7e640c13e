// Helpers for the local identity provider's tests: servers with a known admin password, the
// user/keys CLI on a server's data directory, sign-in, JWT decoding and forging, requests from
// other loopback addresses (the sign-in throttle counts per client address).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { startServer, binaryPath, extraServerEnv } from './server.mjs';
import { removeDataDir } from './target.mjs';
import { api, describeRes, assertError } from './client.mjs';

export const ADMIN_PASSWORD = 'Auth#Admin12';
export const ISSUER = 'urn:pcustomer:local';
export const CLIENT_ID = 'pcustomer';

/** Why these tests cannot run against PCUSTOMER_TEST_BASE_URL, or false. */
export function externalSkipReason() {
  return process.env.PCUSTOMER_TEST_BASE_URL
    ? 'starts its own servers and runs the user/keys CLI on their data directories' : false;
}

function serverEnv(adminPassword) {
  return { PCUSTOMER_ADMIN_PASSWORD: adminPassword, PCUSTOMER_AUTH: 'local' };
}

/**
 * Starts a server with the local identity provider on a fresh (or the given) data directory.
 * The result works as a target for api(): `headers()` gives none, every test passes its own
 * Authorization header.
 */
export async function startAuthServer({ dataDir, adminPassword = ADMIN_PASSWORD } = {}) {
  const t = {
    server: null,
    baseUrl: null,
    dataDir,
    adminPassword,
    headers() { return {}; },
    async start() {
      if (t.server) throw new Error('server already running');
      t.server = await startServer({ dataDir: t.dataDir, env: serverEnv(adminPassword) });
      t.baseUrl = t.server.baseUrl;
      t.dataDir = t.server.dataDir;
    },
    async stop() {
      if (!t.server) return;
      const s = t.server;
      t.server = null;
      try { await s.stop('SIGTERM'); } catch { await s.kill9(); }
    },
    async restart() { await t.stop(); await t.start(); },
    async close() {
      await t.stop();
      if (t.dataDir) removeDataDir(t.dataDir);
    },
  };
  await t.start();
  return t;
}

/** Another server on the same data directory (shares users and keys). */
export async function startSibling(t) {
  const s = await startServer({ dataDir: t.dataDir, env: serverEnv(t.adminPassword) });
  return {
    server: s,
    baseUrl: s.baseUrl,
    dataDir: t.dataDir,
    headers() { return {}; },
    async stop() { try { await s.stop('SIGTERM'); } catch { await s.kill9(); } },
  };
}

/**
 * Runs `pcustomer ARGS --data-dir DIR` with `input` on stdin.
 * @returns {Promise<{code: number|null, stdout: string, stderr: string}>}
 */
export function cli(dataDir, args, { input = '', timeoutMs = 20_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(binaryPath(), [...args, '--data-dir', dataDir], {
      cwd: dataDir,
      env: { ...process.env, ...extraServerEnv(), PCUSTOMER_AUTH: 'local' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pcustomer ${args.join(' ')}: no exit within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    child.stdin.on('error', () => { /* exited before reading stdin */ });
    child.stdin.end(input);
  });
}

/** Runs the CLI and asserts exit status 0. */
export async function cliOk(dataDir, args, opts) {
  const r = await cli(dataDir, args, opts);
  assert.equal(r.code, 0, `pcustomer ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

/** `pcustomer user add` with the password on stdin. */
export function addUser(dataDir, username, { role, team, password }) {
  return cliOk(dataDir, ['user', 'add', username, '--role', role, '--team', team, '--password-stdin'],
    { input: password + '\n' });
}

// ---- requests from another loopback address --------------------------------------------------

let aliasProbe;
/** True when this host can connect from 127.0.0.2 etc. (Linux: all of 127/8 is loopback). */
export function loopbackAliasesUsable() {
  aliasProbe ??= new Promise((resolve) => {
    const srv = net.createServer((c) => c.end(c.remoteAddress));
    srv.on('error', () => resolve(false));
    srv.listen(0, '127.0.0.1', () => {
      const c = net.connect({ host: '127.0.0.1', port: srv.address().port, localAddress: '127.0.0.2' });
      let got = '';
      const done = (ok) => { c.destroy(); srv.close(); resolve(ok); };
      c.setEncoding('utf8');
      c.on('data', (d) => { got += d; });
      c.on('end', () => done(got === '127.0.0.2'));
      c.on('error', () => done(false));
      c.setTimeout(3000, () => done(false));
    });
  });
  return aliasProbe;
}

let nextAlias = 10;
/** A loopback address no other test uses (127.0.0.1 when aliases are not usable). */
export async function freshAddress() {
  if (!(await loopbackAliasesUsable())) return '127.0.0.1';
  const n = nextAlias++;
  return `127.0.${Math.floor(n / 250)}.${(n % 250) + 2}`;
}

/**
 * Like api() (same result shape: status, headers.get(), json, text) but with node:http, so the
 * connection can come from `from` (a local address). Without `from` it is api().
 */
export function apiFrom(target, from, method, p, { body, headers = {}, timeoutMs = 15_000 } = {}) {
  if (!from) return api(target, method, p, { body, headers });
  const u = new URL(target.baseUrl + p);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
  const h = { ...target.headers(), ...headers };
  if (payload) { h['content-type'] = 'application/json'; h['content-length'] = String(payload.length); }
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h,
      localAddress: from, agent: false, timeout: timeoutMs,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = text.length ? JSON.parse(text) : undefined; } catch { json = undefined; }
        const raw = res.headers;
        const get = (k) => { const v = raw[k.toLowerCase()]; return v === undefined ? null : Array.isArray(v) ? v.join(', ') : String(v); };
        resolve({ status: res.statusCode, headers: { get }, json, text });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${p} from ${from}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

// ---- auth routes -----------------------------------------------------------------------------

/** POST /auth/sign-in (from `from` when given); the raw response. */
export function signInRes(target, username, password, from) {
  return apiFrom(target, from, 'POST', '/auth/sign-in', { body: { username, password } });
}

/** Signs in and asserts 200; returns data.auth {idToken, accessToken, refreshToken, expiresIn}. */
export async function signIn(target, username, password, from) {
  const res = await signInRes(target, username, password, from);
  assert.equal(res.status, 200, `sign-in as ${username}: ${describeRes(res)}`);
  return res.json.data.auth;
}

export function refreshRes(target, refreshToken) {
  return api(target, 'POST', '/auth/refresh-tokens', { body: { refreshToken } });
}

export function signOutRes(target, refreshToken) {
  return api(target, 'POST', '/auth/sign-out', { body: { refreshToken } });
}

export const bearer = (token) => ({ authorization: `Bearer ${token}` });

/** Asserts a 401 UNAUTHORIZED that challenges for a bearer token; returns the error. */
export function assertUnauthorized(res, ctx = '') {
  const e = assertError(res, 401, 'UNAUTHORIZED');
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer\b/i, `WWW-Authenticate on ${ctx} ${describeRes(res)}`);
  return e;
}

/** GET /pcustomers?limit=1 with the token: the quickest "does this token work" probe. */
export function probe(target, token) {
  return api(target, 'GET', '/pcustomers?limit=1', { headers: bearer(token) });
}

/** The JWKS document's keys. */
export async function jwksKeys(target) {
  const res = await api(target, 'GET', '/.well-known/jwks.json');
  assert.equal(res.status, 200, describeRes(res));
  assert.ok(Array.isArray(res.json?.keys), describeRes(res));
  return res.json.keys;
}

// ---- JWT ----------------------------------------------------------------------------------------

export function b64url(v) {
  const buf = Buffer.isBuffer(v) ? v : Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8');
  return buf.toString('base64url');
}

/** {header, payload, signature: Buffer, parts} of a compact JWS; throws if it is not one. */
export function decodeJwt(token) {
  const parts = token.split('.');
  assert.equal(parts.length, 3, `not a compact JWS: ${token.slice(0, 80)}`);
  for (const p of parts) assert.match(p, /^[A-Za-z0-9_-]*$/, `not base64url: ${p.slice(0, 80)}`);
  return {
    header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
    signature: Buffer.from(parts[2], 'base64url'),
    parts,
  };
}

/** True when the RS256 signature of `token` verifies with the JWK of its kid in `keys`. */
export function verifiesWith(token, keys) {
  const { header, signature, parts } = decodeJwt(token);
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) return false;
  const pub = crypto.createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
  return crypto.verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'), pub, signature);
}

/**
 * The PEM of the signing key `kid` from a server's data directory (<dir>/keys/<kid>.pem), or
 * null when it is not there. Lets a test make correctly signed tokens with chosen claims
 * (expired, wrong issuer, unknown role) that the server could never issue itself.
 */
export function signingKeyPem(dataDir, kid) {
  const file = path.join(dataDir, 'keys', `${kid}.pem`);
  try { return fs.readFileSync(file, 'utf8'); } catch { return null; }
}

/** An RS256 JWS over `payload` with `header` (alg RS256 added), signed with `pem`. */
export function signRs256(pem, header, payload) {
  const input = `${b64url({ alg: 'RS256', typ: 'JWT', ...header })}.${b64url(payload)}`;
  const sig = crypto.sign('RSA-SHA256', Buffer.from(input, 'ascii'), pem);
  return `${input}.${b64url(sig)}`;
}

// ---- timing -------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export { sleep };

/**
 * Waits so that an operation expected to take `expectedMs` ends about 100 ms into a wall-clock
 * second. The server counts sign-in lockouts in whole seconds (the 1 s lock after the 5th
 * failure ends at the next second boundary), so requests that must land inside that lock are
 * sent right after a failure that ended early in a second.
 */
export async function alignToSecond(expectedMs) {
  const end = Date.now() + expectedMs;
  const wait = (1100 - (end % 1000)) % 1000;
  if (wait > 0) await sleep(wait);
}
