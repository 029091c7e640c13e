#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"

#include <algorithm>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/store/assignment.hpp"
#include "pcustomer/store/dynamodb/assignment_turn.hpp"
#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"
#include "pcustomer/store/dynamodb/history_items.hpp"
#include "pcustomer/store/dynamodb/lead_counters.hpp"
#include "pcustomer/store/dynamodb/lead_notes.hpp"
#include "pcustomer/store/dynamodb/lead_search.hpp"
#include "pcustomer/store/dynamodb/lead_writes.hpp"
#include "pcustomer/store/dynamodb/phone_claims.hpp"
#include "pcustomer/store/dynamodb/search_entries.hpp"
#include "pcustomer/store/dynamodb/store_context.hpp"
#include "pcustomer/store/dynamodb/trash_items.hpp"
#include "pcustomer/store/lead_batch.hpp"
#include "pcustomer/store/lead_history.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {

using dynamodb::AcquireClaim;
using dynamodb::AgeKey;
using dynamodb::ApplyLeadWrite;
using dynamodb::AttributeValue;
using dynamodb::Call;
using dynamodb::CallResult;
using dynamodb::ChangeCounterUpdates;
using dynamodb::ChangedEntries;
using dynamodb::Claim;
using dynamodb::ClaimStillHeld;
using dynamodb::ContextPtr;
using dynamodb::CounterUpdates;
using dynamodb::CustomerItem;
using dynamodb::CustomerKey;
using dynamodb::EntryChanges;
using dynamodb::EntryItems;
using dynamodb::EntryKeys;
using dynamodb::GetClaim;
using dynamodb::GetItem;
using dynamodb::IntegerAttribute;
using dynamodb::Item;
using dynamodb::kAgeKeyAttribute;
using dynamodb::Key;
using dynamodb::kIdAttribute;
using dynamodb::kPhoneAttribute;
using dynamodb::kTypeAttribute;
using dynamodb::LeadWrite;
using dynamodb::MoveClaim;
using dynamodb::PatchUpdate;
using dynamodb::QueryOneAhead;
using dynamodb::QueryPage;
using dynamodb::ReadCustomer;
using dynamodb::ReleaseClaim;
using dynamodb::Request;
using dynamodb::RestoreStoredPhone;
using dynamodb::SortKeys;
using dynamodb::SortKeysAndStamps;
using dynamodb::Start;
using dynamodb::StoreError;
using dynamodb::StringAttribute;
using dynamodb::Task;
using dynamodb::TransactAction;
using dynamodb::UnchangedCondition;

