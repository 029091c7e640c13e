// Holds many connections to a server for the load tests, in a process of its own (each
// connection is a file descriptor; the test process keeps its own for the probes).
//
//   node conn-holder.mjs HOST PORT COUNT MODE [HOST_HEADER]
//     idle    send GET /healthz, read the answer, then keep the connection open and quiet (a
//             kept-alive idle connection the server has accepted; "failed" counts those that
//             got no answer)
//     slow    send a request's header one byte a second; when the server hangs up after a
//             while (the header deadline) connect again a second later; one closed at
//             once (the server is full) is not replaced
//     noread  send 50 pipelined GET /openapi.json and never read the answers
//
// stdout, one JSON object a line: {"ready": opened, "failed": n, "ms": took} once every connection was
// tried; {"done": true, "closedByServer": n, "reconnects": n, "closedAtOnce": n} after stdin closes (then every
// connection is closed and the process exits).
import net from 'node:net';

const [host, portText, countText, mode, hostHeader = `${host}:${portText}`] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const sockets = new Set();
let closedByServer = 0;
let reconnects = 0;
let closedAtOnce = 0;
let stopping = false;

const idleRequest = Buffer.from(`GET /healthz HTTP/1.1\r\nHost: ${hostHeader}\r\n\r\n`, 'latin1');
const slowRequest = Buffer.from(`GET /healthz HTTP/1.1\r\nHost: ${hostHeader}\r\nX-Slow: ${'s'.repeat(200)}\r\n\r\n`, 'latin1');
const noreadRequests = Buffer.from(
  `GET /openapi.json HTTP/1.1\r\nHost: ${hostHeader}\r\n\r\n`.repeat(50), 'latin1');

function open() {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const born = Date.now();
    s.on('connect', () => {
      sockets.add(s);
      if (mode === 'idle') {
        s.write(idleRequest);
        let got = '';
        const onData = (d) => {
          got += d.toString('latin1');
          if (/^HTTP\/1\.1 200 /.test(got) && got.includes('\r\n\r\n')) { s.off('data', onData); resolve(true); }
        };
        s.on('data', onData);
        s.once('close', () => resolve(false));
        return;
      }
      resolve(true);
      if (mode === 'slow') trickle(s);
      if (mode === 'noread') { s.pause(); s.write(noreadRequests); }
    });
    s.on('error', () => { resolve(false); });
    s.on('close', () => {
      if (!sockets.delete(s) || stopping) return;
      closedByServer++;
      if (Date.now() - born < 2_000) { closedAtOnce++; return; }
      if (mode === 'slow') setTimeout(() => { if (!stopping) { reconnects++; open(); } }, 1_000);
    });
    if (mode !== 'noread') s.on('data', () => { /* answers are not looked at */ });
    s.setTimeout(30_000, () => { s.setTimeout(0); resolve(false); });
  });
}

function trickle(s) {
  let i = 0;
  const timer = setInterval(() => {
    if (s.destroyed || stopping) { clearInterval(timer); return; }
    s.write(slowRequest.subarray(i % slowRequest.length, (i % slowRequest.length) + 1));
    i++;
  }, 1000);
  s.on('close', () => clearInterval(timer));
}

const t0 = Date.now();
let opened = 0;
let failed = 0;
const BATCH = 200;
for (let i = 0; i < count; i += BATCH) {
  const n = Math.min(BATCH, count - i);
  const got = await Promise.all(Array.from({ length: n }, open));
  for (const ok of got) { if (ok) opened++; else failed++; }
}
process.stdout.write(JSON.stringify({ ready: opened, failed, ms: Date.now() - t0 }) + '\n');

process.stdin.resume();
process.stdin.on('end', () => {
  stopping = true;
  for (const s of sockets) s.destroy();
  process.stdout.write(JSON.stringify({ done: true, closedByServer, reconnects, closedAtOnce }) + '\n', () => process.exit(0));
});
