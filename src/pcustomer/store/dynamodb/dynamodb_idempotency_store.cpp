#include "pcustomer/store/dynamodb/dynamodb_idempotency_store.hpp"

#include <optional>
#include <utility>

#include "pcustomer/store/dynamodb/coroutine.hpp"
#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"
#include "pcustomer/store/dynamodb/dynamodb_user_store.hpp"

namespace pcustomer {
namespace {

using dynamodb::AttributeValue;
using dynamodb::CallResult;
using dynamodb::Item;
using dynamodb::Task;
using Outcome = IdempotencyClaim::Outcome;

constexpr const char* kFingerprint = "fingerprint";
constexpr const char* kToken = "token";
constexpr const char* kExpiresAt = "expiresAt";
constexpr const char* kStatus = "status";
constexpr const char* kHeaders = "headers";
constexpr const char* kBody = "body";

// A claim raced by expiry (the live item it failed on expired before it was read) is tried
// again; more rounds than this mean something else is wrong.
constexpr int kClaimRounds = 3;

// TTL takes up to days to erase an item; a day past expiry keeps it visible to nobody.
int64_t TimeToLiveSeconds(int64_t expires_at_millis) { return expires_at_millis / 1000 + 86400; }

struct Table {
  DynamoDbClient& client;
  std::string name;

  dynamodb::Request NewRequest() const {
    dynamodb::Request request;
    request.table = name;
    return request;
  }
};

Item RecordItem(const std::string& key, const std::string& fingerprint, const std::string& token,
                int64_t expires_at) {
  Item item = dynamodb::Key(kIdempotencyType, key);
  item[kFingerprint] = AttributeValue::S(fingerprint);
  item[kToken] = AttributeValue::S(token);
  item[kExpiresAt] = AttributeValue::N(expires_at);
  item[kStatus] = AttributeValue::N(0);
  item[kTimeToLiveAttribute] = AttributeValue::N(TimeToLiveSeconds(expires_at));
  return item;
}

// What a live record says to a request with `fingerprint` (and which claimed with `token`).
IdempotencyClaim ReadClaim(const Item& item, const std::string& fingerprint,
                           const std::string& token) {
  IdempotencyClaim claim;
  const int64_t status = dynamodb::IntegerAttribute(item, kStatus).value_or(0);
  if (dynamodb::StringAttribute(item, kFingerprint) != fingerprint) {
    claim.outcome = Outcome::kOtherRequest;
  } else if (status == 0) {
    const bool ours = dynamodb::StringAttribute(item, kToken) == token;
    claim.outcome = ours ? Outcome::kClaimed : Outcome::kInFlight;
    if (ours) claim.token = token;
  } else {
    claim.outcome = Outcome::kReplay;
    claim.answer.status = static_cast<int>(status);
    claim.answer.headers =
        DecodeKeptHeaders(dynamodb::StringAttribute(item, kHeaders).value_or(""));
    claim.answer.body = dynamodb::StringAttribute(item, kBody).value_or("");
  }
  return claim;
}

Task<IdempotencyClaim> ClaimKey(Table table, std::string key, std::string fingerprint, int64_t now,
                                int64_t lease_until) {
  const std::string token = NewClaimToken();
  for (int round = 0; round < kClaimRounds; ++round) {
    dynamodb::Request put = table.NewRequest();
    put.item = RecordItem(key, fingerprint, token, lease_until);
    put.condition = "attribute_not_exists(" + put.Name(dynamodb::kIdAttribute) + ") OR " +
                    put.Name(kExpiresAt) + " <= " + put.Value("now", AttributeValue::N(now));
    CallResult answer = co_await dynamodb::Call(table.client, "PutItem", put);
    if (answer.ok()) co_return IdempotencyClaim{Outcome::kClaimed, token, {}};
    switch (answer.error().kind) {
      case DynamoDbFailure::kConditionFailed:  // a live record holds the key, or this put's
      case DynamoDbFailure::kOutcomeUnknown:   // own lost attempt stored it: the item tells
        break;
      default:
        co_return dynamodb::StoreError(answer.error());
    }
    Result<std::optional<Item>> stored =
        co_await dynamodb::GetItem(table.client, table.name, dynamodb::Key(kIdempotencyType, key));
    if (!stored.ok()) co_return std::move(stored).error();
    if (*stored && dynamodb::IntegerAttribute(**stored, kExpiresAt).value_or(0) > now) {
      co_return ReadClaim(**stored, fingerprint, token);
    }
  }
  co_return Error::Unavailable("The idempotency key could not be claimed; retry shortly");
}

// A write conditioned on the claim still being `token`'s: a lost claim is left alone.
Task<Ok> WriteIfClaimed(Table table, std::string operation, dynamodb::Request request,
                        std::string token) {
  request.condition =
      request.Name(kToken) + " = " + request.Value("token", AttributeValue::S(token));
  CallResult answer = co_await dynamodb::Call(table.client, operation, request);
  if (answer.ok()) co_return Ok{};
  switch (answer.error().kind) {
    case DynamoDbFailure::kConditionFailed:  // the claim was lost, or an earlier attempt of
    case DynamoDbFailure::kOutcomeUnknown:   // this write already landed: nothing to do
      co_return Ok{};
    default:
      co_return dynamodb::StoreError(answer.error());
  }
}

}  // namespace

DynamoDbIdempotencyStore::DynamoDbIdempotencyStore(DynamoDbClient& client, std::string table)
    : client_(client), table_(std::move(table)) {}

void DynamoDbIdempotencyStore::Claim(std::string key, std::string fingerprint, int64_t now,
                                     int64_t lease_until, Done<IdempotencyClaim> done) {
  dynamodb::Start(
      ClaimKey(Table{client_, table_}, std::move(key), std::move(fingerprint), now, lease_until),
      std::move(done));
}

void DynamoDbIdempotencyStore::Keep(std::string key, std::string token, KeptAnswer answer,
                                    int64_t keep_until, Done<Ok> done) {
  Table table{client_, table_};
  dynamodb::Request update = table.NewRequest();
  // An update, not a put: the claim's fingerprint and token stay as they are.
  update.key = dynamodb::Key(kIdempotencyType, key);
  std::string set;
  auto assign = [&update, &set](const char* attribute, AttributeValue value) {
    set += set.empty() ? "SET " : ", ";
    set += update.Name(attribute) + " = " + update.Value(attribute, value);
  };
  assign(kStatus, AttributeValue::N(answer.status));
  assign(kHeaders, AttributeValue::S(EncodeKeptHeaders(answer.headers)));
  assign(kBody, AttributeValue::S(std::move(answer.body)));
  assign(kExpiresAt, AttributeValue::N(keep_until));
  assign(kTimeToLiveAttribute, AttributeValue::N(TimeToLiveSeconds(keep_until)));
  update.update = std::move(set);
  dynamodb::Start(
      WriteIfClaimed(std::move(table), "UpdateItem", std::move(update), std::move(token)),
      std::move(done));
}

void DynamoDbIdempotencyStore::Release(std::string key, std::string token, Done<Ok> done) {
  Table table{client_, table_};
  dynamodb::Request erase = table.NewRequest();
  erase.key = dynamodb::Key(kIdempotencyType, key);
  dynamodb::Start(
      WriteIfClaimed(std::move(table), "DeleteItem", std::move(erase), std::move(token)),
      std::move(done));
}

}  // namespace pcustomer
