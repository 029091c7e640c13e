#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pcustomer {

// Puts client text into the form every rule checks and the store keeps: Unicode NFC with
// surrounding white space (any code point with the White_Space property, e.g. U+00A0, U+3000)
// removed. None when `text` is not well-formed UTF-8, since no rule can accept such text.
// Thread-safe.
std::optional<std::string> NormalizeInputText(std::string_view text);

}  // namespace pcustomer
