// A loopback port the kernel offers now, released for a test peer that cannot bind port 0
// itself (dynalite) or must know its port before it starts (cognito-local puts it in `iss`).
import { createServer } from 'node:net';

export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}
