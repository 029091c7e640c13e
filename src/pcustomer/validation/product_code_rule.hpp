#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pcustomer {

inline constexpr size_t kProductCodeMaxLength = 64;

// True when `text` matches ^[a-z]+(_[a-z]+)*$ and has at most kProductCodeMaxLength bytes.
bool IsProductCode(std::string_view text);

// The stored form (NFC, trimmed) of a client's product code, or none when it is not one.
std::optional<std::string> NormalizeProductCode(std::string_view text);

}  // namespace pcustomer