namespace {

// The item CheckReady writes: ready means a write can land, not only that reads answer.
constexpr const char* kReadinessProbeId = "readiness-probe";
constexpr const char* kCheckedAt = "checkedAt";

// Bounds that only stop a runaway loop: a create that finds its id taken continues past the
// highest id of that millisecond, and an update starts over only when another change of the
// lead landed first; of N racing updates one lands per round, so N rounds finish them all.
constexpr int kMaxIdAttempts = 16;
// A create loses the turn to each concurrent create that lands first: with 64 at once the
// last waits 63 turns.
constexpr int kMaxTurnsLost = 256;

// How far past another process's ids a colliding create jumps at most (see PastTakenIds):
// small against the 1000 ids of a millisecond, large against a burst of one process.
constexpr int64_t kMaxIdSkip = 63;
constexpr int kMaxUpdateAttempts = 16;

// The highest id in use within the millisecond of `taken`, so that the next attempt skips
// every id another process issued in it instead of probing one at a time.
Task<std::string> HighestIdInMilli(ContextPtr context, std::string taken) {
  const std::optional<int64_t> value = CustomerIdValue(taken);
  if (!value) co_return taken;
  Request request = context->NewRequest();
  request.key_condition =
      request.Name(kTypeAttribute) + " = " + request.Value("pk", AttributeValue::S(kCustomerType)) +
      " AND " + request.Name(kIdAttribute) + " BETWEEN " +
      request.Value("from", AttributeValue::S(taken)) + " AND " +
      request.Value("to", AttributeValue::S(
                              FormatCustomerId((*value / kIdsPerMilli + 1) * kIdsPerMilli - 1)));
  request.scan_index_forward = false;
  request.limit = 1;
  request.consistent_read = true;
  CallResult answer = co_await Call(context->client, "Query", request);
  if (!answer.ok()) co_return StoreError(answer.error());
  if (answer->items && !answer->items->empty()) {
    if (auto id = StringAttribute(answer->items->front(), kIdAttribute)) co_return std::move(*id);
  }
  co_return taken;
}

// Where to continue after `highest`, the highest id another process holds in a millisecond.
// That process is issuing ids there right now, one after another: continuing right after
// its highest races its next ones again and again while both are busy, so skip a random
// stretch of the millisecond's ids (ids only need to be unique and increasing, not dense).
std::string PastTakenIds(const std::string& highest) {
  const std::optional<int64_t> value = CustomerIdValue(highest);
  if (!value) return highest;
  thread_local std::minstd_rand random(std::random_device{}());
  std::uniform_int_distribution<int64_t> skip(0, kMaxIdSkip);
  return FormatCustomerId(*value + skip(random));
}

// The write of a new lead: its item with the sort keys, on condition that the id is free,
// with its index entries and the check that `claim` still holds its phone.
LeadWrite NewLeadWrite(const ContextPtr& context, const Customer& row, const Claim& claim,
                       const Actor& by) {
  LeadWrite write;
  write.lead = {TransactAction::kPut, context->NewRequest()};
  Request& put = write.lead.request;
  put.item = CustomerItem(row);
  put.item->merge(SortKeys(row));
  put.condition = "attribute_not_exists(" + put.Name(kIdAttribute) + ")";
  write.claim_check = ClaimStillHeld(context, row.phone, claim);
  write.entries_added = EntryItems(EntryKeys(row), row.id);
  write.history =
      dynamodb::HistoryPut(*context, HistoryEntryOf(HistoryAction::kCreated, by, nullptr, row));
  write.after_lead = CounterUpdates(*context, CounterDeltas(nullptr, &row), row.id);
  return write;
}

// Claims the phone for the id issued, then writes the customer under it with its index
// entries; on an id taken by another process, moves the claim past that process's ids and
// tries again.
Task<Customer> CreateCustomer(ContextPtr context, NewCustomer customer, Actor by) {
  IssuedId issued = context->ids.Next();
  Result<Claim> claim = co_await AcquireClaim(context, customer.phone, issued.id);
  if (!claim.ok()) co_return std::move(claim).error();
  int turns_lost = 0;
  for (int attempt = 0;; ++attempt) {
    Customer row = StoredCustomer(customer, issued.id, FormatIsoMillis(issued.unix_millis));
    std::optional<dynamodb::Turn> turn;
    if (customer.TakesTurn()) {
      Result<dynamodb::Turn> read = co_await dynamodb::ReadTurn(context);
      if (!read.ok()) co_return std::move(read).error();
      turn = *read;
      row.owner_id = OwnerOfTurn(turn->next, customer.assign_in_turn);
    }
    LeadWrite write = NewLeadWrite(context, row, *claim, by);
    if (turn) write.before_lead.push_back(dynamodb::MoveTurn(*context, *turn));
    const Item written = *write.lead.request.item;
    Result<Ok, DynamoDbCallError> put = co_await ApplyLeadWrite(context, std::move(write));
    if (put.ok()) co_return row;
    switch (put.error().kind) {
      case DynamoDbFailure::kConditionFailed:  // the id is taken, by another process or by
      case DynamoDbFailure::kOutcomeUnknown:   // this write's own lost attempt: read it
        break;
      default:
        // kUnavailable may hide an applied write: the claim stays (see the class comment).
        co_return StoreError(put.error());
    }
    Result<std::optional<Item>> stored = co_await GetItem(context, CustomerKey(row.id));
    if (!stored.ok()) co_return std::move(stored).error();
    // Exactly what we wrote: a retry of our own write found it applied.
    if (stored->has_value() && **stored == written) co_return row;
    if (turn) {
      // Another create took the turn: take the next one, under the same id when it is free.
      Result<dynamodb::Turn> now = co_await dynamodb::ReadTurn(context);
      if (!now.ok()) co_return std::move(now).error();
      if (now->next != turn->next && !stored->has_value() && ++turns_lost < kMaxTurnsLost) {
        --attempt;  // the id was not the problem
        continue;
      }
    }
    if (attempt + 1 >= kMaxIdAttempts) {
      (void)co_await ReleaseClaim(context, row.phone, std::move(*claim));
      co_return Error::Unavailable("Store unavailable: no free customer id; retry");
    }
    Result<std::string> highest = co_await HighestIdInMilli(context, row.id);
    if (!highest.ok()) co_return std::move(highest).error();
    issued = context->ids.NextAfter(PastTakenIds(*highest));
    // Also where a claim taken over meanwhile (its check failed) is claimed again, or found
    // held by another customer (409).
    claim = co_await MoveClaim(context, customer.phone, issued.id, std::move(*claim));
    if (!claim.ok()) co_return std::move(claim).error();
  }
}

// A create that takes a turn: one at a time in this process (store_context.hpp).
Task<Customer> CreateInTurn(ContextPtr context, NewCustomer customer, Actor by) {
  co_await context->assigning.Enter();
  const dynamodb::TurnstilePass pass(context->assigning);
  co_return co_await CreateCustomer(context, std::move(customer), std::move(by));
}

// A claim to delete once an update has moved its customer off the claim's phone.
struct PendingRelease {
  std::string phone;
  Claim claim;
};

// Deletes each claim still at the version in `releases`, last first (best effort: a claim
// left behind is taken over after the grace).
boost::asio::awaitable<void> ReleaseAll(ContextPtr context, std::vector<PendingRelease> releases) {
  for (auto release = releases.rbegin(); release != releases.rend(); ++release) {
    (void)co_await ReleaseClaim(context, std::move(release->phone), std::move(release->claim));
  }
}

// The update of the lead `read` (as it was read) to `after`: SET of the patch and the sort
// keys on condition that the lead is still as read, the entry changes, and the new phone's
// claim check.
LeadWrite PatchWrite(const ContextPtr& context, const Item& read, const Customer& after,
                     const CustomerPatch& patch, const std::optional<Claim>& new_claim,
                     const Actor& by) {
  LeadWrite write;
  write.lead = {TransactAction::kUpdate, context->NewRequest()};
  Request& update = write.lead.request;
  update.key = CustomerKey(after.id);
  update.update = PatchUpdate(update, patch, SortKeysAndStamps(after));
  update.condition = UnchangedCondition(update, read);
  if (new_claim) write.claim_check = ClaimStillHeld(context, after.phone, *new_claim);
  const Customer before = ReadCustomer(read);
  EntryChanges changes = ChangedEntries(before, after);
  write.entries_added = EntryItems(std::move(changes.added), after.id);
  write.entries_removed = std::move(changes.removed);
  write.history =
      dynamodb::HistoryPut(*context, HistoryEntryOf(HistoryAction::kUpdated, by, &before, after));
  write.after_lead = ChangeCounterUpdates(*context, read, before, &after);
  return write;
}

// An update: read the lead, claim a new phone, write the lead (at the next version) on
// condition that it is still as read (so the entries replaced are the read lead's, and the
// answer built from it is what is stored), then release the old phone's claim as it was
// before the update. When the lead changed meanwhile (a racing update, or our own retried
// write that was applied), starts over from the lead as read then, still owing the releases
// of the attempts before; with `expected`, a lead found at another version is a 412 instead.
Task<Customer> UpdateLead(ContextPtr context, std::string id, CustomerPatch patch,
                          ExpectedVersion expected, Actor by) {
  std::vector<PendingRelease> releases;
  Result<std::optional<Item>> current = co_await GetItem(context, CustomerKey(id));
  if (!current.ok()) co_return std::move(current).error();
  if (!current->has_value()) co_return Error::CustomerNotFound();
  for (int attempt = 0; attempt < kMaxUpdateAttempts; ++attempt) {
    const Item& item = **current;
    const Customer before = ReadCustomer(item);
    if (expected && before.version != *expected) {
      co_await ReleaseAll(context, std::move(releases));
      co_return Error::VersionMismatch(before.version);
    }
    const Customer after = UpdatedCustomer(before, patch, FormatIsoMillis(context->clock()));
    std::optional<Claim> new_claim;
    if (patch.phone) {
      if (!before.phone.empty() && before.phone != *patch.phone) {
        // The old claim's version before the update, so that releasing it after the update
        // cannot delete a claim that a later update of this customer wrote again.
        Result<std::optional<Claim>> old_claim = co_await GetClaim(context, before.phone);
        if (!old_claim.ok()) co_return std::move(old_claim).error();
        if (old_claim->has_value() && (*old_claim)->customer_id == id) {
          releases.push_back({before.phone, std::move(**old_claim)});
        }
      }
      Result<Claim> claim = co_await AcquireClaim(context, *patch.phone, id);
      if (!claim.ok()) co_return std::move(claim).error();
      new_claim = std::move(*claim);
    }
    Result<Ok, DynamoDbCallError> applied =
        co_await ApplyLeadWrite(context, PatchWrite(context, item, after, patch, new_claim, by));
    if (applied.ok()) {
      co_await ReleaseAll(context, std::move(releases));
      co_return after;
    }
    switch (applied.error().kind) {
      case DynamoDbFailure::kConditionFailed:  // changed or gone, or our own lost attempt
      case DynamoDbFailure::kOutcomeUnknown:   // landed: read it again to tell which
        break;
      default:
        co_return StoreError(applied.error());
    }
    current = co_await GetItem(context, CustomerKey(id));
    if (!current.ok()) co_return std::move(current).error();
    if (!current->has_value()) {
      if (new_claim) releases.push_back({after.phone, std::move(*new_claim)});
      co_await ReleaseAll(context, std::move(releases));
      co_return Error::CustomerNotFound();
    }
    const Customer now = ReadCustomer(**current);
    if (now == after) {  // our own attempt, whose answer was lost
      co_await ReleaseAll(context, std::move(releases));
      co_return after;
    }
    // The phone claimed for this attempt, unless the lead holds it now (a racing update to
    // the same phone, whose claim it is too).
    if (new_claim && now.phone != after.phone) {
      releases.push_back({after.phone, std::move(*new_claim)});
    }
  }
  co_await ReleaseAll(context, std::move(releases));
  co_return Error::Unavailable("Store unavailable: the customer keeps changing; retry");
}

// A page of the customers' partition after `start`.
Task<CustomerPage> ListCustomers(ContextPtr context, int limit, std::optional<Item> start) {
  Request request = dynamodb::CustomersQuery(*context);
  request.exclusive_start_key = std::move(start);
  Result<QueryPage> read = co_await QueryOneAhead(context->client, std::move(request), limit);
  if (!read.ok()) co_return std::move(read).error();
  CustomerPage page;
  for (const Item& item : read->items) page.items.push_back(ReadCustomer(item));
  if (read->more) page.last_id = page.items.back().id;
  co_return page;
}

// The customer the claim of `phone` names, when that customer holds the phone.
Task<std::optional<Customer>> FindCustomerByPhone(ContextPtr context, std::string phone) {
  Result<std::optional<Claim>> claim = co_await GetClaim(context, phone);
  if (!claim.ok()) co_return std::move(claim).error();
  if (!claim->has_value() || !IsCustomerId((*claim)->customer_id))
    co_return std::optional<Customer>();
  Result<std::optional<Item>> item = co_await GetItem(context, CustomerKey((*claim)->customer_id));
  if (!item.ok()) co_return std::move(item).error();
  if (!item->has_value()) co_return std::optional<Customer>();
  Customer customer = ReadCustomer(**item);
  // A claim whose customer moved on is not an answer.
  if (customer.phone != phone) co_return std::optional<Customer>();
  co_return std::optional<Customer>(std::move(customer));
}

Task<Customer> GetCustomer(ContextPtr context, std::string id) {
  Result<std::optional<Item>> item = co_await GetItem(context, CustomerKey(id));
  if (!item.ok()) co_return std::move(item).error();
  if (!item->has_value()) co_return Error::CustomerNotFound();
  co_return ReadCustomer(**item);
}

Task<Ok> WriteReadinessProbe(ContextPtr context) {
  Request request = context->NewRequest();
  Item probe = Key(kSecretType, kReadinessProbeId);
  probe[kCheckedAt] = AttributeValue::N(NowUnixMillis());
  request.item = std::move(probe);
  CallResult answer = co_await Call(context->client, "PutItem", request);
  if (!answer.ok()) co_return StoreError(answer.error());
  co_return Ok{};
}

// Claims the phone of each customer the reference wrote.
Task<PhoneClaimBackfill> Backfill(ContextPtr context) {
  Result<dynamodb::QueryResult> customers =
      co_await dynamodb::QueryAll(context->client, dynamodb::CustomersQuery(*context));
  if (!customers.ok()) co_return std::move(customers).error();
  PhoneClaimBackfill report;
  for (const Item& item : customers->items) {
    const Customer customer = ReadCustomer(item);
    ++report.customers;
    if (customer.phone.empty()) continue;
    Result<Claim> claim = co_await AcquireClaim(context, customer.phone, customer.id);
    if (claim.ok()) {
      ++report.claimed;
      continue;
    }
    if (claim.error().code != ErrorCode::kConflict) co_return std::move(claim).error();
    const std::string holder =
        claim.error().reasons.empty() ? "?" : claim.error().reasons.front().desc;
    report.problems.push_back("Phone " + customer.phone + " of " + customer.id +
                              " is already claimed by " + holder);
  }
  co_return report;
}

}  // namespace

