#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/dynamodb/coroutine.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"

namespace pcustomer::dynamodb {

// True for the failure DynamoDbClient reports when a write's condition did not hold. What it
// means (id taken, item missing, claim held, our own retried write already applied) is for
// each caller to decide.
bool IsConditionFailed(const Error& error);

// A client failure as the stores report it. kUnavailable stays. kBadRequest becomes
// kUnavailable: every value this service sends is checked before it gets here (ids by
// IsCustomerId, fields by validation, sizes far below the item limit), so a refusal means a
// table or endpoint that does not fit (wrong key schema, a missing feature): an operator's
// problem that a 400 would blame on the client and a 500 would call a bug. Everything else
// (including an unexpected failed condition) becomes kUnavailable too, except kInternal.
Error StoreError(Error error);

// The client's answer to one operation, awaited: DynamoDbClient::Call as a coroutine step.
boost::asio::awaitable<Result<std::string>> Send(DynamoDbClient& client, std::string_view operation,
                                                 std::string request_json);

// Sends one item operation and parses its answer. A failed condition is passed on as
// IsConditionFailed; every other failure goes through StoreError.
Task<Response> Call(DynamoDbClient& client, std::string_view operation, const Request& request);

// A GetItem with ConsistentRead of `key` in `table`: the item, or none.
Task<std::optional<Item>> GetItem(DynamoDbClient& client, std::string table, Item key);

// Every page of a Query: the items of all pages (none with Select COUNT) and the sum of
// their counts.
struct QueryResult {
  std::vector<Item> items;
  int64_t count = 0;
};

// Runs `request` (a Query) page after page, following LastEvaluatedKey until the last page.
// kUnavailable when it does not advance within `max_pages` calls.
Task<QueryResult> QueryAll(DynamoDbClient& client, Request request, int max_pages = 100000);

}  // namespace pcustomer::dynamodb
