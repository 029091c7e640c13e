#pragma once

// The lead counters of GET /stats (store/lead_counts.hpp) on DynamoDB: items of partition
// kCounterType, id "<counter name>#<shard>", each holding `count`. A write moves its
// counters with an ADD in the lead's own transaction (lead_writes.hpp), and reading them all
// is one Query, whatever the number of leads. Each counter is spread over kCounterShards
// items, chosen by the lead's id, so that concurrent writes seldom touch the same item (a
// transaction that does meets a TransactionConflict and is tried again). Private to
// store/dynamodb.

#include <string>
#include <vector>

#include "pcustomer/domain/lead_counts.hpp"
#include "pcustomer/store/dynamodb/dynamodb_transact.hpp"
#include "pcustomer/store/dynamodb/store_context.hpp"
#include "pcustomer/store/lead_counts.hpp"

namespace pcustomer::dynamodb {

inline constexpr const char* kCounterType = "pcustomer_count";
inline constexpr int kCounterShards = 4;

// One Update (ADD count) per delta, in the shard of `lead_id`.
std::vector<TransactItem> CounterUpdates(const DynamoDbCustomerStore::Context& context,
                                         const std::vector<CounterDelta>& deltas,
                                         const std::string& lead_id);

// The updates of a change of the lead item `read` (read as `before`) to `after` (none: it
// leaves the leads). An item not yet counted (IsCounted: written by the reference or before
// the counters) counts as arriving.
std::vector<TransactItem> ChangeCounterUpdates(const DynamoDbCustomerStore::Context& context,
                                               const Item& read, const Customer& before,
                                               const Customer* after);

// Every counter, the day counters from `first_day` ("YYYY-MM-DD") on.
Task<LeadCounts> ReadLeadCounts(ContextPtr context, std::string first_day);

}  // namespace pcustomer::dynamodb
