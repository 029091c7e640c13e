#pragma once

#include <array>
#include <string_view>

namespace pcustomer {

// How far a lead got, and where it came from (CONTRACT.md section 9), in the order answers
// and messages list them.
inline constexpr std::array<std::string_view, 5> kLeadStatuses{"new", "contacted", "qualified",
                                                               "won", "lost"};
inline constexpr std::array<std::string_view, 9> kLeadSources{
    "web", "zalo", "facebook", "tiktok", "referral", "event", "phone_call", "import", "other"};

template <size_t N>
constexpr bool IsOneOf(std::string_view value, const std::array<std::string_view, N>& allowed) {
  for (std::string_view candidate : allowed) {
    if (candidate == value) return true;
  }
  return false;
}

}  // namespace pcustomer
