#pragma once

// A write of one lead together with its search index entries (search_entries.hpp) and, when
// it takes a phone, the check that the phone's claim is still its own. Where the endpoint
// has TransactWriteItems (DynamoDB, DynamoDB Local) it is one transaction: all of it or none.
// Where it does not (dynalite, ScyllaDB Alternator: UnknownOperationException, remembered
// for the store's lifetime) the steps run one by one in the order that keeps every search
// right whenever it stops: new entries first, the lead next, its history entry and obsolete
// entries last (a stop in between loses that entry: such endpoints are for tests). An entry
// without its lead is only an extra candidate (searches check each lead they read); the
// claim check is then left to the claim protocol, which guards the phone on its own.
// Private to store/dynamodb.

#include <optional>
#include <vector>

#include "pcustomer/store/dynamodb/coroutine.hpp"
#include "pcustomer/store/dynamodb/dynamodb_transact.hpp"
#include "pcustomer/store/dynamodb/store_context.hpp"

namespace pcustomer::dynamodb {

struct LeadWrite {
  // The Put, Update or Delete of the lead, with its condition.
  TransactItem lead;
  // A kConditionCheck that the phone's claim is the version written for this lead.
  std::optional<TransactItem> claim_check;
  // The Put of the change's history entry (history_items.hpp).
  std::optional<TransactItem> history;
  // Other items of the change (the trash's, trash_items.hpp): written before the lead or
  // after it when the steps run one by one, in the transaction otherwise.
  std::vector<TransactItem> before_lead;
  std::vector<TransactItem> after_lead;
  std::vector<Item> entries_added;    // whole entry items
  std::vector<Item> entries_removed;  // keys
};

// Applies `write`. Ok when the lead's write landed. A failed condition of the lead or of the
// claim check (a cancelled transaction, or the lead's own write when done step by step) is
// kConditionFailed, kOutcomeUnknown when an earlier attempt of the same write may have
// landed: the caller reads the lead to learn which. Other failures as Call's.
Task<Ok, DynamoDbCallError> ApplyLeadWrite(ContextPtr context, LeadWrite write);

// The condition that the item exists and still holds each customer attribute exactly as `read` does
// (attribute_not_exists for one it lacks), so that entries derived from `read` are the ones
// to replace and the answer built from `read` is the stored lead.
std::string UnchangedCondition(Request& request, const Item& read);

}  // namespace pcustomer::dynamodb
