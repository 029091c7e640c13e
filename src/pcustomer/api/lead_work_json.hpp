#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pcustomer/domain/history.hpp"
#include "pcustomer/domain/lead_counts.hpp"

namespace pcustomer {

// {"id", "at", "by": {"sub", "username"}, "text"} of a note's history entry (its id is the
// lead version the note brought, unique within the lead).
std::string NoteEnvelope(const HistoryEntry& note);
std::string NotePageEnvelope(const HistoryPage& page, int limit,
                             const std::optional<std::string>& cursor);

// {"data": {"total", "byStatus", "bySource", "byProductCode", "createdPerDay": [{"date",
// "count"}, ...]}}: every status and source (0 included), the product codes that have leads,
// and each of the `days` UTC days up to `today_millis`'s, oldest first.
std::string StatsEnvelope(const LeadCounts& counts, int64_t today_millis, int days);

}  // namespace pcustomer
