#pragma once

// A lead's history in the customers' table (CONTRACT.md section 8): one item per change in a
// partition of the lead's own, {type: "pcustomer_history#<lead id>", id: the version as 19
// digits (text order is number order), at, bySub, byUsername, action, changes}. Outside the
// `potential_customer` partition, so the reference's listing never sees them; one partition
// per lead, so no lead's changes crowd another's. Written in the change's transaction
// (lead_writes.hpp). Private to store/dynamodb.

#include <string>

#include "pcustomer/domain/history.hpp"
#include "pcustomer/store/dynamodb/coroutine.hpp"
#include "pcustomer/store/dynamodb/dynamodb_transact.hpp"
#include "pcustomer/store/dynamodb/store_context.hpp"

namespace pcustomer::dynamodb {

inline constexpr const char* kHistoryTypePrefix = "pcustomer_history#";

// The Put of `entry`, on condition that no entry of that version exists.
TransactItem HistoryPut(const DynamoDbCustomerStore::Context& context, const HistoryEntry& entry);

HistoryEntry ReadHistoryEntry(const Item& item, const std::string& lead_id);

// A page of the lead's entries, newest first; kNotFound when it has none and no item.
Task<HistoryPage> QueryHistory(ContextPtr context, HistoryRequest request);

// Deletes every entry of the lead (best effort: what is left is unreachable once the lead is
// gone, and a later erasure finds it again).
boost::asio::awaitable<void> EraseHistory(ContextPtr context, std::string lead_id);

}  // namespace pcustomer::dynamodb
