// Idempotency-Key values (api/idempotency_guard.hpp): any header value is a key of 1-255
// printable ASCII characters or a 400, never a crash; and a key written back as a Structured
// Field string reads as the same key, so clients that quote and clients that do not agree.
// fuzz-link: pc_api

#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "pcustomer/api/idempotency_guard.hpp"

namespace {

std::string Quoted(const std::string& key) {
  std::string quoted = "\"";
  for (char c : key) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view value = pcustomer::fuzz::AsText(data, size);
  auto key = pcustomer::ParseIdempotencyKey(value);
  if (!key.ok()) {
    FUZZ_CHECK(key.error().code == pcustomer::ErrorCode::kBadRequest);
    return 0;
  }
  FUZZ_CHECK(!key->empty() && key->size() <= 255);
  for (char c : *key) FUZZ_CHECK(c >= 0x20 && c <= 0x7e);
  auto again = pcustomer::ParseIdempotencyKey(Quoted(*key));
  FUZZ_CHECK(again.ok() && *again == *key);
  // A value that is not quoted is the key itself.
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') FUZZ_CHECK(*key == value);
  return 0;
}