namespace dynamodb {

Request PrefixQuery(const DynamoDbCustomerStore::Context& context, std::string_view type,
                    std::string_view prefix) {
  Request request = context.NewRequest();
  request.key_condition = request.Name(kTypeAttribute) + " = " +
                          request.Value("pk", AttributeValue::S(std::string(type))) +
                          " AND begins_with(" + request.Name(kIdAttribute) + ", " +
                          request.Value("prefix", AttributeValue::S(std::string(prefix))) + ")";
  request.consistent_read = true;
  return request;
}

}  // namespace dynamodb

Result<PhoneClaimBackfill> BackfillPhoneClaims(DynamoDbClient& client, std::string table,
                                               DynamoDbStoreOptions options) {
  return dynamodb::Wait(Backfill(std::make_shared<DynamoDbCustomerStore::Context>(
      client, std::move(table), std::move(options))));
}

DynamoDbCustomerStore::DynamoDbCustomerStore(DynamoDbClient& client, std::string table,
                                             DynamoDbStoreOptions options)
    : context_(std::make_shared<Context>(client, std::move(table), std::move(options))) {}

DynamoDbCustomerStore::~DynamoDbCustomerStore() = default;

void DynamoDbCustomerStore::Create(NewCustomer customer, Actor by, Done<Customer> done) {
  if (customer.TakesTurn()) {
    return Start(CreateInTurn(context_, std::move(customer), std::move(by)), std::move(done));
  }
  Start(CreateCustomer(context_, std::move(customer), std::move(by)), std::move(done));
}

