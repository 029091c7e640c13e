#pragma once

#include <string>
#include <utility>
#include <vector>

namespace pcustomer {

// Why a DynamoDB call failed, in the terms a caller acts on. The kinds are the client's, not
// the domain's: what a failed condition means (id taken, item gone, our own write already
// applied) only the caller knows, so the client reports what happened and the store decides
// at each call site what it means for its operation.
enum class DynamoDbFailure {
  // A condition did not hold and nothing was written: ConditionalCheckFailedException, or a
  // TransactionCanceledException (with cancellation_codes). Never retried: retrying cannot
  // change the condition, and the caller may have to read the item to learn what it means.
  kConditionFailed,
  // A write's condition failed after an earlier attempt of the same write went unanswered
  // (a timeout, a lost connection, a 5xx): that attempt may have been applied and the failure
  // may be the write's own effect. Separate from kConditionFailed because the caller must
  // look whether the item holds its write before calling it a conflict. Reads never get it.
  kOutcomeUnknown,
  // DynamoDB refused the request as it stands (ValidationException, an item over 400 KB,
  // ResourceInUseException, any other 4xx that retrying cannot fix). `message` is DynamoDB's.
  kValidation,
  // DynamoDB was still throttling (ProvisionedThroughputExceededException, ThrottlingException,
  // RequestLimitExceeded) when the retries were spent. Nothing was written.
  kThrottled,
  // The endpoint does not know the operation (UnknownOperationException): a DynamoDB-compatible
  // store that lacks it, such as dynalite, which has no TransactWriteItems. A kind of its own
  // so that a caller can fall back to the operations the endpoint has.
  kUnknownOperation,
  // The table the request names does not exist (ResourceNotFoundException). A kind of its own
  // so that checking a table need not read the message.
  kTableMissing,
  // No usable answer: 5xx, timeouts or network failures once the retries were spent, an
  // answer of an unexpected kind, credentials that are missing or refused, or a client that
  // was stopped. A write may or may not have been applied.
  kUnavailable,
  // The request could not be sent at all: not an operation name, an endpoint URL that cannot
  // be signed or sent to, a failure inside the HTTP client. A bug or a broken setting, which
  // no retry fixes.
  kInternal,
};

// A failed DynamoDB call.
struct DynamoDbCallError {
  DynamoDbFailure kind = DynamoDbFailure::kUnavailable;
  // What DynamoDB or the client said: for logs, never for clients, since it can describe
  // internals (table names, the endpoint).
  std::string message;
  // For kThrottled and kUnavailable: when a retry may succeed; 0 = not set.
  int retry_after_seconds = 0;
  // For a TransactionCanceledException: one code per item of the transaction, in request
  // order ("None", "ConditionalCheckFailed", "TransactionConflict", ...). A transaction is
  // cancelled as a whole, so like a failed condition nothing was written; which item failed
  // and why is only in these codes (a "TransactionConflict" or "ThrottlingError" item means
  // no condition failed and a later attempt may succeed), and a caller of TransactWriteItems
  // must read them. Empty for every other failure.
  std::vector<std::string> cancellation_codes = {};

  static DynamoDbCallError ConditionFailed(std::string message,
                                           std::vector<std::string> cancellation_codes = {}) {
    return {DynamoDbFailure::kConditionFailed, std::move(message), 0,
            std::move(cancellation_codes)};
  }
  static DynamoDbCallError Validation(std::string message) {
    return {DynamoDbFailure::kValidation, std::move(message)};
  }
  static DynamoDbCallError UnknownOperation(std::string message) {
    return {DynamoDbFailure::kUnknownOperation, std::move(message)};
  }
  static DynamoDbCallError Throttled(std::string message, int retry_after_seconds = 1) {
    return {DynamoDbFailure::kThrottled, std::move(message), retry_after_seconds};
  }
  static DynamoDbCallError TableMissing(std::string message) {
    return {DynamoDbFailure::kTableMissing, std::move(message), 1};
  }
  static DynamoDbCallError Unavailable(std::string message, int retry_after_seconds = 1) {
    return {DynamoDbFailure::kUnavailable, std::move(message), retry_after_seconds};
  }
  static DynamoDbCallError Internal(std::string message) {
    return {DynamoDbFailure::kInternal, std::move(message)};
  }
};

}  // namespace pcustomer
