// Runs a command against a fresh DynamoDB Local (AWS's own emulator, in memory, on 127.0.0.1):
// starts it, runs the command with AWS_ENDPOINT_URL_DYNAMODB pointing at it (and dummy
// credentials and region), stops it and exits with the command's status.
//   node tests/dynamodb/with-dynamodb-local.mjs build/debug/pc_dynamodb_integration_tests
import { runWithPeer } from './peer.mjs';
import { startDynamoDbLocal } from './start-dynamodb-local.mjs';

await runWithPeer('tests/dynamodb/with-dynamodb-local.mjs', startDynamoDbLocal, process.argv.slice(2),
  { log: process.env.DYNAMODB_LOCAL_LOG === '1' });
