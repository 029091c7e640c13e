// Boost's assertion handler (BOOST_ENABLE_ASSERT_DEBUG_HANDLER, see cmake/layers.cmake): the
// same report and abort as assert(), except for one assertion that is known to be false.
//
// Beast 1.74's request parser asserts `n >= 5` in parse_chunk_header when a body whose first
// chunk is the last one ("0\r\n", then its trailer) arrives a byte at a time: it can be called
// again with 4 bytes. The code after the assertion handles exactly that case (it is what runs
// in release builds, where assertions are compiled out), so a debug build must not abort on
// it: the fuzz target http_request found it, and a client can send it.

#include <boost/assert.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

bool IsKnownFalseAssertion(const char* expr, const char* file) {
  return std::strcmp(expr, "n >= 5") == 0 &&
         std::strstr(file, "beast/http/impl/basic_parser.ipp") != nullptr;
}

[[noreturn]] void Abort(const char* expr, const char* msg, const char* function, const char* file,
                        long line) {
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed%s%s.\n", file, line, function, expr,
               msg ? ": " : "", msg ? msg : "");
  std::abort();
}

}  // namespace

namespace boost {

void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  if (IsKnownFalseAssertion(expr, file)) return;
  Abort(expr, nullptr, function, file, line);
}

void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file,
                          long line) {
  if (IsKnownFalseAssertion(expr, file)) return;
  Abort(expr, msg, function, file, line);
}

}  // namespace boost