void DynamoDbCustomerStore::CreateBatch(std::vector<NewCustomer> items, BatchMode mode, Actor by,
                                        Done<std::vector<BatchItemResult>> done) {
  WriteBatchOneByOne(*this, std::move(items), mode, std::move(by), std::move(done));
}

void DynamoDbCustomerStore::Get(std::string id, Done<Customer> done) {
  if (!IsCustomerId(id)) return done(Error::CustomerNotFound());
  Start(GetCustomer(context_, std::move(id)), std::move(done));
}

void DynamoDbCustomerStore::Update(std::string id, CustomerPatch patch, ExpectedVersion expected,
                                   Actor by, Done<Customer> done) {
  if (!IsCustomerId(id)) return done(Error::CustomerNotFound());
  if (patch.empty()) return done(Error::BadRequest("Nothing to update"));
  Start(UpdateLead(context_, std::move(id), std::move(patch), expected, std::move(by)),
        std::move(done));
}

void DynamoDbCustomerStore::Trash(std::string id, ExpectedVersion expected, Actor by,
                                  Done<Ok> done) {
  if (!IsCustomerId(id)) return done(Error::CustomerNotFound());
  // The delete's condition makes concurrent trashes of one lead answer Ok exactly once; the
  // others find it gone (404).
  Start(dynamodb::TrashLead(context_, std::move(id), expected, std::move(by)), std::move(done));
}

