#pragma once

#include <string>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/history.hpp"

namespace pcustomer {

// The history entry of a change that brought a lead from `before` (none for a new lead) to
// `after`: at its version and updatedAt, with every client field whose value differs (an
// update of the owner alone is recorded as `assigned`). Both
// stores write what this answers, so their histories read the same.
HistoryEntry HistoryEntryOf(HistoryAction action, const Actor& by, const Customer* before,
                            const Customer& after);

// The entry of a note on `after` (the lead at the version the note brought it to).
HistoryEntry NoteEntryOf(const Actor& by, const Customer& after, const std::string& text);

}  // namespace pcustomer
