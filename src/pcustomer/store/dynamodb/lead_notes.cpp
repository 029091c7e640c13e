#include "pcustomer/store/dynamodb/lead_notes.hpp"

#include <utility>

#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/history_items.hpp"
#include "pcustomer/store/dynamodb/lead_counters.hpp"
#include "pcustomer/store/dynamodb/lead_writes.hpp"
#include "pcustomer/store/dynamodb/search_entries.hpp"
#include "pcustomer/store/lead_history.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer::dynamodb {
namespace {

// Each failed attempt lost to a concurrent change of the lead; the bound stops a livelock.
constexpr int kMaxNoteAttempts = 16;

// The lead `read` at `noted`'s version, on condition that it is still as read, with the note.
LeadWrite NoteWrite(const ContextPtr& context, const Item& read, const Customer& before,
                    const Customer& noted, const HistoryEntry& entry) {
  LeadWrite write;
  write.lead = {TransactAction::kUpdate, context->NewRequest()};
  Request& update = write.lead.request;
  update.key = CustomerKey(noted.id);
  update.update = PatchUpdate(update, CustomerPatch{}, SortKeysAndStamps(noted));
  update.condition = UnchangedCondition(update, read);
  write.history = HistoryPut(*context, entry);
  // The sort keys mark a lead counted (search_entries.hpp): one the reference wrote joins now.
  write.after_lead = ChangeCounterUpdates(*context, read, before, &noted);
  return write;
}

}  // namespace

Task<HistoryEntry> NoteLead(ContextPtr context, std::string id, std::string text, Actor by) {
  for (int attempt = 0; attempt < kMaxNoteAttempts; ++attempt) {
    Result<std::optional<Item>> found = co_await GetItem(context, CustomerKey(id));
    if (!found.ok()) co_return std::move(found).error();
    if (!found->has_value()) co_return Error::CustomerNotFound();
    const Customer before = ReadCustomer(**found);
    const Customer noted = AtNextVersion(before, FormatIsoMillis(context->clock()));
    HistoryEntry entry = NoteEntryOf(by, noted, text);
    Result<Ok, DynamoDbCallError> applied =
        co_await ApplyLeadWrite(context, NoteWrite(context, **found, before, noted, entry));
    if (applied.ok()) co_return entry;
    if (applied.error().kind == DynamoDbFailure::kOutcomeUnknown) {
      // Our own lost attempt may have landed: its entry says so.
      Result<std::optional<Item>> now = co_await GetItem(context, CustomerKey(id));
      if (!now.ok()) co_return std::move(now).error();
      if (now->has_value() && ReadCustomer(**now) == noted) co_return entry;
    } else if (applied.error().kind != DynamoDbFailure::kConditionFailed) {
      co_return StoreError(applied.error());
    }
    // Changed meanwhile: note what it is now.
  }
  co_return Error::Unavailable("Store unavailable: the lead keeps changing; retry");
}

}  // namespace pcustomer::dynamodb
