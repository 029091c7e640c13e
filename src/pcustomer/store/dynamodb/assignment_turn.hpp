#pragma once

// Round-robin assignment's turn on DynamoDB: the item {type: kTurnType, id: "sales", next}.
// A create reads it, gives the lead to the owner whose turn it is, and moves it with a
// conditional update in its own transaction: of concurrent creates (in any process) that
// read the same turn one lands, and the others read the turn again. Private to
// store/dynamodb.

#include <cstdint>

#include "pcustomer/store/dynamodb/coroutine.hpp"
#include "pcustomer/store/dynamodb/dynamodb_transact.hpp"
#include "pcustomer/store/dynamodb/store_context.hpp"

namespace pcustomer::dynamodb {

inline constexpr const char* kTurnType = "pcustomer_turn";

// The turn as read: its number and whether the item exists.
struct Turn {
  int64_t next = 0;
  bool exists = false;
};

Task<Turn> ReadTurn(ContextPtr context);

// The update moving `turn` on, on condition that it is still as read.
TransactItem MoveTurn(const DynamoDbCustomerStore::Context& context, const Turn& turn);

}  // namespace pcustomer::dynamodb
