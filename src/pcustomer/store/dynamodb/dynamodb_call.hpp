#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/dynamodb/coroutine.hpp"
#include "pcustomer/store/dynamodb/dynamodb_batch_get.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"
#include "pcustomer/store/dynamodb/dynamodb_transact.hpp"

namespace pcustomer::dynamodb {

// The store's Error for a call error that its call site gives no meaning of its own (a
// failed condition that one site expects, e.g. "id taken", is that site's to translate):
//  - kValidation -> kUnavailable. Every value this service sends is checked before it gets
//    here (ids by IsCustomerId, fields by validation, sizes far below the item limit), so a
//    refusal means a table or endpoint that does not fit (wrong key schema, a missing
//    feature): an operator's problem that a 400 would blame on the client and a 500 would
//    call a bug;
//  - kThrottled, kUnavailable, kTableMissing -> kUnavailable with a retry-after;
//  - kConditionFailed, kOutcomeUnknown (a condition the site did not expect to fail) ->
//    kUnavailable: a concurrent change interfered, and a retry may succeed;
//  - kInternal -> kInternal (a bug or a broken setting).
// Clients read only that the store is unavailable; DynamoDB's and the client's words go to
// `detail`, for the log.
Error StoreError(const DynamoDbCallError& error);

// The client's answer to one operation, awaited: DynamoDbClient::Call as a coroutine step.
boost::asio::awaitable<DynamoDbResult> Send(DynamoDbClient& client, std::string_view operation,
                                            std::string request_json);

// What Call answers.
using CallResult = Result<Response, DynamoDbCallError>;

// Sends one item operation and parses its answer. Every failure comes back as the client's
// DynamoDbCallError, for the call site to act on (a failed condition) or to hand to
// StoreError; an answer that does not parse is kUnavailable.
Task<Response, DynamoDbCallError> Call(DynamoDbClient& client, std::string_view operation,
                                       const Request& request);

// A GetItem with ConsistentRead of `key` in `table`: the item, or none. A read has no
// condition, so every failure goes through StoreError here (and in QueryAll).
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

// A page of `request` (a Query without a filter): up to `limit` items, and whether another
// follows, read one item ahead. Follows LastEvaluatedKey only where DynamoDB's 1 MB bound cut
// a page short; kUnavailable when that does not end within 256 calls.
struct QueryPage {
  std::vector<Item> items;
  bool more = false;
};
Task<QueryPage> QueryOneAhead(DynamoDbClient& client, Request request, int limit);

// Sends one TransactWriteItems: Ok when every item was applied. Every failure comes back as
// the client's DynamoDbCallError, for the call site to read: a cancelled transaction is
// kConditionFailed (kOutcomeUnknown after a lost attempt) with one cancellation code per
// item in request order ("None", "ConditionalCheckFailed", or "TransactionConflict" and the
// like, which name no failed condition), and nothing of it was written. kInternal, before
// anything is sent, for no items or more than kMaxTransactItems (the caller's bug).
Task<Ok, DynamoDbCallError> TransactWrite(DynamoDbClient& client,
                                          const TransactWriteRequest& request);

// Reads the items of `read.keys` in `table` with BatchGetItem: at most kMaxBatchGetKeys keys
// per call (a key given twice is asked once: DynamoDB refuses duplicates), asking again for
// the UnprocessedKeys of each answer until every key was answered. Answers the items found,
// in no particular order; a key without an item adds nothing. Failures go through
// StoreError; kUnavailable when `max_stalls` calls in a row answer nothing but unprocessed
// keys (the client's backoff covers throttling errors, not keys left over).
Task<std::vector<Item>> BatchGetAll(DynamoDbClient& client, std::string table,
                                    KeysAndAttributes read, int max_stalls = 10);

}  // namespace pcustomer::dynamodb
