#pragma once

#include <string>
#include <string_view>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Opaque, tamper-evident list cursors: base64url("1:" + last id) "." base64url(HMAC-SHA256
// tag, 16 bytes). The key lives in the store, so cursors stay valid across restarts and
// across every process sharing the store; anything this service did not issue is refused.
class CursorCodec {
 public:
  explicit CursorCodec(std::string key) : key_(std::move(key)) {}

  std::string Encode(std::string_view last_id) const;
  // The last id carried by `cursor`; kBadRequest for anything not issued with this key.
  Result<std::string> Decode(std::string_view cursor) const;

 private:
  std::string Tag(std::string_view payload) const;
  std::string key_;
};

}  // namespace pcustomer
