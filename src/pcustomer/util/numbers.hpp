#pragma once

#include <charconv>
#include <optional>
#include <string_view>

namespace pcustomer {

// The decimal integer that is the whole of `text` (no sign for unsigned types, no spaces,
// no trailing characters), when it lies in [low, high].
template <class T>
std::optional<T> ParseIntegerInRange(std::string_view text, T low, T high) {
  T value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < low || value > high) {
    return std::nullopt;
  }
  return value;
}

}  // namespace pcustomer
