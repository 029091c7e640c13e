#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pcustomer {

// Decodes %XX escapes (and '+' as space when `plus_is_space`, as in query strings).
// None when an escape is malformed or decodes to a NUL byte.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space = false);

std::string PercentEncodePathSegment(std::string_view text);

// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}, in order. None when any part fails to decode.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(std::string_view query);

}  // namespace pcustomer
