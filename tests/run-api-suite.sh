#!/usr/bin/env bash
# Runs the black-box API suite (tests/api) against a server it starts from $PCUSTOMER_BIN,
# in one configuration:
#   local     embedded store, local identity provider; requests carry the admin's token
#   dynamodb        the same on the DynamoDB store, against a dynalite started for the run;
#                   every server the suite starts gets a table of its own
#   dynamodb-local  the same against DynamoDB Local (AWS's emulator, Java) started for the run
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-local}"
case "$mode" in
  local)
    export PCUSTOMER_TEST_SERVER_ENV='{"PCUSTOMER_ADMIN_PASSWORD":"Suite#Admin1"}'
    export PCUSTOMER_TEST_HEADERS_MODULE=tests/api/hooks/local-admin.mjs
    ;;
  dynamodb)
    export PCUSTOMER_TEST_SERVER_ENV='{"PCUSTOMER_ADMIN_PASSWORD":"Suite#Admin1","PCUSTOMER_STORE":"dynamodb"}'
    export PCUSTOMER_TEST_HEADERS_MODULE=tests/api/hooks/local-admin.mjs
    export PCUSTOMER_TEST_TABLE_PER_SERVER=1
    exec node tests/dynamodb/with-dynalite.mjs node --test --test-concurrency=1 tests/api/
    ;;
  dynamodb-local)
    export PCUSTOMER_TEST_SERVER_ENV='{"PCUSTOMER_ADMIN_PASSWORD":"Suite#Admin1","PCUSTOMER_STORE":"dynamodb"}'
    export PCUSTOMER_TEST_HEADERS_MODULE=tests/api/hooks/local-admin.mjs
    export PCUSTOMER_TEST_TABLE_PER_SERVER=1
    exec node tests/dynamodb/with-dynamodb-local.mjs node --test --test-concurrency=1 tests/api/
    ;;
  *) echo "run-api-suite: unknown mode '$mode'" >&2; exit 2 ;;
esac
exec node --test --test-concurrency=1 tests/api/
