#pragma once

#include <optional>
#include <string>

#include "pcustomer/domain/history.hpp"

namespace pcustomer {

// {"data": [{"version", "at", "by": {"sub", "username"}, "action", "changes"}, ...],
//  "meta": {"size", "limit", "lastKey"}} (CONTRACT.md section 8).
std::string HistoryEnvelope(const HistoryPage& page, int limit,
                            const std::optional<std::string>& cursor);

}  // namespace pcustomer
