#pragma once

#include <cstdint>
#include <string>

namespace pcustomer {

// Milliseconds since the Unix epoch, from the system clock.
int64_t NowUnixMillis();

// "2026-11-24T10:00:00.015Z": ISO 8601, UTC, always three fraction digits.
std::string FormatIsoMillis(int64_t unix_millis);

}  // namespace pcustomer
