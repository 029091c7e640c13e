# libFuzzer targets (fuzz/*.cpp), built by the `fuzz` preset and run by fuzz/run.
#
# Included before the layers, so the instrumentation flags reach every library: coverage
# feedback and sanitizers only see code compiled with them. The targets themselves are
# declared at the end of the top-level directory (cmake_language DEFER), once every layer
# library exists.
#
# Each fuzz/<name>.cpp is one target, fuzz_<name>. It names the one layer library it links in
# a line of its own:
#   // fuzz-link: pc_api
# A file without that line stops the configuration, so a new target cannot link by accident
# more (or less) than it says.

option(PCUSTOMER_FUZZ "Build the libFuzzer targets of fuzz/ (clang only); no unit tests" OFF)
if(NOT PCUSTOMER_FUZZ)
  return()
endif()

if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "PCUSTOMER_FUZZ needs clang (libFuzzer); use `cmake --preset fuzz`.")
endif()
if(PCUSTOMER_TESTS)
  # The fuzz tree builds fuzzers only: gtest binaries under the fuzzer's instrumentation would
  # only cost build time on shared cores.
  message(STATUS "PCUSTOMER_FUZZ=ON: PCUSTOMER_TESTS turned OFF")
  set(PCUSTOMER_TESTS OFF CACHE BOOL "Build unit tests" FORCE)
endif()

# -UNDEBUG keeps assert() (e.g. Result::value() on an error) live in RelWithDebInfo, and
# _GLIBCXX_ASSERTIONS bounds-checks std::string_view, std::vector and the like: both turn
# silent misbehaviour into a crash the fuzzer reports. Neither changes the library ABI.
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer -UNDEBUG -D_GLIBCXX_ASSERTIONS)
# Third-party defects the sanitizers would otherwise report on every input; see the file.
add_compile_options("-fsanitize-ignorelist=${PROJECT_SOURCE_DIR}/fuzz/ubsan_ignorelist.txt")
# Clang 14 cannot assemble UBSan's function-type check in coroutines that Asio's co_spawn
# instantiates ("Cannot represent a difference across sections", store/dynamodb/coroutine.cpp):
# that one check is left out; every other UBSan check stays.
add_compile_options(-fno-sanitize=function)
add_link_options(-fsanitize=address,undefined)
# Boost 1.74 enables Asio's co_await support under clang only with libc++'s
# <experimental/coroutine>; clang 14 with libstdc++ has C++20 <coroutine> (which Asio itself
# detects, BOOST_ASIO_HAS_STD_COROUTINE) but would lose asio::awaitable without this. Defined
# for every translation unit, as layers.cmake requires of Boost configuration.
add_compile_definitions(BOOST_ASIO_HAS_CO_AWAIT=1)

function(pc_add_fuzz_targets)
  # clang 14 fails on coroutines under UBSan's function check ("Cannot represent a difference
  # across sections", llvm/llvm-project#49689), so the layers with coroutines go without that
  # one check; every other UBSan check stays.
  foreach(layer IN ITEMS pc_aws pc_http)
    target_compile_options(${layer} PRIVATE -fno-sanitize=function)
  endforeach()
  file(GLOB sources CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/fuzz/*.cpp")
  add_custom_target(pcustomer_fuzzers)
  foreach(source IN LISTS sources)
    get_filename_component(name "${source}" NAME_WE)
    file(STRINGS "${source}" link_lines REGEX "^// fuzz-link: ")
    list(LENGTH link_lines link_line_count)
    if(NOT link_line_count EQUAL 1)
      message(FATAL_ERROR "${source}: needs exactly one line `// fuzz-link: <layer library>` "
                          "(e.g. pc_api), see cmake/fuzz.cmake")
    endif()
    string(REGEX REPLACE "^// fuzz-link: *([A-Za-z0-9_]+) *$" "\\1" library "${link_lines}")
    if(NOT TARGET "${library}")
      message(FATAL_ERROR "${source}: `fuzz-link: ${library}` is not a layer library")
    endif()
    add_executable(fuzz_${name} "${source}")
    target_link_libraries(fuzz_${name} PRIVATE ${library})
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    add_dependencies(pcustomer_fuzzers fuzz_${name})
  endforeach()
endfunction()
cmake_language(DEFER DIRECTORY "${PROJECT_SOURCE_DIR}" CALL pc_add_fuzz_targets)
