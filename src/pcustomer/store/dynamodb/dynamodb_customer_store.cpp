#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"

#include <algorithm>
#include <functional>
#include <future>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"
#include "pcustomer/store/dynamodb/phone_claims.hpp"
#include "pcustomer/store/dynamodb/store_context.hpp"
#include "pcustomer/util/clock.hpp"
#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {

using dynamodb::AcquireClaim;
using dynamodb::AttributeValue;
using dynamodb::Call;
using dynamodb::Claim;
using dynamodb::ContextPtr;
using dynamodb::CustomerItem;
using dynamodb::CustomerKey;
using dynamodb::GetClaim;
using dynamodb::GetItem;
using dynamodb::IntegerAttribute;
using dynamodb::IsConditionFailed;
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
using dynamodb::Response;
using dynamodb::RestoreStoredPhone;
using dynamodb::StringAttribute;

namespace {

constexpr size_t kSecretBytes = 32;
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

constexpr const char* kSecretValue = "value";

void Ignore(const Status& /*released*/) {}

// The highest id in use within the millisecond of `taken`, so that the next attempt skips
// every id another process issued in it instead of probing one at a time.
void HighestIdInMilli(const ContextPtr& context, std::string taken, Done<std::string> done) {
  const std::optional<int64_t> value = CustomerIdValue(taken);
  if (!value) return done(std::move(taken));
  Request request = context->NewRequest();
  request.key_condition =
      request.Name(kTypeAttribute) + " = " + request.Value("pk", AttributeValue::S(kCustomerType)) +
      " AND " + request.Name(kIdAttribute) + " BETWEEN " + request.Value("from", AttributeValue::S(taken)) +
      " AND " +
      request.Value("to", AttributeValue::S(
                              FormatCustomerId((*value / kIdsPerMilli + 1) * kIdsPerMilli - 1)));
  request.scan_index_forward = false;
  request.limit = 1;
  request.consistent_read = true;
  Call(context->client, "Query", request,
       [taken = std::move(taken), done = std::move(done)](Result<Response> answer) mutable {
         if (!answer.ok()) return done(std::move(answer).error());
         if (answer->items && !answer->items->empty()) {
           if (auto id = StringAttribute(answer->items->front(), kIdAttribute)) return done(std::move(*id));
         }
         done(std::move(taken));
       });
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

// Writes the customer under `issued` once its phone is claimed by `claim`; on an id taken by
// another process, moves the claim to the next id and tries again.
void PutCustomer(const ContextPtr& context, NewCustomer customer, Claim claim,
                 const IssuedId& issued, int attempt, Done<Customer> done) {
  Customer row{issued.id,    customer.full_name,    customer.phone,
               customer.age, customer.product_code, FormatIsoMillis(issued.unix_millis)};
  Request request = context->NewRequest();
  request.item = CustomerItem(row);
  request.condition = "attribute_not_exists(" + request.Name(kIdAttribute) + ")";
  Call(context->client, "PutItem", request,
       [context, customer = std::move(customer), claim = std::move(claim), row,
        written = *request.item, attempt, done = std::move(done)](Result<Response> answer) mutable {
         if (answer.ok()) return done(std::move(row));
         // kUnavailable may hide an applied write: the claim stays (see the class comment).
         if (!IsConditionFailed(answer.error())) return done(std::move(answer).error());
         GetItem(
             context, CustomerKey(row.id),
             [context, customer = std::move(customer), claim = std::move(claim), row,
              written = std::move(written), attempt,
              done = std::move(done)](Result<std::optional<Item>> stored) mutable {
               if (!stored.ok()) return done(std::move(stored).error());
               // Exactly what we wrote: a retry of our own write found it applied.
               if (stored->has_value() && **stored == written) return done(std::move(row));
               if (attempt + 1 >= kMaxIdAttempts) {
                 ReleaseClaim(context, row.phone, claim, Ignore);
                 return done(Error::Unavailable("Store unavailable: no free customer id; retry"));
               }
               HighestIdInMilli(
                   context, row.id,
                   [context, customer = std::move(customer), claim = std::move(claim), attempt,
                    done = std::move(done)](Result<std::string> highest) mutable {
                     if (!highest.ok()) return done(std::move(highest).error());
                     IssuedId next = context->ids.NextAfter(PastTakenIds(*highest));
                     std::string phone = customer.phone;
                     MoveClaim(context, std::move(phone), next.id, std::move(claim),
                                [context, customer = std::move(customer), next, attempt,
                                 done = std::move(done)](Result<Claim> moved) mutable {
                                  if (!moved.ok()) return done(std::move(moved).error());
                                  PutCustomer(context, std::move(customer), std::move(*moved),
                                              std::move(next), attempt + 1, std::move(done));
                                });
                   });
             });
       });
}

// UpdateItem on an existing customer; when `stored_phone` is given, only while the customer
// still holds it (none = the item has no phone). A failed condition is passed on.
void ApplyPatch(const ContextPtr& context, const std::string& id, const CustomerPatch& patch,
                const std::optional<std::optional<AttributeValue>>& stored_phone,
                Done<Customer> done) {
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
  Call(context->client, "UpdateItem", request, [done = std::move(done)](Result<Response> answer) {
    if (!answer.ok()) return done(std::move(answer).error());
    if (!answer->attributes) {
      return done(Error::Unavailable("Store unavailable: DynamoDB answered no attributes"));
    }
    done(ReadCustomer(*answer->attributes));
  });
}

// A claim to delete once an update has moved its customer off the claim's phone.
struct PendingRelease {
  std::string phone;
  Claim claim;
};

// Deletes each claim still at the version in `releases` (best effort: a claim left behind is
// taken over after the grace), then runs `then`.
void ReleaseAll(const ContextPtr& context, std::vector<PendingRelease> releases,
                std::function<void()> then) {
  if (releases.empty()) return then();
  PendingRelease last = std::move(releases.back());
  releases.pop_back();
  ReleaseClaim(context, last.phone, last.claim,
               [context, releases = std::move(releases),
                then = std::move(then)](const Status& /*released*/) mutable {
                 ReleaseAll(context, std::move(releases), std::move(then));
               });
}

void UpdateWithPhone(const ContextPtr& context, std::string id, CustomerPatch patch,
                     std::vector<PendingRelease> releases, int attempt, Done<Customer> done);

// The phone update once the customer was read: claim the new phone, update on condition of
// the phone read, then release the old phone's claim as it was before the update. When the
// phone changed meanwhile (a racing update, or our own retried write that was applied),
// starts over, still owing the releases of the attempts before.
void UpdatePhoneOf(const ContextPtr& context, std::string id, CustomerPatch patch, Item current,
                   std::vector<PendingRelease> releases, int attempt, Done<Customer> done) {
  std::string new_phone = *patch.phone;
  std::string claimant = id;  // arguments are evaluated in no set order: copy before moving
  AcquireClaim(
      context, std::move(new_phone), std::move(claimant),
      [context, id = std::move(id), patch = std::move(patch), current = std::move(current),
       releases = std::move(releases), attempt,
       done = std::move(done)](Result<Claim> claimed) mutable {
        if (!claimed.ok()) return done(std::move(claimed).error());
        std::optional<AttributeValue> stored_phone;
        if (auto found = current.find(kPhoneAttribute); found != current.end()) {
          stored_phone = found->second;
        }
        ApplyPatch(
            context, id, patch,
            std::optional<std::optional<AttributeValue>>(std::in_place, std::move(stored_phone)),
            [context, id, patch, releases = std::move(releases), new_claim = std::move(*claimed),
             attempt, done = std::move(done)](Result<Customer> updated) mutable {
              if (updated.ok()) {
                return ReleaseAll(context, std::move(releases),
                                  [updated = std::move(updated).value(),
                                   done = std::move(done)]() mutable { done(std::move(updated)); });
              }
              if (!IsConditionFailed(updated.error())) return done(std::move(updated).error());
              // Gone, or its phone changed under us: read it again to tell which.
              GetItem(context, CustomerKey(id),
                      [context, id, patch = std::move(patch), new_claim = std::move(new_claim),
                       releases = std::move(releases), attempt,
                       done = std::move(done)](Result<std::optional<Item>> again) mutable {
                        if (!again.ok()) return done(std::move(again).error());
                        if (!again->has_value()) {
                          releases.push_back({*patch.phone, std::move(new_claim)});
                          return ReleaseAll(context, std::move(releases), [done = std::move(done)] {
                            done(Error::CustomerNotFound());
                          });
                        }
                        UpdateWithPhone(context, std::move(id), std::move(patch),
                                        std::move(releases), attempt + 1, std::move(done));
                      });
            });
      });
}

void UpdateWithPhone(const ContextPtr& context, std::string id, CustomerPatch patch,
                     std::vector<PendingRelease> releases, int attempt, Done<Customer> done) {
  if (attempt >= kMaxUpdateAttempts) {
    return done(Error::Unavailable("Store unavailable: the customer keeps changing; retry"));
  }
  GetItem(context, CustomerKey(id),
          [context, id, patch = std::move(patch), releases = std::move(releases), attempt,
           done = std::move(done)](Result<std::optional<Item>> current) mutable {
            if (!current.ok()) return done(std::move(current).error());
            if (!current->has_value()) return done(Error::CustomerNotFound());
            Item item = std::move(**current);
            std::string old_phone = ReadCustomer(item).phone;
            if (old_phone.empty() || old_phone == *patch.phone) {
              return UpdatePhoneOf(context, std::move(id), std::move(patch), std::move(item),
                                   std::move(releases), attempt, std::move(done));
            }
            // The old claim's version before the update, so that releasing it after the
            // update cannot delete a claim that a later update of this customer wrote again.
            GetClaim(context, old_phone,
                     [context, id = std::move(id), patch = std::move(patch), item = std::move(item),
                      old_phone, releases = std::move(releases), attempt,
                      done = std::move(done)](Result<std::optional<Claim>> old_claim) mutable {
                       if (!old_claim.ok()) return done(std::move(old_claim).error());
                       if (old_claim->has_value() && (*old_claim)->customer_id == id) {
                         releases.push_back({std::move(old_phone), std::move(**old_claim)});
                       }
                       UpdatePhoneOf(context, std::move(id), std::move(patch), std::move(item),
                                     std::move(releases), attempt, std::move(done));
                     });
          });
}

void QueryPage(const ContextPtr& context, int limit, std::optional<Item> start, CustomerPage page,
               int round, Done<CustomerPage> done) {
  const size_t wanted = static_cast<size_t>(limit) + 1;  // one ahead: does another follow?
  Request request = context->NewRequest();
  request.key_condition = request.Name(kTypeAttribute) + " = " +
                          request.Value("pk", AttributeValue::S(kCustomerType)) +
                          " AND begins_with(" + request.Name(kIdAttribute) + ", " +
                          request.Value("prefix", AttributeValue::S(kCustomerIdPrefix)) + ")";
  request.consistent_read = true;
  request.limit = static_cast<int>(wanted - page.items.size());
  request.exclusive_start_key = std::move(start);
  Call(context->client, "Query", request,
       [context, limit, wanted, page = std::move(page), round,
        done = std::move(done)](Result<Response> answer) mutable {
         if (!answer.ok()) return done(std::move(answer).error());
         if (answer->items) {
           for (const Item& item : *answer->items) {
             if (page.items.size() < wanted) page.items.push_back(ReadCustomer(item));
           }
         }
         if (page.items.size() < wanted && answer->last_evaluated_key) {
           if (round + 1 >= kMaxQueryRounds) {
             return done(Error::Unavailable("Store unavailable: the listing does not advance"));
           }
           return QueryPage(context, limit, std::move(answer->last_evaluated_key), std::move(page),
                            round + 1, std::move(done));
         }
         if (page.items.size() > static_cast<size_t>(limit)) {
           page.items.resize(static_cast<size_t>(limit));
           page.last_id = page.items.back().id;
         }
         done(std::move(page));
       });
}

}  // namespace

Result<PhoneClaimBackfill> BackfillPhoneClaims(DynamoDbClient& client, std::string table,
                                               DynamoDbStoreOptions options) {
  auto context = std::make_shared<DynamoDbCustomerStore::Context>(client, std::move(table),
                                                                  std::move(options));
  Request request = context->NewRequest();
  request.key_condition = request.Name(kTypeAttribute) + " = " +
                          request.Value("pk", AttributeValue::S(kCustomerType)) +
                          " AND begins_with(" + request.Name(kIdAttribute) + ", " +
                          request.Value("prefix", AttributeValue::S(kCustomerIdPrefix)) + ")";
  request.consistent_read = true;
  auto listed = std::make_shared<std::promise<Result<dynamodb::QueryResult>>>();
  std::future<Result<dynamodb::QueryResult>> listing = listed->get_future();
  dynamodb::QueryAll(client, std::move(request), [listed](Result<dynamodb::QueryResult> result) {
    listed->set_value(std::move(result));
  });
  Result<dynamodb::QueryResult> customers = listing.get();
  if (!customers.ok()) return std::move(customers).error();

  PhoneClaimBackfill report;
  for (const Item& item : customers->items) {
    const Customer customer = ReadCustomer(item);
    ++report.customers;
    if (customer.phone.empty()) continue;
    auto claimed = std::make_shared<std::promise<Result<Claim>>>();
    std::future<Result<Claim>> claim = claimed->get_future();
    AcquireClaim(context, customer.phone, customer.id,
                 [claimed](Result<Claim> result) { claimed->set_value(std::move(result)); });
    Result<Claim> result = claim.get();
    if (result.ok()) {
      ++report.claimed;
      continue;
    }
    if (result.error().code != ErrorCode::kConflict) return std::move(result).error();
    const std::string holder =
        result.error().reasons.empty() ? "?" : result.error().reasons.front().desc;
    report.problems.push_back("Phone " + customer.phone + " of " + customer.id +
                              " is already claimed by " + holder);
  }
  return report;
}

DynamoDbCustomerStore::DynamoDbCustomerStore(DynamoDbClient& client, std::string table,
                                             DynamoDbStoreOptions options)
    : context_(std::make_shared<Context>(client, std::move(table), std::move(options))) {}

DynamoDbCustomerStore::~DynamoDbCustomerStore() = default;

void DynamoDbCustomerStore::Create(NewCustomer customer, Done<Customer> done) {
  IssuedId issued = context_->ids.Next();
  std::string phone = customer.phone;
  std::string id = issued.id;  // arguments are evaluated in no set order: copy before moving
  AcquireClaim(context_, std::move(phone), std::move(id),
               [context = context_, customer = std::move(customer), issued = std::move(issued),
                done = std::move(done)](Result<Claim> claim) mutable {
                 if (!claim.ok()) return done(std::move(claim).error());
                 PutCustomer(context, std::move(customer), std::move(*claim), std::move(issued), 0,
                             std::move(done));
               });
}

void DynamoDbCustomerStore::Get(std::string id, Done<Customer> done) {
  if (!IsCustomerId(id)) return done(Error::CustomerNotFound());
  GetItem(context_, CustomerKey(id), [done = std::move(done)](Result<std::optional<Item>> item) {
    if (!item.ok()) return done(std::move(item).error());
    if (!item->has_value()) return done(Error::CustomerNotFound());
    done(ReadCustomer(**item));
  });
}

void DynamoDbCustomerStore::Update(std::string id, CustomerPatch patch, Done<Customer> done) {
  if (!IsCustomerId(id)) return done(Error::CustomerNotFound());
  if (patch.empty()) return done(Error::BadRequest("Nothing to update"));
  if (patch.phone) {
    return UpdateWithPhone(context_, std::move(id), std::move(patch), {}, 0, std::move(done));
  }
  ApplyPatch(context_, id, patch, std::nullopt, [done = std::move(done)](Result<Customer> updated) {
    if (!updated.ok() && IsConditionFailed(updated.error())) {
      return done(Error::CustomerNotFound());
    }
    done(std::move(updated));
  });
}

void DynamoDbCustomerStore::Delete(std::string id, Done<Ok> done) {
  if (!IsCustomerId(id)) return done(Error::CustomerNotFound());
  // Read first for the phone, whose claim goes with the customer. The delete's condition
  // makes concurrent deletes of one customer answer Ok exactly once; the others find it
  // gone (404). A failed condition after a retried attempt may be our own earlier attempt's
  // effect, whose answer was lost: that delete did happen, so it is Ok.
  GetItem(
      context_, CustomerKey(id),
      [context = context_, id, done = std::move(done)](Result<std::optional<Item>> found) mutable {
        if (!found.ok()) return done(std::move(found).error());
        if (!found->has_value()) return done(Error::CustomerNotFound());
        std::string phone = ReadCustomer(**found).phone;
        Request request = context->NewRequest();
        request.key = CustomerKey(id);
        request.condition = "attribute_exists(" + request.Name(kIdAttribute) + ")";
        request.return_values = "ALL_OLD";
        Call(context->client, "DeleteItem", request,
             [context, id = std::move(id), phone = std::move(phone),
              done = std::move(done)](Result<Response> deleted) mutable {
               if (!deleted.ok()) {
                 if (!OutcomeWasUnknown(deleted.error())) {
                   if (IsConditionFailed(deleted.error())) return done(Error::CustomerNotFound());
                   return done(std::move(deleted).error());
                 }
               } else if (deleted->attributes) {
                 phone = ReadCustomer(*deleted->attributes).phone;
               }
               if (phone.empty()) return done(Ok{});
               // Best effort: a claim left behind here is taken over after the grace period.
               ReleaseClaimOf(context, phone, std::move(id),
                              [done = std::move(done)](const Status& /*released*/) { done(Ok{}); });
             });
      });
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
  QueryPage(context_, request.limit, std::move(start), CustomerPage{}, 0, std::move(done));
}

void DynamoDbCustomerStore::FindByPhone(std::string phone, Done<std::optional<Customer>> done) {
  if (phone.empty()) return done(std::optional<Customer>());
  GetClaim(context_, phone,
           [context = context_, phone,
            done = std::move(done)](Result<std::optional<Claim>> claim) mutable {
             if (!claim.ok()) return done(std::move(claim).error());
             if (!claim->has_value() || !IsCustomerId((*claim)->customer_id)) {
               return done(std::optional<Customer>());
             }
             GetItem(context, CustomerKey((*claim)->customer_id),
                     [phone = std::move(phone),
                      done = std::move(done)](Result<std::optional<Item>> item) {
                       if (!item.ok()) return done(std::move(item).error());
                       if (!item->has_value()) return done(std::optional<Customer>());
                       Customer customer = ReadCustomer(**item);
                       // A claim whose customer moved on is not an answer.
                       if (customer.phone != phone) return done(std::optional<Customer>());
                       done(std::optional<Customer>(std::move(customer)));
                     });
           });
}

void DynamoDbCustomerStore::CheckReady(Done<Ok> done) {
  Request request = context_->NewRequest();
  Item probe = Key(kSecretType, kReadinessProbeId);
  probe[kCheckedAt] = AttributeValue::N(NowUnixMillis());
  request.item = std::move(probe);
  Call(context_->client, "PutItem", request, [done = std::move(done)](Result<Response> answer) {
    if (!answer.ok()) return done(std::move(answer).error());
    done(Ok{});
  });
}

Result<std::string> DynamoDbCustomerStore::LoadOrCreateSecret(std::string_view name) {
  if (name.empty()) return Error::Internal("a secret needs a name");
  Request put = context_->NewRequest();
  Item item = Key(kSecretType, name);
  item[kSecretValue] = AttributeValue::B(RandomBytes(kSecretBytes));
  put.item = std::move(item);
  put.condition = "attribute_not_exists(" + put.Name(kIdAttribute) + ")";

  auto promise = std::make_shared<std::promise<Result<std::optional<Item>>>>();
  std::future<Result<std::optional<Item>>> future = promise->get_future();
  Call(context_->client, "PutItem", put,
       [context = context_, key = Key(kSecretType, name), promise](Result<Response> answer) {
         // A failed condition: another process (or our own earlier attempt) stored it first.
         if (!answer.ok() && !IsConditionFailed(answer.error())) {
           return promise->set_value(std::move(answer).error());
         }
         GetItem(context, key, [promise](Result<std::optional<Item>> stored) {
           promise->set_value(std::move(stored));
         });
       });
  Result<std::optional<Item>> stored = future.get();
  if (!stored.ok()) return std::move(stored).error();
  if (!stored->has_value()) return Error::Internal("the secret vanished after it was stored");
  const auto value = (*stored)->find(kSecretValue);
  std::optional<std::string> bytes;
  if (value != (*stored)->end()) {
    if (value->second.type == AttributeValue::Type::kBinary) bytes = value->second.text;
    if (value->second.is_string()) bytes = dynamodb::Base64Decode(value->second.text);
  }
  if (!bytes || bytes->size() != kSecretBytes) {
    return Error::Internal("The stored secret " + std::string(name) + " has the wrong form");
  }
  return std::move(*bytes);
}

}  // namespace pcustomer
