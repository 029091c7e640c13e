#include "pcustomer/store/dynamodb/dynamodb_call.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <string>
#include <utility>

namespace pcustomer::dynamodb {

bool IsConditionFailed(const Error& error) { return error.code == ErrorCode::kConflict; }

Error StoreError(Error error) {
  // DynamoDB's and the HTTP client's words stay in the log: clients learn only that the
  // store is unavailable.
  constexpr const char* kMessage = "The store is unavailable; retry shortly";
  const int retry_after = error.retry_after_seconds > 0 ? error.retry_after_seconds : 1;
  switch (error.code) {
    case ErrorCode::kInternal:
      return error;
    case ErrorCode::kBadRequest:
      return Error::Unavailable(kMessage, "DynamoDB refused the request: " + error.message, retry_after);
    case ErrorCode::kConflict:
      return Error::Unavailable("Store unavailable: a concurrent change interfered; retry");
    default:
      // In place, so that the reasons (an outcome-unknown mark) stay with it.
      error.detail = error.Described();
      error.code = ErrorCode::kUnavailable;
      error.message = kMessage;
      error.retry_after_seconds = retry_after;
      return error;
  }
}

boost::asio::awaitable<Result<std::string>> Send(DynamoDbClient& client, std::string_view operation,
                                                 std::string request_json) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(Result<std::string>)>(
      [&client, operation](auto resume, std::string body) {
        // Done is copyable and the coroutine's handler is not: the copies share it.
        auto shared = std::make_shared<decltype(resume)>(std::move(resume));
        client.Call(operation, std::move(body), [shared](Result<std::string> answer) {
          auto result = std::make_shared<Result<std::string>>(std::move(answer));
          ResumeWithoutNesting([shared, result] { (*shared)(std::move(*result)); });
        });
      },
      boost::asio::use_awaitable, std::move(request_json));
}

Task<Response> Call(DynamoDbClient& client, std::string_view operation, const Request& request) {
  Result<std::string> answer = co_await Send(client, operation, ToJson(request));
  if (!answer.ok()) {
    Error error = std::move(answer).error();
    co_return IsConditionFailed(error) ? std::move(error) : StoreError(std::move(error));
  }
  co_return ParseResponse(*answer);
}

Task<std::optional<Item>> GetItem(DynamoDbClient& client, std::string table, Item key) {
  Request request;
  request.table = std::move(table);
  request.key = std::move(key);
  request.consistent_read = true;
  Result<Response> answer = co_await Call(client, "GetItem", request);
  if (!answer.ok()) co_return std::move(answer).error();
  co_return std::move(answer->item);
}

Task<QueryResult> QueryAll(DynamoDbClient& client, Request request, int max_pages) {
  QueryResult result;
  for (int page = 0; page < max_pages; ++page) {
    Result<Response> answer = co_await Call(client, "Query", request);
    if (!answer.ok()) co_return std::move(answer).error();
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
