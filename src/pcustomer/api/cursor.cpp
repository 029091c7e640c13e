#include "pcustomer/api/cursor.hpp"

#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

constexpr std::string_view kVersionPrefix = "1:";
constexpr size_t kTagBytes = 16;  // 128 bits: forging one is out of reach
constexpr size_t kMaxCursorLength = 512;

Error BadCursor() {
  return Error::BadRequest("Invalid startKey", {{"startKey", "startKey is not a cursor issued by this service"}});
}

}  // namespace

std::string CursorCodec::Tag(std::string_view payload) const {
  return HmacSha256(key_, payload).substr(0, kTagBytes);
}

std::string CursorCodec::Encode(std::string_view last_id) const {
  std::string payload = std::string(kVersionPrefix) + std::string(last_id);
  return Base64UrlEncode(payload) + "." + Base64UrlEncode(Tag(payload));
}

Result<std::string> CursorCodec::Decode(std::string_view cursor) const {
  if (cursor.size() > kMaxCursorLength) return BadCursor();
  size_t dot = cursor.find('.');
  if (dot == std::string_view::npos) return BadCursor();
  auto payload = Base64UrlDecode(cursor.substr(0, dot));
  auto tag = Base64UrlDecode(cursor.substr(dot + 1));
  if (!payload || !tag || !ConstantTimeEquals(*tag, Tag(*payload))) return BadCursor();
  if (payload->rfind(kVersionPrefix, 0) != 0) return BadCursor();
  return payload->substr(kVersionPrefix.size());
}

}  // namespace pcustomer
