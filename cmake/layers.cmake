# One static library per layer, built from the sources of its folder (tests excluded, and
# test-only support under a testing/ folder, which goes into the layer's test binary).
# Dependencies point one way: domain <- util <- aws/validation <- store <- auth <- api <- http <- app.
# Boost configuration changes the layout of Beast's types: it must be the same in every
# translation unit of the binary, or the linker mixes incompatible definitions.
add_compile_definitions(BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
# Where assertions are on (debug and fuzz builds), Boost's go through our handler
# (util/boost_assert.cpp) rather than assert(), so that one known-false assertion of Beast
# 1.74 does not abort on input a client can send. Release builds have none (NDEBUG).
add_compile_definitions(BOOST_ENABLE_ASSERT_DEBUG_HANDLER)

# A folder that is a layer of its own (the store backends) is left out of its parent's layer.
set(PC_NESTED_LAYER_FOLDERS store/sqlite store/dynamodb)
function(pc_layer name folder)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/src/pcustomer/${folder}/*.cpp")
  list(FILTER sources EXCLUDE REGEX "_test\\.cpp$|/main\\.cpp$|/src/pcustomer/.*/testing/")
  foreach(nested IN LISTS PC_NESTED_LAYER_FOLDERS)
    if(NOT nested STREQUAL folder)
      list(FILTER sources EXCLUDE REGEX "/src/pcustomer/${nested}/")
    endif()
  endforeach()
  add_library(${name} STATIC ${sources})
  target_link_libraries(${name} PUBLIC ${ARGN})
endfunction()

# domain/ is headers only (the customer, its fields, errors, results): every layer sees it,
# and it sees nothing.
add_library(pc_domain INTERFACE)
target_include_directories(pc_domain INTERFACE "${PROJECT_SOURCE_DIR}/src")

pc_layer(pc_util util pc_domain OpenSSL::Crypto)
# Only util/escaped_exceptions.cpp logs; PRIVATE keeps spdlog's definitions out of the layers above.
target_link_libraries(pc_util PRIVATE spdlog::spdlog)
# AWS plumbing (async HTTP client, SigV4, credentials, Cognito), shared by auth and the
# DynamoDB store; it runs its own event loop so the server's loops never wait on a network.
pc_layer(pc_aws aws pc_util Boost::headers OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
target_include_directories(pc_aws PUBLIC ${RAPIDJSON_INCLUDE_DIRS})
pc_layer(pc_validation validation pc_util PkgConfig::ICU phonenumber)
target_include_directories(pc_validation PUBLIC ${RAPIDJSON_INCLUDE_DIRS})
# The store interfaces (CustomerStore, UserStore, SecretStore, customer ids) and their two
# backends, siblings that only app/ links together: nothing above the store can reach
# SQLite or DynamoDB code except through the interfaces.
pc_layer(pc_store store pc_util pc_validation)
pc_layer(pc_store_sqlite store/sqlite pc_store PkgConfig::SQLITE3 Threads::Threads)
pc_layer(pc_store_dynamodb store/dynamodb pc_store pc_aws)
pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)
pc_layer(pc_auth auth pc_store pc_aws OpenSSL::Crypto PkgConfig::ARGON2)
target_include_directories(pc_auth PUBLIC ${RAPIDJSON_INCLUDE_DIRS})
pc_layer(pc_api api pc_validation pc_store pc_auth)
pc_layer(pc_http http pc_api Boost::headers spdlog::spdlog Threads::Threads)
pc_layer(pc_app app pc_http pc_store_sqlite pc_store_dynamodb CLI11::CLI11)
