#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"

// TransactWriteItems as plain values, written and read like the item operations
// (dynamodb_json.hpp): up to kMaxTransactItems writes and condition checks that DynamoDB
// applies all or none of.
namespace pcustomer::dynamodb {

// DynamoDB's limit on the items of one transaction.
inline constexpr size_t kMaxTransactItems = 100;

enum class TransactAction { kPut, kUpdate, kDelete, kConditionCheck };

// One item of a transaction. `request` holds what that item sends, with its own
// placeholders: table and item (kPut) or key (the others), condition (required for
// kConditionCheck), update (kUpdate only), names and values. Its other fields are not part
// of a transaction item and are left out of the JSON.
struct TransactItem {
  TransactAction action = TransactAction::kPut;
  Request request;

  bool operator==(const TransactItem&) const = default;
};

struct TransactWriteRequest {
  std::vector<TransactItem> items;
  // Makes a retried transaction idempotent: DynamoDB answers a repeat of the same request
  // with the same token (within 10 minutes) as a success without applying it again, and a
  // different request with that token with IdempotentParameterMismatchException. Empty:
  // none sent.
  std::string client_request_token;

  bool operator==(const TransactWriteRequest&) const = default;
};

std::string ToJson(const TransactWriteRequest& request);
// The transaction a JSON document describes; kBadRequest when it is malformed or has a field
// the model does not have (used by the in-memory DynamoDB of the tests).
Result<TransactWriteRequest> ParseTransactWriteRequest(std::string_view json);

}  // namespace pcustomer::dynamodb
