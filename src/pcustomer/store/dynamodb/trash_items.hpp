#pragma once

// The trash on DynamoDB (CONTRACT.md section 8), outside the `potential_customer`
// partition: a trashed lead is two items written in the transaction that deletes it,
//   {type: "pcustomer_trash", id: "<deletedAt>#<lead id>", leadId, the lead's attributes,
//    deletedAt, deletedBySub, deletedByUsername, ttl}   -- the listing, newest deletion last
//   {type: "pcustomer_trash_id", id: <lead id>, trashKey: <the listing item's id>, ttl}
// so that the trash pages in deletion order and a lead is found in it by id. `ttl` (epoch
// seconds) lies a week past PCUSTOMER_TRASH_DAYS: the sweep (EraseTrashedBefore), which also
// erases the lead's history, normally comes first. Private to store/dynamodb.

#include <string>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/history.hpp"
#include "pcustomer/domain/trash.hpp"
#include "pcustomer/store/dynamodb/coroutine.hpp"
#include "pcustomer/store/dynamodb/store_context.hpp"

namespace pcustomer::dynamodb {

inline constexpr const char* kTrashType = "pcustomer_trash";
inline constexpr const char* kTrashIdType = "pcustomer_trash_id";

Task<Ok> TrashLead(ContextPtr context, std::string id, ExpectedVersion expected, Actor by);
Task<TrashPage> ListTrashed(ContextPtr context, TrashPageRequest request);
Task<Customer> RestoreLead(ContextPtr context, std::string id, ExpectedVersion expected, Actor by);
Task<Ok> EraseTrashedLead(ContextPtr context, std::string id);
Task<int> EraseLeadsTrashedBefore(ContextPtr context, std::string cutoff, int limit);

}  // namespace pcustomer::dynamodb
