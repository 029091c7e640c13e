#include "pcustomer/store/dynamodb/dynamodb_call.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
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

}  // namespace pcustomer::dynamodb
