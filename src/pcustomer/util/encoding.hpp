#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pcustomer {

// URL-safe base64 without padding (RFC 4648 section 5), as JWTs and cursors use it.
std::string Base64UrlEncode(std::string_view bytes);
// None when `text` holds anything but the URL-safe alphabet or has an impossible length.
std::optional<std::string> Base64UrlDecode(std::string_view text);

std::string HexEncode(std::string_view bytes);

}  // namespace pcustomer
