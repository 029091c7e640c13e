#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"

#include <algorithm>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/store/customer_search.hpp"
#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"
#include "pcustomer/store/dynamodb/phone_claims.hpp"
#include "pcustomer/store/dynamodb/store_context.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {

using dynamodb::AcquireClaim;
using dynamodb::AttributeValue;
using dynamodb::Call;
using dynamodb::CallResult;
using dynamodb::Claim;
using dynamodb::ContextPtr;
using dynamodb::CustomerItem;
using dynamodb::CustomerKey;
using dynamodb::GetClaim;
using dynamodb::GetItem;
using dynamodb::IntegerAttribute;
using dynamodb::Item;
using dynamodb::Key;
using dynamodb::kIdAttribute;
using dynamodb::kPhoneAttribute;
using dynamodb::kTypeAttribute;
using dynamodb::MoveClaim;
using dynamodb::PatchUpdate;
using dynamodb::ReadCustomer;
using dynamodb::ReleaseClaim;
using dynamodb::ReleaseClaimOf;
using dynamodb::Request;
using dynamodb::RestoreStoredPhone;
using dynamodb::Start;
using dynamodb::StoreError;
using dynamodb::StringAttribute;
using dynamodb::Task;

namespace {

// The item CheckReady writes: ready means a write can land, not only that reads answer.
constexpr const char* kReadinessProbeId = "readiness-probe";
constexpr const char* kCheckedAt = "checkedAt";

// Bounds that only stop a runaway loop: a create that finds its id taken continues past the
// highest id of that millisecond, and a customer's phone changes under an update only when
// another update races it.
constexpr int kMaxIdAttempts = 16;
// How far past another process's ids a colliding create jumps at most (see PastTakenIds):
// small against the 1000 ids of a millisecond, large against a burst of one process.
constexpr int64_t kMaxIdSkip = 63;
constexpr int kMaxUpdateAttempts = 4;
// A Query without a filter answers at least one item per call unless the partition ends, so
// a page of at most 101 items never needs more calls than this.
constexpr int kMaxQueryRounds = 256;

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

// Claims the phone for the id issued, then writes the customer under it; on an id taken by
// another process, moves the claim past that process's ids and tries again.
Task<Customer> CreateCustomer(ContextPtr context, NewCustomer customer) {
  IssuedId issued = context->ids.Next();
  Result<Claim> claim = co_await AcquireClaim(context, customer.phone, issued.id);
  if (!claim.ok()) co_return std::move(claim).error();
  for (int attempt = 0;; ++attempt) {
    Customer row{issued.id,    customer.full_name,    customer.phone,
                 customer.age, customer.product_code, FormatIsoMillis(issued.unix_millis)};
    Request request = context->NewRequest();
    request.item = CustomerItem(row);
    request.condition = "attribute_not_exists(" + request.Name(kIdAttribute) + ")";
    CallResult put = co_await Call(context->client, "PutItem", request);
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
    if (stored->has_value() && **stored == *request.item) co_return row;
    if (attempt + 1 >= kMaxIdAttempts) {
      (void)co_await ReleaseClaim(context, row.phone, std::move(*claim));
      co_return Error::Unavailable("Store unavailable: no free customer id; retry");
    }
    Result<std::string> highest = co_await HighestIdInMilli(context, row.id);
    if (!highest.ok()) co_return std::move(highest).error();
    issued = context->ids.NextAfter(PastTakenIds(*highest));
    claim = co_await MoveClaim(context, customer.phone, issued.id, std::move(*claim));
    if (!claim.ok()) co_return std::move(claim).error();
  }
}

// UpdateItem on an existing customer; when `stored_phone` is given, only while the customer
// still holds it (none = the item has no phone). None when the condition failed: the customer
// is gone, or its phone changed (by another update, or by a lost attempt of this one, since
// the condition names the phone before the change). Both kinds of failed condition answer
// none: the caller that must tell them apart reads the customer again.
Task<std::optional<Customer>> ApplyPatch(
    ContextPtr context, std::string id, CustomerPatch patch,
    std::optional<std::optional<AttributeValue>> stored_phone) {
  Request request = context->NewRequest();
  request.key = CustomerKey(id);
  request.update = PatchUpdate(request, patch);
  request.condition = "attribute_exists(" + request.Name(kIdAttribute) + ")";
  if (stored_phone) {
    request.condition += " AND ";
    request.condition +=
        stored_phone->has_value()
            ? request.Name(kPhoneAttribute) + " = " + request.Value("storedPhone", **stored_phone)
            : "attribute_not_exists(" + request.Name(kPhoneAttribute) + ")";
  }
  request.return_values = "ALL_NEW";
  CallResult answer = co_await Call(context->client, "UpdateItem", request);
  if (!answer.ok()) {
    switch (answer.error().kind) {
      case DynamoDbFailure::kConditionFailed:
      case DynamoDbFailure::kOutcomeUnknown:
        co_return std::optional<Customer>();
      default:
        co_return StoreError(answer.error());
    }
  }
  if (!answer->attributes) {
    co_return Error::Unavailable("Store unavailable: DynamoDB answered no attributes");
  }
  co_return std::optional<Customer>(ReadCustomer(*answer->attributes));
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

// An update that sets the phone: read the customer, claim the new phone, update on condition
// of the phone read, then release the old phone's claim as it was before the update. When the
// phone changed meanwhile (a racing update, or our own retried write that was applied),
// starts over, still owing the releases of the attempts before.
Task<Customer> UpdateWithPhone(ContextPtr context, std::string id, CustomerPatch patch) {
  std::vector<PendingRelease> releases;
  for (int attempt = 0; attempt < kMaxUpdateAttempts; ++attempt) {
    Result<std::optional<Item>> current = co_await GetItem(context, CustomerKey(id));
    if (!current.ok()) co_return std::move(current).error();
    if (!current->has_value()) co_return Error::CustomerNotFound();
    const Item& item = **current;
    const std::string old_phone = ReadCustomer(item).phone;
    if (!old_phone.empty() && old_phone != *patch.phone) {
      // The old claim's version before the update, so that releasing it after the update
      // cannot delete a claim that a later update of this customer wrote again.
      Result<std::optional<Claim>> old_claim = co_await GetClaim(context, old_phone);
      if (!old_claim.ok()) co_return std::move(old_claim).error();
      if (old_claim->has_value() && (*old_claim)->customer_id == id) {
        releases.push_back({old_phone, std::move(**old_claim)});
      }
    }
    Result<Claim> new_claim = co_await AcquireClaim(context, *patch.phone, id);
    if (!new_claim.ok()) co_return std::move(new_claim).error();
    std::optional<AttributeValue> stored_phone;
    if (auto found = item.find(kPhoneAttribute); found != item.end()) stored_phone = found->second;
    Result<std::optional<Customer>> updated = co_await ApplyPatch(
        context, id, patch,
        std::optional<std::optional<AttributeValue>>(std::in_place, std::move(stored_phone)));
    if (!updated.ok()) co_return std::move(updated).error();
    if (updated->has_value()) {
      co_await ReleaseAll(context, std::move(releases));
      co_return std::move(**updated);
    }
    // Gone, or its phone changed under us: read it again to tell which.
    Result<std::optional<Item>> again = co_await GetItem(context, CustomerKey(id));
    if (!again.ok()) co_return std::move(again).error();
    if (!again->has_value()) {
      releases.push_back({*patch.phone, std::move(*new_claim)});
      co_await ReleaseAll(context, std::move(releases));
      co_return Error::CustomerNotFound();
    }
  }
  co_return Error::Unavailable("Store unavailable: the customer keeps changing; retry");
}

// A patch without a phone: one conditional UpdateItem. Its condition only asks that the
// customer exists, which a lost attempt of the update cannot change: a failed one means gone.
Task<Customer> UpdateWithoutPhone(ContextPtr context, std::string id, CustomerPatch patch) {
  Result<std::optional<Customer>> updated =
      co_await ApplyPatch(context, std::move(id), std::move(patch), std::nullopt);
  if (!updated.ok()) co_return std::move(updated).error();
  if (!updated->has_value()) co_return Error::CustomerNotFound();
  co_return std::move(**updated);
}

// Reads the customer for its phone, deletes it, then releases the phone's claim.
Task<Ok> DeleteCustomer(ContextPtr context, std::string id) {
  Result<std::optional<Item>> found = co_await GetItem(context, CustomerKey(id));
  if (!found.ok()) co_return std::move(found).error();
  if (!found->has_value()) co_return Error::CustomerNotFound();
  std::string phone = ReadCustomer(**found).phone;
  Request request = context->NewRequest();
  request.key = CustomerKey(id);
  request.condition = "attribute_exists(" + request.Name(kIdAttribute) + ")";
  request.return_values = "ALL_OLD";
  CallResult deleted = co_await Call(context->client, "DeleteItem", request);
  if (!deleted.ok()) {
    switch (deleted.error().kind) {
      case DynamoDbFailure::kConditionFailed:  // deleted meanwhile by someone else
        co_return Error::CustomerNotFound();
      case DynamoDbFailure::kOutcomeUnknown:
        // Our own earlier attempt's effect, whose answer was lost: that delete did happen.
        break;
      default:
        co_return StoreError(deleted.error());
    }
  } else if (deleted->attributes) {
    phone = ReadCustomer(*deleted->attributes).phone;
  }
  // Best effort: a claim left behind here is taken over after the grace period.
  if (!phone.empty()) (void)co_await ReleaseClaimOf(context, std::move(phone), std::move(id));
  co_return Ok{};
}

// A consistent Query of every customer item (the partition's CUSTOMER# ids), ascending.
Request CustomersQuery(const DynamoDbCustomerStore::Context& context) {
  Request request = context.NewRequest();
  request.key_condition = request.Name(kTypeAttribute) + " = " +
                          request.Value("pk", AttributeValue::S(kCustomerType)) +
                          " AND begins_with(" + request.Name(kIdAttribute) + ", " +
                          request.Value("prefix", AttributeValue::S(kCustomerIdPrefix)) + ")";
  request.consistent_read = true;
  return request;
}

// Queries the customers' partition from `start` until the page plus one item is read or the
// partition ends.
Task<CustomerPage> ListCustomers(ContextPtr context, int limit, std::optional<Item> start) {
  const size_t wanted = static_cast<size_t>(limit) + 1;  // one ahead: does another follow?
  CustomerPage page;
  for (int round = 0; round < kMaxQueryRounds; ++round) {
    Request request = CustomersQuery(*context);
    request.limit = static_cast<int>(wanted - page.items.size());
    request.exclusive_start_key = std::move(start);
    CallResult answer = co_await Call(context->client, "Query", request);
    if (!answer.ok()) co_return StoreError(answer.error());
    if (answer->items) {
      for (const Item& item : *answer->items) {
        if (page.items.size() < wanted) page.items.push_back(ReadCustomer(item));
      }
    }
    start = std::move(answer->last_evaluated_key);
    if (page.items.size() >= wanted || !start) {
      if (page.items.size() > static_cast<size_t>(limit)) {
        page.items.resize(static_cast<size_t>(limit));
        page.last_id = page.items.back().id;
      }
      co_return page;
    }
  }
  co_return Error::Unavailable("Store unavailable: the listing does not advance");
}

// Every lead of the customers' partition, searched in memory (store/customer_search.hpp):
// right for every query; reading only the index entries of the matches comes with the
// search index items.
Task<SearchPage> SearchCustomers(ContextPtr context, SearchRequest request) {
  Result<dynamodb::QueryResult> customers =
      co_await dynamodb::QueryAll(context->client, CustomersQuery(*context));
  if (!customers.ok()) co_return std::move(customers).error();
  std::vector<Customer> leads;
  leads.reserve(customers->items.size());
  for (const Item& item : customers->items) leads.push_back(ReadCustomer(item));
  co_return SearchInMemory(std::move(leads), request);
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
      co_await dynamodb::QueryAll(context->client, CustomersQuery(*context));
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

Result<PhoneClaimBackfill> BackfillPhoneClaims(DynamoDbClient& client, std::string table,
                                               DynamoDbStoreOptions options) {
  return dynamodb::Wait(Backfill(std::make_shared<DynamoDbCustomerStore::Context>(
      client, std::move(table), std::move(options))));
}

DynamoDbCustomerStore::DynamoDbCustomerStore(DynamoDbClient& client, std::string table,
                                             DynamoDbStoreOptions options)
    : context_(std::make_shared<Context>(client, std::move(table), std::move(options))) {}

DynamoDbCustomerStore::~DynamoDbCustomerStore() = default;

void DynamoDbCustomerStore::Create(NewCustomer customer, Done<Customer> done) {
  Start(CreateCustomer(context_, std::move(customer)), std::move(done));
}

void DynamoDbCustomerStore::Get(std::string id, Done<Customer> done) {
  if (!IsCustomerId(id)) return done(Error::CustomerNotFound());
  Start(GetCustomer(context_, std::move(id)), std::move(done));
}

void DynamoDbCustomerStore::Update(std::string id, CustomerPatch patch, Done<Customer> done) {
  if (!IsCustomerId(id)) return done(Error::CustomerNotFound());
  if (patch.empty()) return done(Error::BadRequest("Nothing to update"));
  if (patch.phone)
    return Start(UpdateWithPhone(context_, std::move(id), std::move(patch)), std::move(done));
  Start(UpdateWithoutPhone(context_, std::move(id), std::move(patch)), std::move(done));
}

void DynamoDbCustomerStore::Delete(std::string id, Done<Ok> done) {
  if (!IsCustomerId(id)) return done(Error::CustomerNotFound());
  // The delete's condition makes concurrent deletes of one customer answer Ok exactly once;
  // the others find it gone (404).
  Start(DeleteCustomer(context_, std::move(id)), std::move(done));
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
  Start(SearchCustomers(context_, std::move(request)), std::move(done));
}

void DynamoDbCustomerStore::FindByPhone(std::string phone, Done<std::optional<Customer>> done) {
  if (phone.empty()) return done(std::optional<Customer>());
  Start(FindCustomerByPhone(context_, std::move(phone)), std::move(done));
}

void DynamoDbCustomerStore::CheckReady(Done<Ok> done) {
  Start(WriteReadinessProbe(context_), std::move(done));
}

}  // namespace pcustomer
