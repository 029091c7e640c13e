#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"

#include <algorithm>
#include <functional>
#include <future>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"
#include "pcustomer/util/clock.hpp"
#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {

using dynamodb::AttributeValue;
using dynamodb::Call;
using dynamodb::IntegerAttribute;
using dynamodb::IsConditionFailed;
using dynamodb::Item;
using dynamodb::Request;
using dynamodb::Response;
using dynamodb::StringAttribute;

struct DynamoDbCustomerStore::Context {
  Context(DynamoDbClient& client_in, std::string table_in, DynamoDbStoreOptions options)
      : client(client_in),
        table(std::move(table_in)),
        clock(options.clock ? std::move(options.clock) : CustomerIdGenerator::Clock(NowUnixMillis)),
        ids(clock),
        claim_grace_millis(options.claim_grace_millis) {}

  Request NewRequest() const {
    Request request;
    request.table = table;
    return request;
  }

  DynamoDbClient& client;
  const std::string table;
  const CustomerIdGenerator::Clock clock;
  CustomerIdGenerator ids;
  const int64_t claim_grace_millis;
};

namespace {

using ContextPtr = std::shared_ptr<DynamoDbCustomerStore::Context>;

constexpr const char* kPhoneTaken = "Phone number is already used by another potential customer";
constexpr const char* kNotFound = "Potential customer not found";
constexpr size_t kSecretBytes = 32;
// The item CheckReady writes: ready means a write can land, not only that reads answer.
constexpr const char* kReadinessProbeId = "readiness-probe";
constexpr const char* kCheckedAt = "checkedAt";

// Bounds that only stop a runaway loop: a create that finds its id taken continues past the
// highest id of that millisecond, claims change hands rarely, and a customer's phone changes
// under an update only when another update races it.
constexpr int kMaxIdAttempts = 16;
// How far past another process's ids a colliding create jumps at most (see PastTakenIds):
// small against the 1000 ids of a millisecond, large against a burst of one process.
constexpr int64_t kMaxIdSkip = 63;
constexpr int kMaxClaimAttempts = 8;
constexpr int kMaxUpdateAttempts = 4;
// A Query without a filter answers at least one item per call unless the partition ends, so
// a page of at most 101 items never needs more calls than this.
constexpr int kMaxQueryRounds = 256;

// Attribute names of the reference's layout and of the claims.
constexpr const char* kType = "type";
constexpr const char* kId = "id";
constexpr const char* kFullName = "fullName";
constexpr const char* kPhone = "phone";
constexpr const char* kAge = "age";
constexpr const char* kProductCode = "productCode";
constexpr const char* kCreateAt = "createAt";
constexpr const char* kCustomerIdAttr = "customerId";
constexpr const char* kClaimedAt = "claimedAt";
constexpr const char* kClaimToken = "claimToken";
constexpr const char* kSecretValue = "value";

Item Key(std::string_view type, std::string_view id) {
  return {{kType, AttributeValue::S(std::string(type))}, {kId, AttributeValue::S(std::string(id))}};
}
Item CustomerKey(std::string_view id) { return Key(kCustomerType, id); }
Item ClaimKey(std::string_view phone) {
  return Key(kPhoneClaimType, std::string(kPhoneClaimPrefix) + std::string(phone));
}

Item CustomerItem(const Customer& customer) {
  Item item = CustomerKey(customer.id);
  item[kFullName] = AttributeValue::S(customer.full_name);
  item[kPhone] = AttributeValue::S(customer.phone);
  item[kAge] = AttributeValue::N(customer.age);
  item[kProductCode] = AttributeValue::S(customer.product_code);
  item[kCreateAt] = AttributeValue::S(customer.create_at);
  return item;
}

// The customer an item holds. Items the reference wrote may miss attributes (its update was
// an upsert) or hold the phone as a number; they read as what is there.
Customer ReadCustomer(const Item& item) {
  Customer customer;
  customer.id = StringAttribute(item, kId).value_or("");
  customer.full_name = StringAttribute(item, kFullName).value_or("");
  if (const auto phone = item.find(kPhone); phone != item.end()) {
    if (phone->second.is_string() || phone->second.is_number()) {
      customer.phone = RestoreStoredPhone(phone->second.text);
    }
  }
  const int64_t age = IntegerAttribute(item, kAge).value_or(0);
  if (age >= 0 && age <= std::numeric_limits<int>::max()) customer.age = static_cast<int>(age);
  customer.product_code = StringAttribute(item, kProductCode).value_or("");
  customer.create_at = StringAttribute(item, kCreateAt).value_or("");
  return customer;
}

// A phone claim as read or written. `token` changes with every write of the claim, so a
// conditional write on it succeeds only against the version that was looked at.
struct Claim {
  std::string customer_id;
  int64_t claimed_at = 0;
  std::string token;
};

Claim ReadClaim(const Item& item) {
  return {StringAttribute(item, kCustomerIdAttr).value_or(""),
          IntegerAttribute(item, kClaimedAt).value_or(0),
          StringAttribute(item, kClaimToken).value_or("")};
}

Claim NewClaim(const ContextPtr& context, std::string customer_id) {
  return {std::move(customer_id), context->clock(), HexEncode(RandomBytes(16))};
}

Item ClaimItem(std::string_view phone, const Claim& claim) {
  Item item = ClaimKey(phone);
  item[kCustomerIdAttr] = AttributeValue::S(claim.customer_id);
  item[kClaimedAt] = AttributeValue::N(claim.claimed_at);
  item[kClaimToken] = AttributeValue::S(claim.token);
  return item;
}

// "<#token> = :token", or the customer when the claim has no token (written elsewhere).
std::string ClaimVersionCondition(Request& request, const Claim& seen) {
  if (!seen.token.empty()) {
    return request.Name(kClaimToken) + " = " +
           request.Value("seenToken", AttributeValue::S(seen.token));
  }
  if (!seen.customer_id.empty()) {
    return request.Name(kCustomerIdAttr) + " = " +
           request.Value("seenCustomer", AttributeValue::S(seen.customer_id)) +
           " AND attribute_not_exists(" + request.Name(kClaimToken) + ")";
  }
  return "attribute_not_exists(" + request.Name(kCustomerIdAttr) + ")";
}

void GetItem(const ContextPtr& context, Item key, Done<std::optional<Item>> done) {
  Request request = context->NewRequest();
  request.key = std::move(key);
  request.consistent_read = true;
  Call(context->client, "GetItem", request, [done = std::move(done)](Result<Response> answer) {
    if (!answer.ok()) return done(std::move(answer).error());
    done(std::move(answer->item));
  });
}

void GetClaim(const ContextPtr& context, std::string_view phone, Done<std::optional<Claim>> done) {
  GetItem(context, ClaimKey(phone), [done = std::move(done)](Result<std::optional<Item>> item) {
    if (!item.ok()) return done(std::move(item).error());
    if (!item->has_value()) return done(std::optional<Claim>());
    done(std::optional<Claim>(ReadClaim(**item)));
  });
}

void WriteClaim(const ContextPtr& context, std::string phone, std::string customer_id,
                std::optional<Claim> replacing, int attempt, Done<Claim> done);

// After a claim write's condition failed: decides whether the claim is ours (our own write,
// applied by an attempt whose answer was lost), ours to refresh or take over, or held.
void InspectClaim(const ContextPtr& context, std::string phone, std::string customer_id,
                  Claim attempted, int attempt, Done<Claim> done) {
  if (attempt + 1 >= kMaxClaimAttempts) {
    return done(Error::Unavailable("Store unavailable: the phone claim keeps changing; retry"));
  }
  GetClaim(context, phone,
           [context, phone, customer_id, attempted = std::move(attempted), attempt,
            done = std::move(done)](Result<std::optional<Claim>> read) mutable {
             if (!read.ok()) return done(std::move(read).error());
             if (!read->has_value()) {
               // Released meanwhile: claim it afresh.
               return WriteClaim(context, std::move(phone), std::move(customer_id), std::nullopt,
                                 attempt + 1, std::move(done));
             }
             Claim held = std::move(**read);
             if (held.token == attempted.token) return done(std::move(held));
             if (held.customer_id == customer_id) {
               // Ours from an earlier write. Rewriting it changes its token, which stops a
               // take-over decided on the version before (our customer may not hold the
               // phone yet, so the claim may look stale to others).
               return WriteClaim(context, std::move(phone), std::move(customer_id), std::move(held),
                                 attempt + 1, std::move(done));
             }
             // Whether the customer the claim names holds the phone; one that is not a
             // customer id names nobody.
             auto decide = [context, phone, customer_id, held, attempt,
                            done = std::move(done)](Result<bool> holds_phone) mutable {
               if (!holds_phone.ok()) return done(std::move(holds_phone).error());
               const bool recent = context->clock() - held.claimed_at < context->claim_grace_millis;
               if (*holds_phone || recent) {
                 return done(Error::Conflict(kPhoneTaken, {{"phone", held.customer_id}}));
               }
               // Left over from a write sequence that never finished.
               WriteClaim(context, std::move(phone), std::move(customer_id), std::move(held),
                          attempt + 1, std::move(done));
             };
             if (!IsCustomerId(held.customer_id)) return decide(false);
             GetItem(
                 context, CustomerKey(held.customer_id),
                 [phone, decide = std::move(decide)](Result<std::optional<Item>> holder) mutable {
                   if (!holder.ok()) return decide(std::move(holder).error());
                   decide(holder->has_value() && ReadCustomer(**holder).phone == phone);
                 });
           });
}

// Writes a claim of `phone` for `customer_id`: a new one (attribute_not_exists), or one
// replacing the version `replacing` that was read. Answers the claim written, or kConflict
// naming the holder.
void WriteClaim(const ContextPtr& context, std::string phone, std::string customer_id,
                std::optional<Claim> replacing, int attempt, Done<Claim> done) {
  Claim claim = NewClaim(context, customer_id);
  Request request = context->NewRequest();
  request.item = ClaimItem(phone, claim);
  request.condition = replacing ? ClaimVersionCondition(request, *replacing)
                                : "attribute_not_exists(" + request.Name(kId) + ")";
  Call(
      context->client, "PutItem", request,
      [context, phone = std::move(phone), customer_id = std::move(customer_id),
       claim = std::move(claim), attempt, done = std::move(done)](Result<Response> answer) mutable {
        if (answer.ok()) return done(std::move(claim));
        if (!IsConditionFailed(answer.error())) return done(std::move(answer).error());
        InspectClaim(context, std::move(phone), std::move(customer_id), std::move(claim), attempt,
                     std::move(done));
      });
}

void AcquireClaim(const ContextPtr& context, std::string phone, std::string customer_id,
                  Done<Claim> done) {
  WriteClaim(context, std::move(phone), std::move(customer_id), std::nullopt, 0, std::move(done));
}

// Deletes the claim of `phone` when it is still the version `claim`. A claim that changed
// hands is not ours to delete, so a failed condition counts as done.
void ReleaseClaim(const ContextPtr& context, std::string_view phone, const Claim& claim,
                  Done<Ok> done) {
  Request request = context->NewRequest();
  request.key = ClaimKey(phone);
  request.condition = ClaimVersionCondition(request, claim);
  Call(context->client, "DeleteItem", request, [done = std::move(done)](Result<Response> answer) {
    if (answer.ok() || IsConditionFailed(answer.error())) return done(Ok{});
    done(std::move(answer).error());
  });
}

// Deletes the claim of `phone` when it names `customer_id`, whatever its version.
void ReleaseClaimOf(const ContextPtr& context, std::string_view phone, std::string customer_id,
                    Done<Ok> done) {
  Request request = context->NewRequest();
  request.key = ClaimKey(phone);
  request.condition = request.Name(kCustomerIdAttr) + " = " +
                      request.Value("customerId", AttributeValue::S(std::move(customer_id)));
  Call(context->client, "DeleteItem", request, [done = std::move(done)](Result<Response> answer) {
    if (answer.ok() || IsConditionFailed(answer.error())) return done(Ok{});
    done(std::move(answer).error());
  });
}

void Ignore(const Status& /*released*/) {}

// The highest id in use within the millisecond of `taken`, so that the next attempt skips
// every id another process issued in it instead of probing one at a time.
void HighestIdInMilli(const ContextPtr& context, std::string taken, Done<std::string> done) {
  const std::optional<int64_t> value = CustomerIdValue(taken);
  if (!value) return done(std::move(taken));
  Request request = context->NewRequest();
  request.key_condition =
      request.Name(kType) + " = " + request.Value("pk", AttributeValue::S(kCustomerType)) +
      " AND " + request.Name(kId) + " BETWEEN " + request.Value("from", AttributeValue::S(taken)) +
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
           if (auto id = StringAttribute(answer->items->front(), kId)) return done(std::move(*id));
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
  request.condition = "attribute_not_exists(" + request.Name(kId) + ")";
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
                     WriteClaim(context, std::move(phone), next.id, std::move(claim), 0,
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

// The SET clause of a patch, registering its placeholders on `request`.
std::string PatchUpdate(Request& request, const CustomerPatch& patch) {
  std::string update;
  auto set = [&](const char* attribute, AttributeValue value) {
    update += update.empty() ? "SET " : ", ";
    update += request.Name(attribute) + " = " + request.Value(attribute, std::move(value));
  };
  if (patch.full_name) set(kFullName, AttributeValue::S(*patch.full_name));
  // Always a string: the reference's update turned phones into numbers.
  if (patch.phone) set(kPhone, AttributeValue::S(*patch.phone));
  if (patch.age) set(kAge, AttributeValue::N(*patch.age));
  if (patch.product_code) set(kProductCode, AttributeValue::S(*patch.product_code));
  return update;
}

// UpdateItem on an existing customer; when `stored_phone` is given, only while the customer
// still holds it (none = the item has no phone). A failed condition is passed on.
void ApplyPatch(const ContextPtr& context, const std::string& id, const CustomerPatch& patch,
                const std::optional<std::optional<AttributeValue>>& stored_phone,
                Done<Customer> done) {
  Request request = context->NewRequest();
  request.key = CustomerKey(id);
  request.update = PatchUpdate(request, patch);
  request.condition = "attribute_exists(" + request.Name(kId) + ")";
  if (stored_phone) {
    request.condition += " AND ";
    request.condition +=
        stored_phone->has_value()
            ? request.Name(kPhone) + " = " + request.Value("storedPhone", **stored_phone)
            : "attribute_not_exists(" + request.Name(kPhone) + ")";
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
        if (auto found = current.find(kPhone); found != current.end()) {
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
                            done(Error::NotFound(kNotFound));
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
            if (!current->has_value()) return done(Error::NotFound(kNotFound));
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
  request.key_condition = request.Name(kType) + " = " +
                          request.Value("pk", AttributeValue::S(kCustomerType)) +
                          " AND begins_with(" + request.Name(kId) + ", " +
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

std::string RestoreStoredPhone(std::string_view stored) {
  std::string_view digits = stored;
  if (digits.ends_with(".0")) digits.remove_suffix(2);  // a number echoed with a fraction
  if (digits.starts_with('+')) digits.remove_prefix(1);
  const bool all_digits = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  if (!all_digits) return std::string(stored);
  if (digits.size() == 9 && digits[0] != '0') return "0" + std::string(digits);
  if (digits.size() == 11 && digits.starts_with("84")) return "0" + std::string(digits.substr(2));
  if (digits.size() == 10 && digits[0] == '0') return std::string(digits);
  return std::string(stored);
}

Result<PhoneClaimBackfill> BackfillPhoneClaims(DynamoDbClient& client, std::string table,
                                               DynamoDbStoreOptions options) {
  auto context = std::make_shared<DynamoDbCustomerStore::Context>(client, std::move(table),
                                                                  std::move(options));
  Request request = context->NewRequest();
  request.key_condition = request.Name(kType) + " = " +
                          request.Value("pk", AttributeValue::S(kCustomerType)) +
                          " AND begins_with(" + request.Name(kId) + ", " +
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
  if (!IsCustomerId(id)) return done(Error::NotFound(kNotFound));
  GetItem(context_, CustomerKey(id), [done = std::move(done)](Result<std::optional<Item>> item) {
    if (!item.ok()) return done(std::move(item).error());
    if (!item->has_value()) return done(Error::NotFound(kNotFound));
    done(ReadCustomer(**item));
  });
}

void DynamoDbCustomerStore::Update(std::string id, CustomerPatch patch, Done<Customer> done) {
  if (!IsCustomerId(id)) return done(Error::NotFound(kNotFound));
  if (patch.empty()) return done(Error::BadRequest("Nothing to update"));
  if (patch.phone) {
    return UpdateWithPhone(context_, std::move(id), std::move(patch), {}, 0, std::move(done));
  }
  ApplyPatch(context_, id, patch, std::nullopt, [done = std::move(done)](Result<Customer> updated) {
    if (!updated.ok() && IsConditionFailed(updated.error())) {
      return done(Error::NotFound(kNotFound));
    }
    done(std::move(updated));
  });
}

void DynamoDbCustomerStore::Delete(std::string id, Done<Ok> done) {
  if (!IsCustomerId(id)) return done(Error::NotFound(kNotFound));
  // Read first for the phone, whose claim goes with the customer. The delete's condition
  // makes concurrent deletes of one customer answer Ok exactly once; the others find it
  // gone (404). A failed condition after a retried attempt may be our own earlier attempt's
  // effect, whose answer was lost: that delete did happen, so it is Ok.
  GetItem(
      context_, CustomerKey(id),
      [context = context_, id, done = std::move(done)](Result<std::optional<Item>> found) mutable {
        if (!found.ok()) return done(std::move(found).error());
        if (!found->has_value()) return done(Error::NotFound(kNotFound));
        std::string phone = ReadCustomer(**found).phone;
        Request request = context->NewRequest();
        request.key = CustomerKey(id);
        request.condition = "attribute_exists(" + request.Name(kId) + ")";
        request.return_values = "ALL_OLD";
        Call(context->client, "DeleteItem", request,
             [context, id = std::move(id), phone = std::move(phone),
              done = std::move(done)](Result<Response> deleted) mutable {
               if (!deleted.ok()) {
                 if (!OutcomeWasUnknown(deleted.error())) {
                   if (IsConditionFailed(deleted.error())) return done(Error::NotFound(kNotFound));
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
  put.condition = "attribute_not_exists(" + put.Name(kId) + ")";

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
