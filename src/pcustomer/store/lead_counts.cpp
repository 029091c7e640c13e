#include "pcustomer/store/lead_counts.hpp"

#include <map>

namespace pcustomer {
namespace {

constexpr std::string_view kTotal = "total";
constexpr std::string_view kStatusPrefix = "status#";
constexpr std::string_view kSourcePrefix = "source#";
constexpr std::string_view kProductPrefix = "product#";

// The counters `lead` is counted in, each once.
void CountLead(const Customer& lead, int64_t delta, std::map<std::string, int64_t>& deltas) {
  deltas[std::string(kTotal)] += delta;
  deltas[std::string(kStatusPrefix) + lead.status] += delta;
  deltas[std::string(kSourcePrefix) + lead.source] += delta;
  deltas[std::string(kProductPrefix) + lead.product_code] += delta;
  // createAt is ISO 8601: its first ten characters are the UTC day.
  deltas[DayCounter(std::string_view(lead.create_at).substr(0, 10))] += delta;
}

}  // namespace

std::vector<CounterDelta> CounterDeltas(const Customer* before, const Customer* after) {
  std::map<std::string, int64_t> deltas;
  if (before != nullptr) CountLead(*before, -1, deltas);
  if (after != nullptr) CountLead(*after, +1, deltas);
  std::vector<CounterDelta> changed;
  for (auto& [name, delta] : deltas) {
    if (delta != 0) changed.push_back({name, delta});
  }
  return changed;
}

void AddCounter(LeadCounts& counts, std::string_view name, int64_t count) {
  if (count == 0) return;
  auto rest = [&](std::string_view prefix) { return std::string(name.substr(prefix.size())); };
  if (name == kTotal) {
    counts.total += count;
  } else if (name.starts_with(kStatusPrefix)) {
    counts.by_status[rest(kStatusPrefix)] += count;
  } else if (name.starts_with(kSourcePrefix)) {
    counts.by_source[rest(kSourcePrefix)] += count;
  } else if (name.starts_with(kProductPrefix)) {
    counts.by_product_code[rest(kProductPrefix)] += count;
  } else if (name.starts_with(kDayCounterPrefix)) {
    counts.created_per_day[rest(kDayCounterPrefix)] += count;
  }
}

std::string DayCounter(std::string_view day) {
  std::string name(kDayCounterPrefix);
  name += day;
  return name;
}

}  // namespace pcustomer
