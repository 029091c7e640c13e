#!/usr/bin/env bash
# Runs the black-box API suite (tests/api) against a server it starts from $PCUSTOMER_BIN,
# in one configuration:
#   local   embedded store, local identity provider; requests carry the admin's token
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-local}"
case "$mode" in
  local)
    export PCUSTOMER_TEST_SERVER_ENV='{"PCUSTOMER_ADMIN_PASSWORD":"Suite#Admin1"}'
    export PCUSTOMER_TEST_HEADERS_MODULE=tests/api/hooks/local-admin.mjs
    ;;
  *) echo "run-api-suite: unknown mode '$mode'" >&2; exit 2 ;;
esac
exec node --test --test-concurrency=1 tests/api/
