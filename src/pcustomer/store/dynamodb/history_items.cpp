#include "pcustomer/store/dynamodb/history_items.hpp"

#include <cstdio>
#include <utility>

#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"

namespace pcustomer::dynamodb {
namespace {

constexpr const char* kAtAttribute = "at";
constexpr const char* kBySubAttribute = "bySub";
constexpr const char* kByUsernameAttribute = "byUsername";
constexpr const char* kActionAttribute = "action";
constexpr const char* kChangesAttribute = "changes";

std::string HistoryType(const std::string& lead_id) { return kHistoryTypePrefix + lead_id; }

// 19 digits hold every int64 version, so the sort key's text order is the versions' order.
std::string VersionKey(int64_t version) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%019lld", static_cast<long long>(version));
  return digits;
}

Request HistoryQuery(const DynamoDbCustomerStore::Context& context, const HistoryRequest& request) {
  Request query = context.NewRequest();
  query.key_condition = query.Name(kTypeAttribute) + " = " +
                        query.Value("pk", AttributeValue::S(HistoryType(request.lead_id)));
  if (request.before_version) {
    query.key_condition +=
        " AND " + query.Name(kIdAttribute) + " < " +
        query.Value("before", AttributeValue::S(VersionKey(*request.before_version)));
  }
  if (request.action) {
    query.filter =
        query.Name(kActionAttribute) + " = " +
        query.Value("action", AttributeValue::S(std::string(HistoryActionName(*request.action))));
  }
  query.scan_index_forward = false;
  query.consistent_read = true;
  return query;
}

}  // namespace

TransactItem HistoryPut(const DynamoDbCustomerStore::Context& context, const HistoryEntry& entry) {
  TransactItem put{TransactAction::kPut, context.NewRequest()};
  Item item = Key(HistoryType(entry.lead_id), VersionKey(entry.version));
  item[kAtAttribute] = AttributeValue::S(entry.at);
  item[kBySubAttribute] = AttributeValue::S(entry.by.sub);
  item[kByUsernameAttribute] = AttributeValue::S(entry.by.username);
  item[kActionAttribute] = AttributeValue::S(std::string(HistoryActionName(entry.action)));
  item[kChangesAttribute] = AttributeValue::S(entry.changes);
  put.request.item = std::move(item);
  put.request.condition = "attribute_not_exists(" + put.request.Name(kIdAttribute) + ")";
  return put;
}

HistoryEntry ReadHistoryEntry(const Item& item, const std::string& lead_id) {
  HistoryEntry entry;
  entry.lead_id = lead_id;
  const std::string key = StringAttribute(item, kIdAttribute).value_or("");
  entry.version = std::strtoll(key.c_str(), nullptr, 10);
  entry.at = StringAttribute(item, kAtAttribute).value_or("");
  entry.by = {StringAttribute(item, kBySubAttribute).value_or(""),
              StringAttribute(item, kByUsernameAttribute).value_or("")};
  entry.action = HistoryActionNamed(StringAttribute(item, kActionAttribute).value_or(""))
                     .value_or(HistoryAction::kUpdated);
  entry.changes = StringAttribute(item, kChangesAttribute).value_or("{}");
  return entry;
}

Task<HistoryPage> QueryHistory(ContextPtr context, HistoryRequest request) {
  Result<QueryPage> read =
      co_await QueryOneAhead(context->client, HistoryQuery(*context, request), request.limit);
  if (!read.ok()) co_return std::move(read).error();
  HistoryPage page;
  page.more = read->more;
  for (const Item& item : read->items)
    page.items.push_back(ReadHistoryEntry(item, request.lead_id));
  if (page.items.empty() && !request.before_version) {
    Result<std::optional<Item>> lead = co_await GetItem(context, CustomerKey(request.lead_id));
    if (!lead.ok()) co_return std::move(lead).error();
    if (!lead->has_value()) co_return Error::CustomerNotFound();
  }
  co_return page;
}

boost::asio::awaitable<void> EraseHistory(ContextPtr context, std::string lead_id) {
  HistoryRequest all;
  all.lead_id = lead_id;
  Result<QueryResult> entries = co_await QueryAll(context->client, HistoryQuery(*context, all));
  if (!entries.ok()) co_return;
  for (const Item& item : entries->items) {
    Request remove = context->NewRequest();
    remove.key = Key(HistoryType(lead_id), StringAttribute(item, kIdAttribute).value_or(""));
    (void)co_await Call(context->client, "DeleteItem", remove);
  }
}

}  // namespace pcustomer::dynamodb
