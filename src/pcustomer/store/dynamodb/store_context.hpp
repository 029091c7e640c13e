#pragma once

// What every part of the DynamoDB customer store shares (the store, the phone claims, the
// backfill): the client, the table, the clock and the id generator. Private to store/dynamodb.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"
#include "pcustomer/store/dynamodb/turnstile.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {

struct DynamoDbCustomerStore::Context {
  Context(DynamoDbClient& client_in, std::string table_in, DynamoDbStoreOptions options)
      : client(client_in),
        table(std::move(table_in)),
        clock(options.clock ? std::move(options.clock) : CustomerIdGenerator::Clock(NowUnixMillis)),
        ids(clock),
        claim_grace_millis(options.claim_grace_millis),
        trash_days(options.trash_days) {}

  dynamodb::Request NewRequest() const {
    dynamodb::Request request;
    request.table = table;
    return request;
  }

  DynamoDbClient& client;
  const std::string table;
  const CustomerIdGenerator::Clock clock;
  CustomerIdGenerator ids;
  const int64_t claim_grace_millis;
  const int trash_days;
  // Set once the endpoint answered that it has no TransactWriteItems (lead_writes.hpp).
  std::atomic<bool> without_transactions{false};
  // Round-robin creates pass one at a time (turnstile.hpp).
  dynamodb::Turnstile assigning;
};

namespace dynamodb {

using ContextPtr = std::shared_ptr<DynamoDbCustomerStore::Context>;

// A GetItem with ConsistentRead in the store's table: the item with `key`, or none.
inline Task<std::optional<Item>> GetItem(const ContextPtr& context, Item key) {
  return GetItem(context->client, context->table, std::move(key));
}

// A consistent Query of the items of partition `type` whose id begins with `prefix`,
// ascending.
Request PrefixQuery(const DynamoDbCustomerStore::Context& context, std::string_view type,
                    std::string_view prefix);

// Every customer item (the partition's CUSTOMER# ids): the reference's list query.
inline Request CustomersQuery(const DynamoDbCustomerStore::Context& context) {
  return PrefixQuery(context, kCustomerType, kCustomerIdPrefix);
}

}  // namespace dynamodb
}  // namespace pcustomer
