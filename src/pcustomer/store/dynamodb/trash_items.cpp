#include "pcustomer/store/dynamodb/trash_items.hpp"

#include <utility>
#include <vector>

#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/store/dynamodb/dynamodb_user_store.hpp"
#include "pcustomer/store/dynamodb/history_items.hpp"
#include "pcustomer/store/dynamodb/lead_counters.hpp"
#include "pcustomer/store/dynamodb/lead_writes.hpp"
#include "pcustomer/store/dynamodb/phone_claims.hpp"
#include "pcustomer/store/dynamodb/search_entries.hpp"
#include "pcustomer/store/lead_history.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer::dynamodb {
namespace {

constexpr const char* kLeadIdAttribute = "leadId";
constexpr const char* kTrashKeyAttribute = "trashKey";
constexpr const char* kDeletedAtAttribute = "deletedAt";
constexpr const char* kDeletedBySubAttribute = "deletedBySub";
constexpr const char* kDeletedByUsernameAttribute = "deletedByUsername";
// Bounds that only stop a runaway loop: a trash or restore starts over only when another
// change of the lead landed first.
constexpr int kMaxAttempts = 16;
constexpr int64_t kSecondsPerDay = 24 * 60 * 60;
constexpr int kTtlGraceDays = 7;

std::string TrashKey(const TrashedCustomer& trashed) {
  return trashed.deleted_at + "#" + trashed.customer.id;
}

AttributeValue TimeToLive(const ContextPtr& context) {
  return AttributeValue::N(context->clock() / 1000 +
                           (context->trash_days + kTtlGraceDays) * kSecondsPerDay);
}

TrashedCustomer ReadTrashed(const Item& item) {
  TrashedCustomer trashed;
  trashed.customer = ReadCustomer(item);
  trashed.customer.id = StringAttribute(item, kLeadIdAttribute).value_or("");
  trashed.deleted_at = StringAttribute(item, kDeletedAtAttribute).value_or("");
  trashed.deleted_by = {StringAttribute(item, kDeletedBySubAttribute).value_or(""),
                        StringAttribute(item, kDeletedByUsernameAttribute).value_or("")};
  return trashed;
}

// The Puts of the listing item and the pointer to it.
std::vector<TransactItem> TrashPuts(const ContextPtr& context, const TrashedCustomer& trashed) {
  TransactItem listing{TransactAction::kPut, context->NewRequest()};
  Item item = CustomerItem(trashed.customer);
  item.insert_or_assign(std::string(kTypeAttribute), AttributeValue::S(kTrashType));
  item.insert_or_assign(std::string(kIdAttribute), AttributeValue::S(TrashKey(trashed)));
  item[kLeadIdAttribute] = AttributeValue::S(trashed.customer.id);
  item[kDeletedAtAttribute] = AttributeValue::S(trashed.deleted_at);
  item[kDeletedBySubAttribute] = AttributeValue::S(trashed.deleted_by.sub);
  item[kDeletedByUsernameAttribute] = AttributeValue::S(trashed.deleted_by.username);
  item[kTimeToLiveAttribute] = TimeToLive(context);
  listing.request.item = std::move(item);
  TransactItem pointer{TransactAction::kPut, context->NewRequest()};
  Item reference = Key(kTrashIdType, trashed.customer.id);
  reference[kTrashKeyAttribute] = AttributeValue::S(TrashKey(trashed));
  reference[kTimeToLiveAttribute] = TimeToLive(context);
  pointer.request.item = std::move(reference);
  return {std::move(listing), std::move(pointer)};
}

// The Deletes of both items; the listing's on condition that it is still at the version read,
// so of racing restores one lands.
std::vector<TransactItem> TrashDeletes(const ContextPtr& context, const TrashedCustomer& trashed) {
  TransactItem listing{TransactAction::kDelete, context->NewRequest()};
  listing.request.key = Key(kTrashType, TrashKey(trashed));
  listing.request.condition =
      listing.request.Name(std::string(kVersionField.attribute)) + " = " +
      listing.request.Value("trashed_version", AttributeValue::N(trashed.customer.version));
  TransactItem pointer{TransactAction::kDelete, context->NewRequest()};
  pointer.request.key = Key(kTrashIdType, trashed.customer.id);
  return {std::move(listing), std::move(pointer)};
}

// The trashed lead with `id`, through its pointer; none when it is not in the trash.
Task<std::optional<TrashedCustomer>> FindTrashed(ContextPtr context, std::string id) {
  Result<std::optional<Item>> pointer = co_await GetItem(context, Key(kTrashIdType, id));
  if (!pointer.ok()) co_return std::move(pointer).error();
  if (!pointer->has_value()) co_return std::optional<TrashedCustomer>();
  const std::string key = StringAttribute(**pointer, kTrashKeyAttribute).value_or("");
  Result<std::optional<Item>> listing = co_await GetItem(context, Key(kTrashType, key));
  if (!listing.ok()) co_return std::move(listing).error();
  if (!listing->has_value()) co_return std::optional<TrashedCustomer>();
  co_return std::optional<TrashedCustomer>(ReadTrashed(**listing));
}

bool MayHaveLanded(const DynamoDbCallError& error) {
  return error.kind == DynamoDbFailure::kConditionFailed ||
         error.kind == DynamoDbFailure::kOutcomeUnknown;
}

}  // namespace

