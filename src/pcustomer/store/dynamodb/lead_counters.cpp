#include "pcustomer/store/dynamodb/lead_counters.hpp"

#include <utility>

#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/search_entries.hpp"

namespace pcustomer::dynamodb {
namespace {

constexpr std::string_view kCountAttribute = "count";

// The shard a lead's changes count in: its id's last digit (ids end in a sequence number).
int ShardOf(const std::string& lead_id) {
  const char last = lead_id.empty() ? '0' : lead_id.back();
  return (last >= '0' && last <= '9' ? last - '0' : 0) % kCounterShards;
}

}  // namespace

std::vector<TransactItem> CounterUpdates(const DynamoDbCustomerStore::Context& context,
                                         const std::vector<CounterDelta>& deltas,
                                         const std::string& lead_id) {
  const std::string shard = "#" + std::to_string(ShardOf(lead_id));
  std::vector<TransactItem> updates;
  updates.reserve(deltas.size());
  for (const CounterDelta& delta : deltas) {
    TransactItem update{TransactAction::kUpdate, context.NewRequest()};
    Request& request = update.request;
    request.key = Key(kCounterType, delta.name + shard);
    request.update = "ADD " + request.Name(kCountAttribute) + " " +
                     request.Value("delta", AttributeValue::N(delta.delta));
    updates.push_back(std::move(update));
  }
  return updates;
}

std::vector<TransactItem> ChangeCounterUpdates(const DynamoDbCustomerStore::Context& context,
                                               const Item& read, const Customer& before,
                                               const Customer* after) {
  return CounterUpdates(context, CounterDeltas(IsCounted(read) ? &before : nullptr, after),
                        before.id);
}

Task<LeadCounts> ReadLeadCounts(ContextPtr context, std::string first_day) {
  Request query = context->NewRequest();
  query.key_condition =
      query.Name(kTypeAttribute) + " = " + query.Value("pk", AttributeValue::S(kCounterType));
  query.consistent_read = true;
  Result<QueryResult> counters = co_await QueryAll(context->client, std::move(query));
  if (!counters.ok()) co_return std::move(counters).error();
  const std::string first_day_counter = DayCounter(first_day);
  LeadCounts counts;
  for (const Item& item : counters->items) {
    std::string name = StringAttribute(item, kIdAttribute).value_or("");
    name.erase(name.rfind('#') == std::string::npos ? name.size() : name.rfind('#'));
    const bool earlier_day = name.starts_with(kDayCounterPrefix) && name < first_day_counter;
    if (!earlier_day) AddCounter(counts, name, IntegerAttribute(item, kCountAttribute).value_or(0));
  }
  co_return counts;
}

}  // namespace pcustomer::dynamodb
