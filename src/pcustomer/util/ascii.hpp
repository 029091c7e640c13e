#pragma once

#include <algorithm>
#include <string_view>

namespace pcustomer {

// HTTP and AWS names (header names, schemes, codings, "true") compare without regard to ASCII
// case; these never look at more than the bytes of the two views. Beast 1.74's iequals reads
// one byte past the end of its arguments once they differ in case, which a request target or
// header value at the end of its buffer turns into an out-of-bounds read.

constexpr char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return AsciiLower(x) == AsciiLower(y);
         });
}

// True when every byte of `text` is an ASCII digit (also for an empty `text`).
constexpr bool AllAsciiDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// True when `text` begins with `prefix`, ASCII case aside.
constexpr bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoringCase(text.substr(0, prefix.size()), prefix);
}

}  // namespace pcustomer
