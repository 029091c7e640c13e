#include "pcustomer/store/dynamodb/assignment_turn.hpp"

#include <utility>

#include "pcustomer/store/dynamodb/customer_item.hpp"

namespace pcustomer::dynamodb {
namespace {

constexpr const char* kTurnName = "sales";
constexpr std::string_view kNextAttribute = "next";

}  // namespace

Task<Turn> ReadTurn(ContextPtr context) {
  Result<std::optional<Item>> item = co_await GetItem(context, Key(kTurnType, kTurnName));
  if (!item.ok()) co_return std::move(item).error();
  Turn turn;
  if (item->has_value()) {
    turn.exists = true;
    turn.next = IntegerAttribute(**item, kNextAttribute).value_or(0);
  }
  co_return turn;
}

TransactItem MoveTurn(const DynamoDbCustomerStore::Context& context, const Turn& turn) {
  TransactItem update{TransactAction::kUpdate, context.NewRequest()};
  Request& request = update.request;
  request.key = Key(kTurnType, kTurnName);
  const std::string next = request.Name(kNextAttribute);
  request.update = "SET " + next + " = " + request.Value("moved", AttributeValue::N(turn.next + 1));
  request.condition = turn.exists
                          ? next + " = " + request.Value("read", AttributeValue::N(turn.next))
                          : "attribute_not_exists(" + request.Name(kIdAttribute) + ")";
  return update;
}

}  // namespace pcustomer::dynamodb
