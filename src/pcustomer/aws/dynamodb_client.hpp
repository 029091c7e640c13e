#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "pcustomer/aws/dynamodb_call_error.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// The response document of one call, or why the call failed.
using DynamoDbResult = Result<std::string, DynamoDbCallError>;
// Completion of a call; as Done, it may run on any thread and must not block.
using DynamoDbDone = std::function<void(DynamoDbResult)>;

// The DynamoDB JSON protocol (POST /, X-Amz-Target: DynamoDB_20120810.<operation>,
// Content-Type: application/x-amz-json-1.0), signed with SigV4.
//
// Call sends one operation with its request document and answers the response document.
// Failures are DynamoDbCallErrors (dynamodb_call_error.hpp says when each kind occurs):
// a failed condition (kConditionFailed, or kOutcomeUnknown for a retried write) is never
// retried, since the caller decides what it means; throttling, 5xx, timeouts and network
// failures are retried with exponential backoff and full jitter, at most three attempts in
// all, and then answer kThrottled or kUnavailable with a retry-after. `done` runs on the
// client's own thread. Thread-safe.
class DynamoDbClient {
 public:
  virtual ~DynamoDbClient() = default;
  virtual void Call(std::string_view operation, std::string request_json, DynamoDbDone done) = 0;
};

}  // namespace pcustomer
