#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/lead_counts.hpp"

// The counters behind LeadCounts, as both backends keep them: one named counter per total,
// status, source, product code and creation day ("total", "status#won", "source#zalo",
// "product#book", "day#2026-12-01"), each moved by the writes that change what it counts.
namespace pcustomer {

inline constexpr std::string_view kDayCounterPrefix = "day#";

struct CounterDelta {
  std::string name;
  int64_t delta = 0;
  bool operator==(const CounterDelta&) const = default;
};

// What a change from `before` to `after` does to the counters: a lead leaving (trash) has no
// `after`, one arriving (create, restore) no `before`. Counters the change leaves alone are
// not listed; the order is fixed (sorted by name).
std::vector<CounterDelta> CounterDeltas(const Customer* before, const Customer* after);

// Adds counter `name` (one CounterDeltas names) holding `count` to `counts`; unknown names
// and zero counts are left out.
void AddCounter(LeadCounts& counts, std::string_view name, int64_t count);

// The day counter of `first_day` ("YYYY-MM-DD"): day counters from it on name that day or
// later (the names order as the dates do).
std::string DayCounter(std::string_view day);

}  // namespace pcustomer
