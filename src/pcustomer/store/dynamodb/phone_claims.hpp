#pragma once

// The phone claims that keep phones unique on DynamoDB, which has no unique index: an item
// `type = "phone_claim"`, `id = "PHONE#<phone>"` naming the customer that holds the phone,
// written before the customer and deleted after it. A claim whose customer does not hold the
// phone is respected for the grace period (its writer may still be busy) and may be taken
// over after it. Private to store/dynamodb.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/dynamodb/coroutine.hpp"
#include "pcustomer/store/dynamodb/dynamodb_transact.hpp"
#include "pcustomer/store/dynamodb/store_context.hpp"

namespace pcustomer::dynamodb {

// A phone claim as read or written. `token` changes with every write of the claim, so a
// conditional write on it succeeds only against the version that was looked at.
struct Claim {
  std::string customer_id;
  int64_t claimed_at = 0;
  std::string token;
};

// Each takes its arguments by value: a coroutine keeps them while it waits.

// The claim of `phone`, if any.
Task<std::optional<Claim>> GetClaim(ContextPtr context, std::string phone);

// Claims `phone` for `customer_id`: answers the claim written, or kConflict naming the holder
// (Error::PhoneTaken).
Task<Claim> AcquireClaim(ContextPtr context, std::string phone, std::string customer_id);

// Rewrites the claim `held` (the version read or written last) of `phone` so that it names
// `customer_id`, e.g. when a create moves on to another id; kConflict as AcquireClaim.
Task<Claim> MoveClaim(ContextPtr context, std::string phone, std::string customer_id, Claim held);

// The check, for a transaction, that the claim of `phone` is still the version `claim`.
TransactItem ClaimStillHeld(const ContextPtr& context, std::string_view phone, const Claim& claim);

// Deletes the claim of `phone` when it is still the version `claim`. A claim that changed
// hands is not ours to delete, so a failed condition counts as done.
Task<Ok> ReleaseClaim(ContextPtr context, std::string phone, Claim claim);

// Deletes the claim of `phone` when it names `customer_id`, whatever its version.
Task<Ok> ReleaseClaimOf(ContextPtr context, std::string phone, std::string customer_id);

}  // namespace pcustomer::dynamodb
