// The one HTTP helper every test goes through, plus shared data generators and checks.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * @param target   from setupTarget()
 * @param method   HTTP method
 * @param path     path and query, e.g. '/pcustomers?limit=5'
 * @param opts.body        a value sent as JSON
 * @param opts.rawBody     a string or Buffer sent as is
 * @param opts.headers     extra headers (override the target's)
 * @param opts.contentType Content-Type for a body; default application/json; null = none
 * @param opts.role        identity passed to target.headers()
 * @returns {Promise<{status: number, headers: Headers, json: any, text: string, bytes: Buffer}>}
 */
export async function api(target, method, path, opts = {}) {
  const { body, rawBody, headers = {}, contentType = 'application/json', role, timeoutMs = DEFAULT_TIMEOUT_MS } = opts;
  const h = { ...target.headers(role), ...headers };
  let payload;
  if (rawBody !== undefined) payload = Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8');
  else if (body !== undefined) payload = Buffer.from(JSON.stringify(body), 'utf8');
  if (payload !== undefined && contentType !== null && !hasHeader(h, 'content-type')) h['content-type'] = contentType;
  let res;
  try {
    res = await fetch(target.baseUrl + path, {
      method,
      headers: h,
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const cause = e.cause ? ` (${e.cause.code ?? ''} ${e.cause.message ?? e.cause})` : '';
    const err = new Error(`${method} ${target.baseUrl}${path.slice(0, 200)}: ${e.message}${cause}`, { cause: e });
    err.code = e.cause?.code ?? e.name;
    throw err;
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = new TextDecoder().decode(bytes); // as res.text(): replacement characters, no BOM
  let json;
  try { json = text.length ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, json, text, bytes };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no surrogates, no overlongs), or -1. */
export function utf8ErrorOffset(bytes) {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    let n; let min;
    if (b < 0x80) { i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) { n = 1; min = 0x80; } else if (b >= 0xe0 && b <= 0xef) { n = 2; min = 0x800; } else if (b >= 0xf0 && b <= 0xf4) { n = 3; min = 0x10000; } else return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/** Asserts that `bytes` (a Buffer or Uint8Array) are well-formed UTF-8. */
export function assertUtf8(bytes, ctx = '') {
  let ok = true;
  try { strictUtf8.decode(bytes); } catch { ok = false; }
  const at = utf8ErrorOffset(bytes);
  if (ok && at < 0) return;
  const b = Buffer.from(bytes);
  const from = Math.max(0, at - 40);
  assert.fail(`not well-formed UTF-8 at byte ${at} of ${b.length} ${ctx}: ` +
    `${JSON.stringify(b.subarray(from, at).toString('latin1'))} then bytes ${b.subarray(at, at + 8).toString('hex')}`);
}

function hasHeader(h, name) {
  return Object.keys(h).some((k) => k.toLowerCase() === name);
}

export function describeRes(res) {
  return `HTTP ${res.status} ${String(res.text).slice(0, 500)}`;
}

// ---- data generators ------------------------------------------------------------------------

// Valid Vietnamese mobile prefixes (libphonenumber, region VN) and a per-run random base so
// runs against a shared server do not collide.
const PREFIXES = ['090', '091', '093', '094', '096', '097', '098', '086', '088', '032', '035', '037', '070', '077', '081', '083'];
let phoneCounter = crypto.randomInt(0, PREFIXES.length * 10_000_000);

/** A fresh, valid, unique mobile number in the national 10-digit form. */
export function uniquePhone() {
  const n = phoneCounter++ % (PREFIXES.length * 10_000_000);
  const prefix = PREFIXES[Math.floor(n / 10_000_000)];
  return prefix + String(n % 10_000_000).padStart(7, '0');
}

/** The same national number written as +84 with spaces: 0912345678 -> '+84 912 345 678'. */
export function intlSpaced(national) {
  const s = national.slice(1);
  return `+84 ${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6)}`;
}

export const NAMES = ['Nguyễn Văn An', 'Trần Thị Bích', 'Lê Hoàng Long', 'Phạm Minh Đức', 'Ngô Ý',
  'Nguyễn Văn A', 'Võ Thị Hồng Nhung', 'Đặng Quốc Bảo', 'Bùi Thị Ánh', 'Huỳnh Tấn Phát'];
export const PRODUCTS = ['household_tool', 'credit_card', 'life_insurance', 'car', 'home_loan_fixed_rate'];

let seq = 0;
/** A valid create body with a unique phone; `over` replaces fields. */
export function newCustomer(over = {}) {
  seq++;
  return {
    fullName: NAMES[seq % NAMES.length],
    phone: uniquePhone(),
    age: 18 + (seq % 73),
    productCode: PRODUCTS[seq % PRODUCTS.length],
    ...over,
  };
}

export const idPath = (id) => `/pcustomers/${encodeURIComponent(id)}`;

/** POSTs a customer and asserts 201; returns the created object. */
export async function createCustomer(target, over = {}, path = '/pcustomers') {
  const body = newCustomer(over);
  const res = await api(target, 'POST', path, { body });
  assert.equal(res.status, 201, `create ${JSON.stringify(body)}: ${describeRes(res)}`);
  return res.json.data;
}

// ---- shape checks ---------------------------------------------------------------------------

export const ID_RE = /^CUSTOMER#\d+$/;
export const CREATE_AT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function assertRequestId(res) {
  const rid = res.headers.get('x-request-id');
  assert.ok(rid && SANE_REQUEST_ID.test(rid), `missing or odd X-Request-Id ${JSON.stringify(rid)} on ${describeRes(res)}`);
  return rid;
}

/** Checks the error envelope; `status` and `code` as in CONTRACT section 3. */
export function assertError(res, status, code) {
  const ctx = describeRes(res);
  assert.equal(res.status, status, `expected ${status} ${code}, got ${ctx}`);
  assertErrorShape(res);
  assert.equal(res.json.error.code, code, ctx);
  return res.json.error;
}

/** Any 4xx/5xx: the error envelope, JSON, reasons an array of {source, desc} strings. */
export function assertErrorShape(res) {
  const ctx = describeRes(res);
  assert.ok(res.status >= 400, ctx);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/i, `content-type of ${ctx}`);
  assert.ok(res.json && typeof res.json === 'object' && res.json.error && typeof res.json.error === 'object',
    `no error envelope: ${ctx}`);
  const e = res.json.error;
  assert.equal(typeof e.message, 'string', ctx);
  assert.ok(e.message.length > 0, ctx);
  assert.equal(typeof e.code, 'string', ctx);
  assert.ok(e.details && Array.isArray(e.details.reasons), `details.reasons missing: ${ctx}`);
  for (const r of e.details.reasons) {
    assert.equal(typeof r.source, 'string', ctx);
    assert.equal(typeof r.desc, 'string', ctx);
  }
  assertRequestId(res);
  return e;
}

/** A 400 validation failure whose reasons' sources are exactly `sources` (any order). */
export function assertValidation(res, sources) {
  const e = assertError(res, 400, 'BAD_REQUEST');
  assert.equal(e.message, 'Validation failed', describeRes(res));
  const got = [...new Set(e.details.reasons.map((r) => r.source))].sort();
  assert.deepEqual(got, [...sources].sort(), `reason sources of ${describeRes(res)}`);
  return e.details.reasons;
}

export function reasonFor(res, source) {
  return res.json.error.details.reasons.find((r) => r.source === source);
}

/** A customer object as returned by the API; `expected` fields must match. */
export function assertCustomer(obj, expected = {}) {
  const ctx = JSON.stringify(obj);
  assert.ok(obj && typeof obj === 'object', ctx);
  assert.match(obj.id, ID_RE, ctx);
  assert.equal(obj.type, 'potential_customer', ctx);
  assert.match(obj.createAt, CREATE_AT_RE, ctx);
  assert.ok(!Number.isNaN(Date.parse(obj.createAt)), ctx);
  assert.equal(typeof obj.fullName, 'string', ctx);
  assert.match(obj.phone, /^0\d{9}$/, ctx);
  assert.ok(Number.isInteger(obj.age), ctx);
  assert.equal(typeof obj.productCode, 'string', ctx);
  for (const [k, v] of Object.entries(expected)) assert.deepEqual(obj[k], v, `${k} of ${ctx}`);
}

/** The customer fields only (ignores fields later issues may add). */
export function core(c) {
  return { id: c.id, fullName: c.fullName, phone: c.phone, age: c.age, productCode: c.productCode,
    type: c.type, createAt: c.createAt };
}

export function idNum(id) { return BigInt(id.slice('CUSTOMER#'.length)); }

/** Follows lastKey from the start; checks every page's meta; returns all items in order. */
export async function listAll(target, limit) {
  const all = [];
  let key = null;
  for (let pages = 0; ; pages++) {
    assert.ok(pages < 100_000, 'listing does not end');
    const q = `/pcustomers?limit=${limit}` + (key !== null ? `&startKey=${encodeURIComponent(key)}` : '');
    const res = await api(target, 'GET', q);
    assert.equal(res.status, 200, `${q}: ${describeRes(res)}`);
    const { data, meta } = res.json;
    assert.ok(Array.isArray(data), describeRes(res));
    assert.equal(meta.limit, limit, describeRes(res));
    assert.equal(meta.size, data.length, describeRes(res));
    assert.ok(data.length <= limit, describeRes(res));
    assert.ok(meta.lastKey === null || (typeof meta.lastKey === 'string' && meta.lastKey.length > 0), describeRes(res));
    all.push(...data);
    if (meta.lastKey === null) break;
    assert.equal(data.length, limit, `a page with a lastKey should be full: ${describeRes(res)}`);
    key = meta.lastKey;
  }
  return all;
}

/** Runs `fn(i)` for i in [0, n) with at most `width` in flight. */
export async function pool(n, width, fn) {
  const out = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) { const i = next++; out[i] = await fn(i); }
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, worker));
  return out;
}
