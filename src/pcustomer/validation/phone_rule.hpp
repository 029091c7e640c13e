#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pcustomer {

// The 10-digit national form ("0912345678") of a Vietnamese mobile number, or none.
//
// Accepts "0912345678", "84912345678" and "+84912345678", optionally grouped by single
// spaces, dots or dashes between digits ("091 234 5678", "+84 91-234-5678"), with surrounding
// white space. A number from before the 2018 renumbering, 11 digits with an old prefix
// ("0162 123 4567", "+84 162 123 4567"), comes back in its current form ("0321234567").
// Anything else is refused before libphonenumber sees it, because libphonenumber skips junk
// around a number ("abc0912345678"). The number must then be valid for region VN and of
// mobile type per libphonenumber: landlines and 11-digit numbers without an old mobile
// prefix are refused. Thread-safe.
std::optional<std::string> NormalizeVietnamesePhone(std::string_view text);

}  // namespace pcustomer
