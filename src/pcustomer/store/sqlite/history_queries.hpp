#pragma once

#include <string>

#include "pcustomer/domain/history.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

// The SQL of leads' history (the `history` table, schema.cpp). Writes run inside the writer's
// transaction of the change they record; reads on any connection.
namespace pcustomer::sqlite {

Status InsertHistoryEntry(Connection& db, const HistoryEntry& entry);

// Newest first, below `request.before_version`; reads one entry beyond the limit to know
// whether another page follows. kNotFound when the lead has no entry and no row (only a lead
// the reference wrote and nobody changed since has a row without entries).
Result<HistoryPage> SelectHistoryPage(Connection& db, const HistoryRequest& request);

// The note `text` on lead `id` by `by` at `now`: the lead at its next version and the note's
// history entry, which is answered. kNotFound when `id` is missing.
Result<HistoryEntry> InsertNote(Connection& db, const std::string& id, const std::string& text,
                                const std::string& now, const Actor& by);

// Erases every entry of the lead.
Status DeleteHistory(Connection& db, const std::string& lead_id);

}  // namespace pcustomer::sqlite
