// An HTTP proxy in front of a DynamoDB endpoint (dynalite) that injects faults into chosen
// requests, for the fault tests of the DynamoDB backend (faults.spec.mjs).
//
//   const proxy = await startFaultProxy(dynalite.url);
//   proxy.inject('throttle', { operation: 'PutItem', count: 2 });
//   proxy.inject('slow', { operation: 'GetItem', count: 1, delayMs: 4000 });
//   proxy.inject('dropAfterApply', { operation: 'PutItem', where: isCustomerItem });
//   proxy.injectRandom({ throttle: 0.2, dropAfterApply: 0.1 }, { seed: 7 });
//   proxy.clear(); proxy.stats(); await proxy.stop();
//   await proxy.settled();   // after the client died: every request it sent is carried out or dropped
//
// Faults:
// - throttle: answers 400 ProvisionedThroughputExceededException, nothing forwarded;
// - error500: answers 500 InternalServerError, nothing forwarded;
// - slow: forwards (the request IS carried out) and holds the answer back for delayMs;
// - dropAfterApply: forwards, waits for the answer, then destroys the client's connection
//   without answering (the request WAS carried out, the caller cannot know);
// - dropBefore: destroys the client's connection without forwarding.
//
// A rule applies to the next `count` requests (Infinity: until cleared) whose operation (the
// part of X-Amz-Target after the dot) is `operation` ('any' matches all) and for which
// `where(body)` holds (body: the parsed JSON request). The first matching rule with requests
// left wins; requests no rule takes are forwarded unchanged.

import http from 'node:http';

export const FAULT_KINDS = ['throttle', 'error500', 'slow', 'dropAfterApply', 'dropBefore'];

const THROTTLE_BODY = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded (injected)',
});
const ERROR_500_BODY = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
  message: 'Internal server error (injected)',
});

// Small seeded generator (mulberry32), so that a random fault pattern repeats with its seed.
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function operationOf(req) {
  const target = String(req.headers['x-amz-target'] ?? '');
  const dot = target.lastIndexOf('.');
  return dot >= 0 ? target.slice(dot + 1) : target || '(none)';
}

function bump(map, key) {
  map[key] = (map[key] ?? 0) + 1;
}

