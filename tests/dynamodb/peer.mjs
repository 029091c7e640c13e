// What the DynamoDB test peers (dynalite, DynamoDB Local) share: the probe that tells when one
// answers, the environment that points a process at one, and the runner behind
// with-dynalite.mjs and with-dynamodb-local.mjs.

import { spawn } from 'node:child_process';

// Both peers want an Authorization header on every request and check neither the signature
// nor the keys (DynamoDB Local started with -sharedDb ignores the key and region too).
const PROBE_HEADERS = {
  'Content-Type': 'application/x-amz-json-1.0',
  'X-Amz-Target': 'DynamoDB_20120810.ListTables',
  Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  'X-Amz-Date': '20260101T000000Z',
};

/** True once `url` answers a ListTables. */
export async function dynamoDbAnswers(url) {
  try {
    const response = await fetch(url, {
      method: 'POST', headers: PROBE_HEADERS, body: '{}', signal: AbortSignal.timeout(1000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** The environment that points the server, its CLI and the AWS SDKs at a peer. */
export function peerEnv(url) {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  };
}

/**
 * Starts a peer, runs argv[0] with argv[1..] and peerEnv(peer.url) in its environment, stops the
 * peer and exits with the command's status.
 */
export async function runWithPeer(script, startPeer, argv, { log = false } = {}) {
  const [command, ...args] = argv;
  if (!command) {
    console.error(`usage: node ${script} COMMAND [ARGS...]`);
    process.exit(2);
  }
  let peer;
  try {
    peer = await startPeer({ log });
  } catch (error) {
    console.error(`${script}: ${error.message}`);
    process.exit(1);
  }
  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...peerEnv(peer.url) } });
  // Ctrl-C or a CTest timeout: pass it on, and stop the peer once the command is gone.
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  const status = await new Promise((resolveStatus) => {
    child.on('exit', (code, signal) => resolveStatus(code ?? (signal ? 1 : 0)));
    child.on('error', (error) => {
      console.error(`cannot run ${command}: ${error.message}`);
      resolveStatus(1);
    });
  });
  await peer.stop();
  process.exit(status);
}