void DynamoDbCustomerStore::ListTrash(TrashPageRequest request, Done<TrashPage> done) {
  if (request.limit < 1) return done(Error::BadRequest("limit must be at least 1"));
  Start(dynamodb::ListTrashed(context_, std::move(request)), std::move(done));
}

void DynamoDbCustomerStore::Restore(std::string id, ExpectedVersion expected, Actor by,
                                    Done<Customer> done) {
  if (!IsCustomerId(id)) return done(Error::NotInTrash());
  Start(dynamodb::RestoreLead(context_, std::move(id), expected, std::move(by)), std::move(done));
}

void DynamoDbCustomerStore::Erase(std::string id, Done<Ok> done) {
  if (!IsCustomerId(id)) return done(Error::NotInTrash());
  Start(dynamodb::EraseTrashedLead(context_, std::move(id)), std::move(done));
}

void DynamoDbCustomerStore::EraseTrashedBefore(std::string cutoff, int limit, Done<int> done) {
  Start(dynamodb::EraseLeadsTrashedBefore(context_, std::move(cutoff), limit), std::move(done));
}

void DynamoDbCustomerStore::List(PageRequest request, Done<CustomerPage> done) {
  if (request.limit < 1) return done(Error::BadRequest("limit must be at least 1"));
  std::optional<Item> start;
  if (request.after_id && !request.after_id->empty()) {
    const std::string_view prefix = kCustomerIdPrefix;
    // A start key outside the Query's range is refused by DynamoDB; such a key is before
    // every customer id or after all of them.
    if (!request.after_id->starts_with(prefix)) {
      if (*request.after_id > prefix) return done(CustomerPage{});
    } else {
      start = CustomerKey(*request.after_id);
    }
  }
  Start(ListCustomers(context_, request.limit, std::move(start)), std::move(done));
}