Task<Ok> TrashLead(ContextPtr context, std::string id, ExpectedVersion expected, Actor by) {
  Result<std::optional<Item>> found = co_await GetItem(context, CustomerKey(id));
  if (!found.ok()) co_return std::move(found).error();
  if (!found->has_value()) co_return Error::CustomerNotFound();
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    const Customer lead = ReadCustomer(**found);
    if (expected && lead.version != *expected) co_return Error::VersionMismatch(lead.version);
    const std::string now = FormatIsoMillis(context->clock());
    const TrashedCustomer trashed{AtNextVersion(lead, now), now, by};
    LeadWrite write;
    write.lead = {TransactAction::kDelete, context->NewRequest()};
    write.lead.request.key = CustomerKey(id);
    write.lead.request.condition = UnchangedCondition(write.lead.request, **found);
    write.entries_removed = EntryKeys(lead);
    write.history =
        HistoryPut(*context, HistoryEntryOf(HistoryAction::kTrashed, by, &lead, trashed.customer));
    write.before_lead = TrashPuts(context, trashed);
    write.after_lead = ChangeCounterUpdates(*context, **found, lead, nullptr);
    Result<Ok, DynamoDbCallError> applied = co_await ApplyLeadWrite(context, std::move(write));
    if (!applied.ok()) {
      if (!MayHaveLanded(applied.error())) co_return StoreError(applied.error());
      found = co_await GetItem(context, CustomerKey(id));
      if (!found.ok()) co_return std::move(found).error();
      if (found->has_value()) continue;  // changed meanwhile: trash what it is now
      // Gone: trashed by someone else (404), unless this was our own lost attempt.
      if (applied.error().kind == DynamoDbFailure::kConditionFailed)
        co_return Error::CustomerNotFound();
    }
    // The phone is free now. Best effort: a claim left behind is taken over after the grace.
    if (!lead.phone.empty()) (void)co_await ReleaseClaimOf(context, lead.phone, id);
    co_return Ok{};
  }
  co_return Error::Unavailable("Store unavailable: the customer keeps changing; retry");
}

Task<TrashPage> ListTrashed(ContextPtr context, TrashPageRequest request) {
  Request query = context->NewRequest();
  query.key_condition =
      query.Name(kTypeAttribute) + " = " + query.Value("pk", AttributeValue::S(kTrashType));
  if (request.after) {
    query.key_condition += " AND " + query.Name(kIdAttribute) + " < " +
                           query.Value("after", AttributeValue::S(request.after->deleted_at + "#" +
                                                                  request.after->id));
  }
  query.scan_index_forward = false;
  query.consistent_read = true;
  Result<QueryPage> read = co_await QueryOneAhead(context->client, std::move(query), request.limit);
  if (!read.ok()) co_return std::move(read).error();
  TrashPage page;
  page.more = read->more;
  for (const Item& item : read->items) page.items.push_back(ReadTrashed(item));
  co_return page;
}

