#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace pcustomer {

// How many leads there are now (trashed ones do not count), by status, source, product code
// and UTC day of creation (CONTRACT.md section 9, GET /stats). Stores keep these counters up
// to date in every write's transaction, so reading them costs the same for any number of
// leads.
struct LeadCounts {
  int64_t total = 0;
  std::map<std::string, int64_t> by_status;
  std::map<std::string, int64_t> by_source;
  std::map<std::string, int64_t> by_product_code;
  std::map<std::string, int64_t> created_per_day;  // "2026-12-01" -> leads created that day
  bool operator==(const LeadCounts&) const = default;
};

}  // namespace pcustomer
