#pragma once

// A note on a lead (CONTRACT.md section 9) on DynamoDB: the lead's next version and the note's
// history entry (history_items.hpp) in one transaction. Private to store/dynamodb.

#include <string>

#include "pcustomer/domain/history.hpp"
#include "pcustomer/store/dynamodb/coroutine.hpp"
#include "pcustomer/store/dynamodb/store_context.hpp"

namespace pcustomer::dynamodb {

// CustomerStore::AddNote: kNotFound when there is no such lead.
Task<HistoryEntry> NoteLead(ContextPtr context, std::string id, std::string text, Actor by);

}  // namespace pcustomer::dynamodb
