#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pcustomer/domain/history.hpp"
#include "pcustomer/domain/lead_counts.hpp"

namespace pcustomer {

// {"id", "at", "by": {"sub", "username"}, "text"} of a note's history entry (its id is the
// lead version the note brought, unique within the lead).
std::string NoteEnvelope(const HistoryEntry& note);
std::string NotePageEnvelope(const HistoryPage& page, int limit,
                             const std::optional<std::string>& cursor);

// The `days` UTC days ("YYYY-MM-DD") up to and including `now_millis`'s, oldest first.
std::vector<std::string> LastUtcDays(int64_t now_millis, int days);

// {"data": {"total", "byStatus", "bySource", "byProductCode", "createdPerDay": [{"date",
// "count"}, ...]}}: every status and source (0 included), the product codes that have leads,
// and each of `days` in their order.
std::string StatsEnvelope(const LeadCounts& counts, const std::vector<std::string>& days);

}  // namespace pcustomer
