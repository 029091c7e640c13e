// Raw HTTP/1.1 over a socket, for what fetch cannot do: pipelining, huge headers, slow clients,
// bodies without Content-Length. Every wait has a deadline so nothing can hang.
import net from 'node:net';
import tls from 'node:tls';

/** Opens a connection to the target. */
export function connect(target, { timeoutMs = 10_000 } = {}) {
  const u = new URL(target.baseUrl);
  const secure = u.protocol === 'https:';
  const port = Number(u.port || (secure ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tls.connect({ host, port, servername: host })
      : net.connect({ host, port });
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`connect timeout ${host}:${port}`)); }, timeoutMs);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      resolve(new Conn(socket, `${u.hostname}${u.port ? ':' + u.port : ''}`));
    });
    socket.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

class Conn {
  constructor(socket, hostHeader) {
    this.socket = socket;
    this.hostHeader = hostHeader;
    this.buf = Buffer.alloc(0);
    this.closed = false;
    this.ended = false; // the peer's FIN arrived
    this.error = null;
    this.waiters = [];
    socket.setNoDelay(true);
    socket.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.#wake(); });
    socket.on('error', (e) => { this.error = e; });
    socket.on('close', () => { this.closed = true; this.#wake(); });
    // Reading stops the socket from being half-closed silently; 'end' is followed by 'close'.
    socket.on('end', () => { this.ended = true; socket.end(); });
  }

  #wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  #changed(deadline) {
    return new Promise((resolve) => {
      const left = deadline - Date.now();
      const timer = setTimeout(() => resolve(), Math.max(0, left));
      this.waiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  write(data) {
    return new Promise((resolve, reject) => {
      if (this.closed || this.socket.destroyed) { reject(new Error('socket closed')); return; }
      this.socket.write(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  /**
   * The next complete response; throws on timeout or when the peer closes first.
   * `head: true` reads the answer to a HEAD request (no body, whatever Content-Length says).
   */
  async next(timeoutMs = 10_000, { head = false } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = parseResponse(this.buf, this.closed, { head });
      if (r) {
        this.buf = this.buf.subarray(r.consumed);
        if (r.response.status >= 100 && r.response.status < 200) continue;
        return r.response;
      }
      if (this.closed) {
        throw new Error(`connection closed before a complete response (${this.buf.length} bytes pending: ` +
          `${JSON.stringify(this.buf.subarray(0, 200).toString('latin1'))})`);
      }
      if (Date.now() >= deadline) {
        throw new Error(`no complete response within ${timeoutMs} ms (${this.buf.length} bytes: ` +
          `${JSON.stringify(this.buf.subarray(0, 200).toString('latin1'))})`);
      }
      await this.#changed(deadline);
    }
  }

  /** Bytes received and not yet returned by next(). */
  pending() { return this.buf; }

  /** Resolves true when the peer closes within `timeoutMs`, false otherwise. */
  async waitClosed(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await this.#changed(deadline);
    return this.closed;
  }

  destroy() { this.socket.destroy(); }
}

function parseHead(text) {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]);
  if (!m) throw new Error(`bad status line ${JSON.stringify(lines[0])}`);
  const headers = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim().toLowerCase();
    const v = line.slice(i + 1).trim();
    headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
  }
  return { status: Number(m[1]), reason: m[2] ?? '', headers };
}

/**
 * Parses one response from `buf`; null if incomplete. The result's `raw` is every byte of that
 * response (status line, headers, body as sent). `head: true`: the answer to HEAD (no body).
 */
export function parseResponse(buf, eof, { head: forHead = false } = {}) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = parseHead(buf.subarray(0, end).toString('latin1'));
  let pos = end + 4;
  let body;
  const te = (head.headers['transfer-encoding'] ?? '').toLowerCase();
  if (forHead || head.status < 200 || head.status === 204 || head.status === 304) {
    body = Buffer.alloc(0);
  } else if (te.includes('chunked')) {
    const parts = [];
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', pos);
      if (lineEnd < 0) return null;
      const size = parseInt(buf.subarray(pos, lineEnd).toString('latin1').split(';')[0], 16);
      if (Number.isNaN(size)) throw new Error('bad chunk size');
      pos = lineEnd + 2;
      if (size === 0) {
        const trailerEnd = buf.indexOf('\r\n', pos);
        if (trailerEnd < 0) return null;
        // Skip trailers until the empty line.
        let p = pos;
        for (;;) {
          const e = buf.indexOf('\r\n', p);
          if (e < 0) return null;
          if (e === p) { pos = e + 2; break; }
          p = e + 2;
        }
        break;
      }
      if (buf.length < pos + size + 2) return null;
      parts.push(buf.subarray(pos, pos + size));
      pos += size + 2;
    }
    body = Buffer.concat(parts);
  } else if (head.headers['content-length'] !== undefined) {
    const n = Number(head.headers['content-length']);
    if (buf.length < pos + n) return null;
    body = buf.subarray(pos, pos + n);
    pos += n;
  } else {
    if (!eof) return null;
    body = buf.subarray(pos);
    pos = buf.length;
  }
  const text = body.toString('utf8');
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  const headersApi = { get: (k) => head.headers[k.toLowerCase()] ?? null };
  return { consumed: pos, response: { ...head, headers: headersApi, rawHeaders: head.headers, body, text, json,
    raw: buf.subarray(0, pos) } };
}

/**
 * Builds a request. `headers` is an object or an array of [name, value]; the target's headers
 * (auth) are added first. A body gets a Content-Length unless `contentLength: false`.
 * `host: null` sends no Host header; `version` is the HTTP version ('1.1').
 */
export function buildRequest(target, method, path, { headers = {}, body, contentType = 'application/json',
  contentLength = true, host, version = '1.1' } = {}) {
  const list = host === null ? [] : [['Host', host ?? new URL(target.baseUrl).host]];
  list.push(...Object.entries(target.headers()));
  list.push(...(Array.isArray(headers) ? headers : Object.entries(headers)));
  let payload = Buffer.alloc(0);
  if (body !== undefined) {
    payload = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
    if (contentType !== null) list.push(['Content-Type', contentType]);
    if (contentLength) list.push(['Content-Length', String(payload.length)]);
  }
  const head = `${method} ${path} HTTP/${version}\r\n` + list.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}

/** One request on a new connection; returns the response (connection destroyed afterwards). */
export async function rawRequest(target, data, { timeoutMs = 10_000, head = false } = {}) {
  const conn = await connect(target, { timeoutMs });
  try {
    await conn.write(data).catch(() => { /* the server may answer and close before reading it all */ });
    return await conn.next(timeoutMs, { head });
  } finally {
    conn.destroy();
  }
}

/** A body in chunked transfer coding, split into pieces of `size` bytes. */
export function chunked(body, size = 1000) {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const parts = [];
  for (let i = 0; i < b.length; i += size) {
    const c = b.subarray(i, i + size);
    parts.push(Buffer.from(c.length.toString(16) + '\r\n', 'latin1'), c, Buffer.from('\r\n', 'latin1'));
  }
  parts.push(Buffer.from('0\r\n\r\n', 'latin1'));
  return Buffer.concat(parts);
}
