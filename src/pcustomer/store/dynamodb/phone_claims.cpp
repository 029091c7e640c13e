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
                 return done(Error::PhoneTaken(held.customer_id));
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
                                : "attribute_not_exists(" + request.Name(kIdAttribute) + ")";
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

}  // namespace

void GetClaim(const ContextPtr& context, std::string_view phone, Done<std::optional<Claim>> done) {
  GetItem(context, ClaimKey(phone), [done = std::move(done)](Result<std::optional<Item>> item) {
    if (!item.ok()) return done(std::move(item).error());
    if (!item->has_value()) return done(std::optional<Claim>());
    done(std::optional<Claim>(ReadClaim(**item)));
  });
}

void AcquireClaim(const ContextPtr& context, std::string phone, std::string customer_id,
                  Done<Claim> done) {
  WriteClaim(context, std::move(phone), std::move(customer_id), std::nullopt, 0, std::move(done));
}

void MoveClaim(const ContextPtr& context, std::string phone, std::string customer_id, Claim held, Done<Claim> done) {
  WriteClaim(context, std::move(phone), std::move(customer_id), std::move(held), 0, std::move(done));
}

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

}  // namespace pcustomer::dynamodb
