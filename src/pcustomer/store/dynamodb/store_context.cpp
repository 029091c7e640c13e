#include "pcustomer/store/dynamodb/store_context.hpp"

#include "pcustomer/store/dynamodb/dynamodb_call.hpp"

namespace pcustomer::dynamodb {

void GetItem(const ContextPtr& context, Item key, Done<std::optional<Item>> done) {
  Request request = context->NewRequest();
  request.key = std::move(key);
  request.consistent_read = true;
  Call(context->client, "GetItem", request, [done = std::move(done)](Result<Response> answer) {
    if (!answer.ok()) return done(std::move(answer).error());
    done(std::move(answer->item));
  });
}

}  // namespace pcustomer::dynamodb