export async function startFaultProxy(targetUrl) {
  const target = new URL(targetUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let rules = [];
  let random = null; // { rates, operation, where, next }
  let counts = { received: {}, forwarded: {}, faults: {}, bytesSent: {}, bytesAnswered: {} };
  const events = [];
  const timers = new Set();
  // What settled() waits for: client connections, requests received but not yet forwarded or
  // answered, and forwards whose answer has not come back.
  let openConnections = 0;
  let openRequests = 0;
  let forwarding = 0;
  let settledWaiters = [];
  const quiet = () => openConnections === 0 && openRequests === 0 && forwarding === 0;
  function wakeSettled() {
    if (!quiet()) return;
    const waiters = settledWaiters;
    settledWaiters = [];
    for (const wake of waiters) wake();
  }

  function pickFault(operation, body) {
    for (const rule of rules) {
      if (rule.remaining <= 0) continue;
      if (rule.operation !== 'any' && rule.operation !== operation) continue;
      if (rule.where && !rule.where(body)) continue;
      rule.remaining -= 1;
      return { kind: rule.kind, delayMs: rule.delayMs };
    }
    if (random && (random.operation === 'any' || random.operation === operation) &&
        (!random.where || random.where(body))) {
      let roll = random.next();
      for (const [kind, rate] of Object.entries(random.rates)) {
        if (roll < rate) return { kind, delayMs: random.delayMs };
        roll -= rate;
      }
    }
    return null;
  }

  // Sends the request on and resolves with the complete answer; null when the target fails.
  function forward(req, raw, operation) {
    bump(counts.forwarded, operation);
    forwarding += 1;
    return new Promise((resolveForward) => {
      let answered = false;
      const resolve = (value) => {
        if (answered) return;
        answered = true;
        resolveForward(value);
        forwarding -= 1;
        wakeSettled();
      };
      const headers = { ...req.headers, host: target.host, 'content-length': String(raw.length) };
      delete headers.connection;
      delete headers['transfer-encoding'];
      const upstream = http.request({
        protocol: target.protocol, hostname: target.hostname, port: target.port,
        method: req.method, path: req.url, headers, agent,
      }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          counts.bytesSent[operation] = (counts.bytesSent[operation] ?? 0) + raw.length;
          counts.bytesAnswered[operation] = (counts.bytesAnswered[operation] ?? 0) + body.length;
          resolve({ status: res.statusCode, headers: res.headers, body });
        });
        res.on('error', () => resolve(null));
      });
      upstream.on('error', () => resolve(null));
      upstream.end(raw);
    });
  }

  function answer(res, status, contentType, body) {
    if (res.destroyed || res.socket?.destroyed) return;
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  function relay(res, upstream) {
    if (res.destroyed || res.socket?.destroyed) return;
    if (!upstream) {
      res.socket?.destroy();
      return;
    }
    const headers = { ...upstream.headers, 'content-length': String(upstream.body.length) };
    delete headers.connection;
    delete headers['transfer-encoding'];
    delete headers['keep-alive'];
    res.writeHead(upstream.status, headers);
    res.end(upstream.body);
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    openRequests += 1;
    let open = true;
    const done = () => {
      if (!open) return;
      open = false;
      openRequests -= 1;
      wakeSettled();
    };
    req.on('close', done);
    req.on('data', (c) => chunks.push(c));
    req.on('error', () => {});
    res.on('error', () => {});
    req.on('end', async () => {
      // Whatever happens to this request below starts now (a forward counts from here on).
      queueMicrotask(done);
      const raw = Buffer.concat(chunks);
      const operation = operationOf(req);
      let body = null;
      try { body = JSON.parse(raw.toString('utf8') || '{}'); } catch { /* not JSON */ }
      bump(counts.received, operation);
      const fault = pickFault(operation, body);
      if (fault) {
        bump(counts.faults, `${fault.kind}:${operation}`);
        events.push({ at: Date.now(), operation, fault: fault.kind, body });
      }
      switch (fault?.kind) {
        case 'throttle':
          return answer(res, 400, 'application/x-amz-json-1.0', THROTTLE_BODY);
        case 'error500':
          return answer(res, 500, 'application/x-amz-json-1.0', ERROR_500_BODY);
        case 'dropBefore':
          return req.socket.destroy();
        case 'dropAfterApply': {
          await forward(req, raw, operation);
          return req.socket.destroy();
        }
        case 'slow': {
          const upstream = await forward(req, raw, operation);
          const timer = setTimeout(() => {
            timers.delete(timer);
            relay(res, upstream);
          }, fault.delayMs ?? 4000);
          timers.add(timer);
          return undefined;
        }
        default:
          return relay(res, await forward(req, raw, operation));
      }
    });
  });
  // Longer than any pause between requests of a test, so that the proxy does not close a
  // connection the client is about to reuse (that would be a fault nobody asked for).
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  server.requestTimeout = 0;
  server.on('connection', (socket) => {
    openConnections += 1;
    socket.once('close', () => {
      openConnections -= 1;
      wakeSettled();
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  return {
    url: `http://127.0.0.1:${port}`,
    /** Schedules `kind` for the next `count` matching requests. */
    inject(kind, { operation = 'any', count = 1, delayMs, where } = {}) {
      if (!FAULT_KINDS.includes(kind)) throw new Error(`unknown fault ${kind}`);
      rules.push({ kind, operation, remaining: count, delayMs, where });
    },
    /** Each matching request gets fault `kind` with probability rates[kind] (seeded). */
    injectRandom(rates, { operation = 'any', where, seed = 1, delayMs } = {}) {
      for (const kind of Object.keys(rates)) {
        if (!FAULT_KINDS.includes(kind)) throw new Error(`unknown fault ${kind}`);
      }
      random = { rates, operation, where, delayMs, next: seededRandom(seed) };
    },
    /** Removes every scheduled fault (answers already held back still arrive). */
    clear() {
      rules = [];
      random = null;
    },
    /** How many scheduled faults are still waiting for a request. */
    pending() {
      return rules.reduce((sum, rule) => sum + (Number.isFinite(rule.remaining) ? rule.remaining : 0), 0);
    },
    /**
     * {received, forwarded, faults, bytesSent, bytesAnswered}: per operation ("kind:operation"
     * for faults); the bytes are the request and answer bodies of forwarded requests.
     */
    stats() {
      return structuredClone(counts);
    },
    resetStats() {
      counts = { received: {}, forwarded: {}, faults: {}, bytesSent: {}, bytesAnswered: {} };
      events.length = 0;
    },
    /** Every fault applied since the last resetStats: {at, operation, fault, body}. */
    events() {
      return events.slice();
    },
    /**
     * Resolves once no client connection is open and every request received has been answered,
     * dropped or forwarded with its answer back: after the client was killed, the writes it
     * sent are then either carried out by the target or never will be.
     */
    settled() {
      if (quiet()) return Promise.resolve();
      return new Promise((resolve) => settledWaiters.push(resolve));
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

// Request filters for `where`: which item a write is about.
export const isCustomerItem = (body) => body?.Item?.type?.S === 'potential_customer';
export const isClaimItem = (body) => body?.Item?.type?.S === 'potential_customer_phone';
export const isCustomerKey = (body) => body?.Key?.type?.S === 'potential_customer';
export const isClaimKey = (body) => body?.Key?.type?.S === 'potential_customer_phone';
