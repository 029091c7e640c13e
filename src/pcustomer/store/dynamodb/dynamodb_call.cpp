#include "pcustomer/store/dynamodb/dynamodb_call.hpp"

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

void Call(DynamoDbClient& client, std::string_view operation, const Request& request,
          Done<Response> done) {
  client.Call(operation, ToJson(request), [done = std::move(done)](Result<std::string> answer) {
    if (!answer.ok()) {
      Error error = std::move(answer).error();
      done(IsConditionFailed(error) ? std::move(error) : StoreError(std::move(error)));
      return;
    }
    done(ParseResponse(*answer));
  });
}

void GetItem(DynamoDbClient& client, std::string table, Item key, Done<std::optional<Item>> done) {
  Request request;
  request.table = std::move(table);
  request.key = std::move(key);
  request.consistent_read = true;
  Call(client, "GetItem", request, [done = std::move(done)](Result<Response> answer) {
    if (!answer.ok()) return done(std::move(answer).error());
    done(std::move(answer->item));
  });
}

namespace {

void QueryFrom(DynamoDbClient& client, Request request, QueryResult result, int pages_left,
               Done<QueryResult> done) {
  Call(client, "Query", request,
       [&client, request, result = std::move(result), pages_left,
        done = std::move(done)](Result<Response> answer) mutable {
         if (!answer.ok()) return done(std::move(answer).error());
         if (answer->items) {
           for (Item& item : *answer->items) result.items.push_back(std::move(item));
         }
         result.count += answer->count.value_or(0);
         if (!answer->last_evaluated_key) return done(std::move(result));
         if (pages_left <= 1) {
           return done(Error::Unavailable("Store unavailable: a Query does not advance"));
         }
         request.exclusive_start_key = std::move(answer->last_evaluated_key);
         QueryFrom(client, std::move(request), std::move(result), pages_left - 1, std::move(done));
       });
}

}  // namespace

void QueryAll(DynamoDbClient& client, Request request, Done<QueryResult> done, int max_pages) {
  QueryFrom(client, std::move(request), QueryResult{}, max_pages, std::move(done));
}

}  // namespace pcustomer::dynamodb
