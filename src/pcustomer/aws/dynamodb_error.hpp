#pragma once

#include <string_view>

#include "pcustomer/aws/dynamodb_call_error.hpp"
#include "pcustomer/aws/http_message.hpp"

namespace pcustomer {

// What a DynamoDB answer other than 200 means to the caller, and whether another attempt
// may succeed.
struct DynamoDbAnswerError {
  DynamoDbCallError error;
  // Throttling, 5xx: the same request may succeed later.
  bool retryable = false;
  // The service may have carried the request out before failing (a 5xx): a retried write
  // can then find its own earlier effect.
  bool outcome_unknown = false;
};

// Maps by the exception name (AwsErrorType):
// - ConditionalCheckFailedException -> kConditionFailed "ConditionalCheckFailedException";
//   TransactionCanceledException -> kConditionFailed "TransactionCanceledException" with one
//   cancellation code per transaction item (e.g. "None", "ConditionalCheckFailed");
// - ProvisionedThroughputExceededException, ThrottlingException, RequestLimitExceeded ->
//   retryable kThrottled;
// - InternalServerError, ServiceUnavailable, any 5xx -> retryable kUnavailable;
// - ResourceNotFoundException -> kTableMissing "DynamoDB table \"<table>\" not found";
// - credentials refused (UnrecognizedClientException, InvalidSignatureException,
//   AccessDeniedException, MissingAuthenticationToken, ExpiredTokenException, ...) ->
//   kUnavailable naming the ways to configure credentials (the service's own text is left
//   out: it can hold the account's ARNs and the canonical request);
// - ValidationException, ItemCollectionSizeLimitExceededException and any other 4xx ->
//   kValidation with the service's message;
// - anything else (3xx, 1xx) -> kUnavailable.
// `table` names the table in messages; it comes from the request.
DynamoDbAnswerError DynamoDbErrorFor(const HttpResponse& response, std::string_view table);

// The message of the exception that every failed-condition answer carries.
inline constexpr std::string_view kConditionalCheckFailed = "ConditionalCheckFailedException";

}  // namespace pcustomer
