// BackfillSearchIndex (dynamodb_customer_store.hpp): the sort keys and index entries of
// customers written without them.

#include <algorithm>
#include <memory>
#include <utility>

#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"
#include "pcustomer/store/dynamodb/lead_counters.hpp"
#include "pcustomer/store/dynamodb/lead_writes.hpp"
#include "pcustomer/store/dynamodb/search_entries.hpp"
#include "pcustomer/store/dynamodb/store_context.hpp"

namespace pcustomer {
namespace {

using dynamodb::ContextPtr;
using dynamodb::Item;
using dynamodb::Task;

// Whether `item` holds the sort keys that `customer`, as it reads, has.
bool IsIndexed(const Item& item, const Customer& customer) {
  const Item keys = dynamodb::SortKeys(customer);
  return std::all_of(keys.begin(), keys.end(), [&](const auto& key) {
    const auto found = item.find(key.first);
    return found != item.end() && found->second == key.second;
  });
}

// The sort keys on the item, on condition that it is as read, and every entry.
dynamodb::LeadWrite IndexWrite(const ContextPtr& context, const Item& item,
                               const Customer& customer) {
  dynamodb::LeadWrite write;
  write.lead = {dynamodb::TransactAction::kUpdate, context->NewRequest()};
  dynamodb::Request& update = write.lead.request;
  update.key = dynamodb::CustomerKey(customer.id);
  update.update = dynamodb::PatchUpdate(update, CustomerPatch{}, dynamodb::SortKeys(customer));
  update.condition = dynamodb::UnchangedCondition(update, item);
  write.entries_added = dynamodb::EntryItems(dynamodb::EntryKeys(customer), customer.id);
  // The sort keys mark the lead counted: one without them joins the counters now.
  write.after_lead = dynamodb::ChangeCounterUpdates(*context, item, customer, &customer);
  return write;
}

Task<SearchIndexBackfill> Backfill(ContextPtr context) {
  Result<dynamodb::QueryResult> customers =
      co_await dynamodb::QueryAll(context->client, dynamodb::CustomersQuery(*context));
  if (!customers.ok()) co_return std::move(customers).error();
  SearchIndexBackfill report;
  for (const Item& item : customers->items) {
    ++report.customers;
    const Customer customer = dynamodb::ReadCustomer(item);
    if (IsIndexed(item, customer)) continue;
    Result<Ok, DynamoDbCallError> written =
        co_await dynamodb::ApplyLeadWrite(context, IndexWrite(context, item, customer));
    if (written.ok()) {
      ++report.indexed;
    } else if (written.error().kind == DynamoDbFailure::kConditionFailed ||
               written.error().kind == DynamoDbFailure::kOutcomeUnknown) {
      ++report.changed;  // updated or deleted meanwhile, by a writer that keeps the index
    } else {
      co_return dynamodb::StoreError(written.error());
    }
  }
  co_return report;
}

}  // namespace

Result<SearchIndexBackfill> BackfillSearchIndex(DynamoDbClient& client, std::string table,
                                                DynamoDbStoreOptions options) {
  return dynamodb::Wait(Backfill(std::make_shared<DynamoDbCustomerStore::Context>(
      client, std::move(table), std::move(options))));
}

}  // namespace pcustomer
