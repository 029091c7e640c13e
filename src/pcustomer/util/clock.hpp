#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pcustomer {

// Milliseconds since the Unix epoch, from the system clock.
int64_t NowUnixMillis();

// "2026-11-24T10:00:00.015Z": ISO 8601, UTC, always three fraction digits.
std::string FormatIsoMillis(int64_t unix_millis);

// The milliseconds of a text in FormatIsoMillis's exact form (from 1970 on); none otherwise.
std::optional<int64_t> ParseIsoMillis(std::string_view text);

}  // namespace pcustomer
