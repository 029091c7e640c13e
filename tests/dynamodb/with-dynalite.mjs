// Runs a command against a fresh dynalite: starts the emulator, runs the command with
// AWS_ENDPOINT_URL_DYNAMODB pointing at it (and dummy credentials and region, which the
// emulator accepts), stops the emulator and exits with the command's status.
//   node tests/dynamodb/with-dynalite.mjs build/debug/pc_dynamodb_integration_tests
import { spawn } from 'node:child_process';

import { startDynalite } from './start-dynalite.mjs';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node tests/dynamodb/with-dynalite.mjs COMMAND [ARGS...]');
  process.exit(2);
}

const dynalite = await startDynalite({ log: process.env.DYNALITE_LOG === '1' });
const child = spawn(command, args, {
  stdio: 'inherit',
  env: {
    ...process.env,
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  },
});
const status = await new Promise((resolveStatus) => {
  child.on('exit', (code, signal) => resolveStatus(code ?? (signal ? 1 : 0)));
  child.on('error', (error) => {
    console.error(`cannot run ${command}: ${error.message}`);
    resolveStatus(1);
  });
});
await dynalite.stop();
process.exit(status);
