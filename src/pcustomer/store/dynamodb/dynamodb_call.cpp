#include "pcustomer/store/dynamodb/dynamodb_call.hpp"

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <set>
#include <string>
#include <utility>

namespace pcustomer::dynamodb {

Error StoreError(const DynamoDbCallError& error) {
  constexpr const char* kMessage = "The store is unavailable; retry shortly";
  const int retry_after = error.retry_after_seconds > 0 ? error.retry_after_seconds : 1;
  switch (error.kind) {
    case DynamoDbFailure::kInternal:
      return Error::Internal(error.message);
    case DynamoDbFailure::kValidation:
    case DynamoDbFailure::kUnknownOperation:
      return Error::Unavailable(kMessage, "DynamoDB refused the request: " + error.message,
                                retry_after);
    case DynamoDbFailure::kConditionFailed:
    case DynamoDbFailure::kOutcomeUnknown:
      return Error::Unavailable("Store unavailable: a concurrent change interfered; retry",
                                error.message, 1);
    case DynamoDbFailure::kThrottled:
    case DynamoDbFailure::kTableMissing:
    case DynamoDbFailure::kUnavailable:
      break;
  }
  return Error::Unavailable(kMessage, error.message, retry_after);
}

boost::asio::awaitable<DynamoDbResult> Send(DynamoDbClient& client, std::string_view operation,
                                            std::string request_json) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(DynamoDbResult)>(
      [&client, operation](auto resume, std::string body) {
        // DynamoDbDone is copyable and the coroutine's handler is not: the copies share it.
        auto shared = std::make_shared<decltype(resume)>(std::move(resume));
        client.Call(operation, std::move(body), [shared](DynamoDbResult answer) {
          auto result = std::make_shared<DynamoDbResult>(std::move(answer));
          ResumeWithoutNesting([shared, result] { (*shared)(std::move(*result)); });
        });
      },
      boost::asio::use_awaitable, std::move(request_json));
}

Task<Response, DynamoDbCallError> Call(DynamoDbClient& client, std::string_view operation,
                                       const Request& request) {
  DynamoDbResult answer = co_await Send(client, operation, ToJson(request));
  if (!answer.ok()) co_return std::move(answer).error();
  Result<Response> parsed = ParseResponse(*answer);
  if (!parsed.ok()) co_return DynamoDbCallError::Unavailable(parsed.error().message);
  co_return std::move(parsed).value();
}

Task<std::optional<Item>> GetItem(DynamoDbClient& client, std::string table, Item key) {
  Request request;
  request.table = std::move(table);
  request.key = std::move(key);
  request.consistent_read = true;
  CallResult answer = co_await Call(client, "GetItem", request);
  if (!answer.ok()) co_return StoreError(answer.error());
  co_return std::move(answer->item);
}

Task<QueryResult> QueryAll(DynamoDbClient& client, Request request, int max_pages) {
  QueryResult result;
  for (int page = 0; page < max_pages; ++page) {
    CallResult answer = co_await Call(client, "Query", request);
    if (!answer.ok()) co_return StoreError(answer.error());
    if (answer->items) {
      for (Item& item : *answer->items) result.items.push_back(std::move(item));
    }
    result.count += answer->count.value_or(0);
    if (!answer->last_evaluated_key) co_return std::move(result);
    request.exclusive_start_key = std::move(answer->last_evaluated_key);
  }
  co_return Error::Unavailable("Store unavailable: a Query does not advance");
}

constexpr int kFilteredQuerySlice = 200;

Task<QueryPage> QueryOneAhead(DynamoDbClient& client, Request request, int limit) {
  const size_t wanted = static_cast<size_t>(limit) + 1;
  QueryPage page;
  // Without a filter a Query answers at least one item per call unless the partition ends, so
  // a page of at most 101 items never needs more calls than this.
  for (int round = 0; round < 256; ++round) {
    // A filter may skip most items read: each call then reads a larger slice.
    request.limit =
        request.filter.empty() ? static_cast<int>(wanted - page.items.size()) : kFilteredQuerySlice;
    CallResult answer = co_await Call(client, "Query", request);
    if (!answer.ok()) co_return StoreError(answer.error());
    if (answer->items) {
      for (Item& item : *answer->items) {
        if (page.items.size() < wanted) page.items.push_back(std::move(item));
      }
    }
    if (page.items.size() >= wanted || !answer->last_evaluated_key) {
      page.more = page.items.size() > static_cast<size_t>(limit);
      if (page.more) page.items.resize(static_cast<size_t>(limit));
      co_return std::move(page);
    }
    request.exclusive_start_key = std::move(answer->last_evaluated_key);
  }
  co_return Error::Unavailable("Store unavailable: a Query does not advance");
}

Task<Ok, DynamoDbCallError> TransactWrite(DynamoDbClient& client,
                                          const TransactWriteRequest& request) {
  if (request.items.empty() || request.items.size() > kMaxTransactItems) {
    co_return DynamoDbCallError::Internal(
        "a transaction of " + std::to_string(request.items.size()) + " items (1 to 100 allowed)");
  }
  DynamoDbResult answer = co_await Send(client, "TransactWriteItems", ToJson(request));
  if (!answer.ok()) co_return std::move(answer).error();
  if (Result<Response> parsed = ParseResponse(*answer); !parsed.ok()) {
    co_return DynamoDbCallError::Unavailable(parsed.error().message);
  }
  co_return Ok{};
}

namespace {

// Text that two keys share exactly when they are equal (each value's length before it).
std::string KeyText(const Item& key) {
  std::string text;
  for (const auto& [name, value] : key) {
    text += name;
    text += '\0';
    text += std::to_string(static_cast<int>(value.type));
    text += '\0';
    text += std::to_string(value.text.size());
    text += '\0';
    text += value.text;
  }
  return text;
}

}  // namespace

Task<std::vector<Item>> BatchGetAll(DynamoDbClient& client, std::string table,
                                    KeysAndAttributes read, int max_stalls) {
  std::vector<Item> pending;
  std::set<std::string> seen;
  for (Item& key : read.keys) {
    if (seen.insert(KeyText(key)).second) pending.push_back(std::move(key));
  }
  read.keys.clear();
  std::vector<Item> found;
  int stalls = 0;
  while (!pending.empty()) {
    const size_t count = std::min(pending.size(), kMaxBatchGetKeys);
    BatchGetRequest request;
    KeysAndAttributes& batch = request.tables[table] = read;
    batch.keys.assign(std::make_move_iterator(pending.end() - static_cast<std::ptrdiff_t>(count)),
                      std::make_move_iterator(pending.end()));
    pending.resize(pending.size() - count);

    DynamoDbResult answer = co_await Send(client, "BatchGetItem", ToJson(request));
    if (!answer.ok()) co_return StoreError(answer.error());
    Result<BatchGetResponse> parsed = ParseBatchGetResponse(*answer);
    if (!parsed.ok()) co_return std::move(parsed).error();
    size_t answered = count;
    if (auto items = parsed->responses.find(table); items != parsed->responses.end()) {
      for (Item& item : items->second) found.push_back(std::move(item));
    }
    if (auto left = parsed->unprocessed_keys.find(table); left != parsed->unprocessed_keys.end()) {
      answered -= std::min(answered, left->second.keys.size());
      for (Item& key : left->second.keys) pending.push_back(std::move(key));
    }
    stalls = answered == 0 ? stalls + 1 : 0;
    if (stalls >= max_stalls) {
      co_return Error::Unavailable("Store unavailable: a BatchGetItem does not advance");
    }
  }
  co_return std::move(found);
}

}  // namespace pcustomer::dynamodb