void DynamoDbCustomerStore::Search(SearchRequest request, Done<SearchPage> done) {
  if (request.limit < 1) return done(Error::BadRequest("limit must be at least 1"));
  Start(dynamodb::SearchLeads(context_, std::move(request)), std::move(done));
}

void DynamoDbCustomerStore::History(HistoryRequest request, Done<HistoryPage> done) {
  if (!IsCustomerId(request.lead_id)) return done(Error::CustomerNotFound());
  if (request.limit < 1) return done(Error::BadRequest("limit must be at least 1"));
  Start(dynamodb::QueryHistory(context_, std::move(request)), std::move(done));
}

void DynamoDbCustomerStore::AddNote(std::string id, std::string text, Actor by,
                                    Done<HistoryEntry> done) {
  if (!IsCustomerId(id)) return done(Error::CustomerNotFound());
  Start(dynamodb::NoteLead(context_, std::move(id), std::move(text), std::move(by)),
        std::move(done));
}

void DynamoDbCustomerStore::Counts(std::string first_day, Done<LeadCounts> done) {
  Start(dynamodb::ReadLeadCounts(context_, std::move(first_day)), std::move(done));
}

void DynamoDbCustomerStore::FindByPhone(std::string phone, Done<std::optional<Customer>> done) {
  if (phone.empty()) return done(std::optional<Customer>());
  Start(FindCustomerByPhone(context_, std::move(phone)), std::move(done));
}

void DynamoDbCustomerStore::CheckReady(Done<Ok> done) {
  Start(WriteReadinessProbe(context_), std::move(done));
}

}  // namespace pcustomer
