#include "pcustomer/store/dynamodb/phone_claims.hpp"

#include <utility>

#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer::dynamodb {
namespace {

// Claims change hands rarely: the bound only stops a runaway loop.
constexpr int kMaxClaimAttempts = 8;

// Attributes of a claim item.
constexpr const char* kCustomerIdAttr = "customerId";
constexpr const char* kClaimedAt = "claimedAt";
constexpr const char* kClaimToken = "claimToken";

Item ClaimKey(std::string_view phone) {
  return Key(kPhoneClaimType, std::string(kPhoneClaimPrefix) + std::string(phone));
}

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

// Whether the customer `customer_id` holds `phone`; an id that is not a customer id names
// nobody.
Task<bool> HoldsPhone(ContextPtr context, std::string customer_id, std::string phone) {
  if (!IsCustomerId(customer_id)) co_return false;
  Result<std::optional<Item>> holder = co_await GetItem(context, CustomerKey(customer_id));
  if (!holder.ok()) co_return std::move(holder).error();
  co_return holder->has_value() && ReadCustomer(**holder).phone == phone;
}

// Writes a claim of `phone` for `customer_id`: a new one (attribute_not_exists), or one
// replacing the version `replacing` that was read. Answers the claim written, or kConflict
// naming the holder. When the write's condition fails, looks at the claim to decide whether
// it is ours (our own write, applied by an attempt whose answer was lost), ours to refresh or
// take over, or held by another customer.
Task<Claim> WriteClaim(ContextPtr context, std::string phone, std::string customer_id,
                       std::optional<Claim> replacing) {
  for (int attempt = 0; attempt < kMaxClaimAttempts; ++attempt) {
    Claim claim = NewClaim(context, customer_id);
    Request request = context->NewRequest();
    request.item = ClaimItem(phone, claim);
    request.condition = replacing ? ClaimVersionCondition(request, *replacing)
                                  : "attribute_not_exists(" + request.Name(kIdAttribute) + ")";
    CallResult written = co_await Call(context->client, "PutItem", request);
    if (written.ok()) co_return claim;
    switch (written.error().kind) {
      case DynamoDbFailure::kConditionFailed:  // claimed or changed by another writer, or
      case DynamoDbFailure::kOutcomeUnknown:   // by this write's own lost attempt: read it
        break;
      default:
        co_return StoreError(written.error());
    }
    if (attempt + 1 >= kMaxClaimAttempts) break;

    Result<std::optional<Claim>> read = co_await GetClaim(context, phone);
    if (!read.ok()) co_return std::move(read).error();
    if (!read->has_value()) {
      replacing.reset();  // released meanwhile: claim it afresh
      continue;
    }
    Claim held = std::move(**read);
    if (held.token == claim.token) co_return held;
    if (held.customer_id != customer_id) {
      Result<bool> holds_phone = co_await HoldsPhone(context, held.customer_id, phone);
      if (!holds_phone.ok()) co_return std::move(holds_phone).error();
      const bool recent = context->clock() - held.claimed_at < context->claim_grace_millis;
      if (*holds_phone || recent) co_return Error::PhoneTaken(held.customer_id);
      // Otherwise it is left over from a write sequence that never finished: take it over.
    }
    // Ours from an earlier write, or abandoned. Rewriting an own claim changes its token,
    // which stops a take-over decided on the version before (our customer may not hold the
    // phone yet, so the claim may look stale to others).
    replacing = std::move(held);
  }
  co_return Error::Unavailable("Store unavailable: the phone claim keeps changing; retry");
}

// A conditional DeleteItem of a claim; a failed condition means the claim is not ours to
// delete any more, which counts as done.
Task<Ok> DeleteClaim(ContextPtr context, Request request) {
  CallResult answer = co_await Call(context->client, "DeleteItem", request);
  if (answer.ok()) co_return Ok{};
  switch (answer.error().kind) {
    case DynamoDbFailure::kConditionFailed:  // not ours any more, or already deleted by
    case DynamoDbFailure::kOutcomeUnknown:   // this delete's own lost attempt
      co_return Ok{};
    default:
      co_return StoreError(answer.error());
  }
}

}  // namespace

Task<std::optional<Claim>> GetClaim(ContextPtr context, std::string phone) {
  Result<std::optional<Item>> item = co_await GetItem(context, ClaimKey(phone));
  if (!item.ok()) co_return std::move(item).error();
  if (!item->has_value()) co_return std::optional<Claim>();
  co_return std::optional<Claim>(ReadClaim(**item));
}

Task<Claim> AcquireClaim(ContextPtr context, std::string phone, std::string customer_id) {
  return WriteClaim(std::move(context), std::move(phone), std::move(customer_id), std::nullopt);
}

Task<Claim> MoveClaim(ContextPtr context, std::string phone, std::string customer_id, Claim held) {
  return WriteClaim(std::move(context), std::move(phone), std::move(customer_id), std::move(held));
}

TransactItem ClaimStillHeld(const ContextPtr& context, std::string_view phone, const Claim& claim) {
  TransactItem check{TransactAction::kConditionCheck, context->NewRequest()};
  check.request.key = ClaimKey(phone);
  check.request.condition = ClaimVersionCondition(check.request, claim);
  return check;
}

Task<Ok> ReleaseClaim(ContextPtr context, std::string phone, Claim claim) {
  Request request = context->NewRequest();
  request.key = ClaimKey(phone);
  request.condition = ClaimVersionCondition(request, claim);
  return DeleteClaim(std::move(context), std::move(request));
}

Task<Ok> ReleaseClaimOf(ContextPtr context, std::string phone, std::string customer_id) {
  Request request = context->NewRequest();
  request.key = ClaimKey(phone);
  request.condition = request.Name(kCustomerIdAttr) + " = " +
                      request.Value("customerId", AttributeValue::S(std::move(customer_id)));
  return DeleteClaim(std::move(context), std::move(request));
}

}  // namespace pcustomer::dynamodb
