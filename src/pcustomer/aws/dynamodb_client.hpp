#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// The DynamoDB JSON protocol (POST /, X-Amz-Target: DynamoDB_20120810.<operation>,
// Content-Type: application/x-amz-json-1.0), signed with SigV4.
//
// Call sends one operation with its request document and answers the response document.
// Failures:
//  - kConflict with message "ConditionalCheckFailedException" when a condition failed
//    (never retried: the caller decides what a failed condition means);
//  - kBadRequest with the service's message for ValidationException and other client
//    errors that retrying cannot fix (e.g. an item over 400 KB);
//  - kUnavailable (with a Retry-After) for throttling, 5xx, timeouts and network failures
//    once the retries are spent, for a missing table (ResourceNotFoundException) and for
//    credentials that are missing or refused.
// Retryable failures are retried with exponential backoff and full jitter, at most three
// attempts in all. `done` runs on the client's own thread. Thread-safe.
class DynamoDbClient {
 public:
  virtual ~DynamoDbClient() = default;
  virtual void Call(std::string_view operation, std::string request_json, Done<std::string> done) = 0;
};

// A retried write may have been applied by an attempt whose answer was lost; its own effect
// then fails its condition. Such a kConflict carries this reason, and the caller must check
// whether the item already holds its write before calling it a conflict.
inline constexpr std::string_view kOutcomeUnknownSource = "dynamodb";
inline constexpr std::string_view kOutcomeUnknownReason = "an earlier attempt of this write may have been applied";

inline bool OutcomeWasUnknown(const Error& error) {
  return error.code == ErrorCode::kConflict &&
         std::any_of(error.reasons.begin(), error.reasons.end(), [](const Reason& reason) {
           return reason.source == kOutcomeUnknownSource && reason.desc == kOutcomeUnknownReason;
         });
}

}  // namespace pcustomer
