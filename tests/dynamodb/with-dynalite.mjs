// Runs a command against a fresh dynalite: starts the emulator, runs the command with
// AWS_ENDPOINT_URL_DYNAMODB pointing at it (and dummy credentials and region, which the
// emulator accepts), stops the emulator and exits with the command's status.
//   node tests/dynamodb/with-dynalite.mjs build/debug/pc_dynamodb_integration_tests
import { runWithPeer } from './peer.mjs';
import { startDynalite } from './start-dynalite.mjs';

// Tests that need TransactWriteItems, which dynalite lacks, read this to say why they skip.
process.env.PCUSTOMER_TEST_DYNAMODB_PEER = 'dynalite';
await runWithPeer('tests/dynamodb/with-dynalite.mjs', startDynalite, process.argv.slice(2),
  { log: process.env.DYNALITE_LOG === '1' });