Task<Customer> RestoreLead(ContextPtr context, std::string id, ExpectedVersion expected, Actor by) {
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    Result<std::optional<TrashedCustomer>> found = co_await FindTrashed(context, id);
    if (!found.ok()) co_return std::move(found).error();
    if (!found->has_value()) co_return Error::NotInTrash();
    const TrashedCustomer& trashed = **found;
    if (expected && trashed.customer.version != *expected)
      co_return Error::VersionMismatch(trashed.customer.version);
    const Customer restored = AtNextVersion(trashed.customer, FormatIsoMillis(context->clock()));
    // The phone is checked again: another lead may have taken it meanwhile (409 naming it).
    std::optional<Claim> claim;
    if (!restored.phone.empty()) {
      Result<Claim> claimed = co_await AcquireClaim(context, restored.phone, id);
      // A racing restore of the same lead rewrites its claim too: look at the trash again.
      if (!claimed.ok() && claimed.error().code == ErrorCode::kUnavailable) continue;
      if (!claimed.ok()) co_return std::move(claimed).error();
      claim = std::move(*claimed);
    }
    LeadWrite write;
    write.lead = {TransactAction::kPut, context->NewRequest()};
    Request& put = write.lead.request;
    put.item = CustomerItem(restored);
    put.item->merge(SortKeys(restored));
    put.condition = "attribute_not_exists(" + put.Name(kIdAttribute) + ")";
    if (claim) write.claim_check = ClaimStillHeld(context, restored.phone, *claim);
    write.entries_added = EntryItems(EntryKeys(restored), id);
    write.history = HistoryPut(
        *context, HistoryEntryOf(HistoryAction::kRestored, by, &trashed.customer, restored));
    write.after_lead = TrashDeletes(context, trashed);
    for (TransactItem& counter : CounterUpdates(*context, CounterDeltas(nullptr, &restored), id))
      write.after_lead.push_back(std::move(counter));
    const Item written = *put.item;
    Result<Ok, DynamoDbCallError> applied = co_await ApplyLeadWrite(context, std::move(write));
    if (applied.ok()) co_return restored;
    if (!MayHaveLanded(applied.error())) co_return StoreError(applied.error());
    Result<std::optional<Item>> now = co_await GetItem(context, CustomerKey(id));
    if (!now.ok()) co_return std::move(now).error();
    // Only an attempt whose answer was lost may have landed; a racing restore in the same
    // millisecond writes the very same item, so a refused one never counts as ours.
    const bool may_be_ours = applied.error().kind == DynamoDbFailure::kOutcomeUnknown;
    if (may_be_ours && now->has_value() && **now == written) co_return restored;
    // Restored by someone else meanwhile: the claim names this lead, which holds the phone,
    // so it stays. Otherwise ours goes before looking again.
    const bool holds_phone = now->has_value() && ReadCustomer(**now).phone == restored.phone;
    if (claim && !holds_phone) {
      (void)co_await ReleaseClaim(context, restored.phone, std::move(*claim));
    }
  }
  co_return Error::Unavailable("Store unavailable: the customer keeps changing; retry");
}

Task<Ok> EraseTrashedLead(ContextPtr context, std::string id) {
  Result<std::optional<TrashedCustomer>> found = co_await FindTrashed(context, id);
  if (!found.ok()) co_return std::move(found).error();
  if (!found->has_value()) co_return Error::NotInTrash();
  // The pointer first, on condition that it is there: of racing erasures one answers Ok.
  Request pointer = context->NewRequest();
  pointer.key = Key(kTrashIdType, id);
  pointer.condition = "attribute_exists(" + pointer.Name(kIdAttribute) + ")";
  CallResult removed = co_await Call(context->client, "DeleteItem", pointer);
  if (!removed.ok()) {
    if (removed.error().kind == DynamoDbFailure::kConditionFailed) co_return Error::NotInTrash();
    if (removed.error().kind != DynamoDbFailure::kOutcomeUnknown)
      co_return StoreError(removed.error());
  }
  Request listing = context->NewRequest();
  listing.key = Key(kTrashType, TrashKey(**found));
  CallResult listed = co_await Call(context->client, "DeleteItem", listing);
  if (!listed.ok()) co_return StoreError(listed.error());
  co_await EraseHistory(context, id);
  co_return Ok{};
}

Task<int> EraseLeadsTrashedBefore(ContextPtr context, std::string cutoff, int limit) {
  Request query = context->NewRequest();
  query.key_condition =
      query.Name(kTypeAttribute) + " = " + query.Value("pk", AttributeValue::S(kTrashType)) +
      " AND " + query.Name(kIdAttribute) + " < " + query.Value("cutoff", AttributeValue::S(cutoff));
  query.consistent_read = true;
  query.limit = limit;
  CallResult answer = co_await Call(context->client, "Query", query);
  if (!answer.ok()) co_return StoreError(answer.error());
  int erased = 0;
  if (answer->items) {
    for (const Item& item : *answer->items) {
      const std::string lead_id = StringAttribute(item, kLeadIdAttribute).value_or("");
      Result<Ok> done = co_await EraseTrashedLead(context, lead_id);
      if (done.ok()) {
        ++erased;
        continue;
      }
      if (done.error().code != ErrorCode::kNotFound) co_return std::move(done).error();
      // A listing item its pointer no longer names (a step lost where the endpoint has no
      // transactions): only the item goes.
      Request stale = context->NewRequest();
      stale.key = Key(kTrashType, StringAttribute(item, kIdAttribute).value_or(""));
      (void)co_await Call(context->client, "DeleteItem", stale);
    }
  }
  co_return erased;
}

}  // namespace pcustomer::dynamodb
