#include "pcustomer/store/dynamodb/lead_search.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pcustomer/store/customer_search.hpp"
#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/store/dynamodb/dynamodb_table.hpp"
#include "pcustomer/store/dynamodb/search_entries.hpp"

namespace pcustomer::dynamodb {
namespace {

// A walk's Query asks for the page plus one item first, then for twice as many each round
// (filters may skip most items), up to this.
constexpr int kMaxWalkBatch = 1000;
// Bounds a walk that does not advance (each round reads at least one item or ends).
constexpr int kMaxWalkRounds = 100000;

std::vector<Customer> ReadCustomers(const std::vector<Item>& items) {
  std::vector<Customer> leads;
  leads.reserve(items.size());
  for (const Item& item : items) leads.push_back(ReadCustomer(item));
  return leads;
}

// One set of entries a match must have: those of the phone digits, or of one name prefix.
struct EntryProbe {
  const char* type;
  std::string prefix;
};

// Every set a match must be in; none for a search without `q`.
std::vector<EntryProbe> ProbesOf(const CustomerFilter& filter) {
  std::vector<EntryProbe> probes;
  if (filter.phone_digits) probes.push_back({kPhoneDigitsType, *filter.phone_digits});
  for (const std::string& prefix : filter.name_prefixes) probes.push_back({kNameWordType, prefix});
  return probes;
}

// The ids of the leads that have an entry of `probe`.
// Consistent: entries are written with their lead.
Task<std::set<std::string>> ProbeEntries(ContextPtr context, EntryProbe probe) {
  Request query = PrefixQuery(*context, probe.type, probe.prefix);
  query.projection = query.Name(kEntryCustomerAttribute);
  Result<QueryResult> entries = co_await QueryAll(context->client, std::move(query));
  if (!entries.ok()) co_return std::move(entries).error();
  std::set<std::string> ids;  // a lead with two words of the prefix has two entries
  for (const Item& entry : entries->items) {
    std::string id = EntryCustomer(entry);
    if (IsCustomerId(id)) ids.insert(std::move(id));
  }
  co_return ids;
}

// The leads in every probe's entries (entries are small: reading each set and reading only
// the leads in all of them costs far less than reading the leads of one), checked against
// the whole query.
Task<SearchPage> SearchThroughEntries(ContextPtr context, SearchRequest request,
                                      std::vector<EntryProbe> probes) {
  std::set<std::string> candidates;
  for (size_t i = 0; i < probes.size(); ++i) {
    Result<std::set<std::string>> ids = co_await ProbeEntries(context, std::move(probes[i]));
    if (!ids.ok()) co_return std::move(ids).error();
    if (i == 0) {
      candidates = std::move(*ids);
    } else {
      std::erase_if(candidates, [&](const std::string& id) { return !ids->contains(id); });
    }
    if (candidates.empty()) break;
  }
  std::vector<Customer> leads;
  if (!candidates.empty()) {
    KeysAndAttributes read;
    read.consistent_read = true;
    for (const std::string& id : candidates) read.keys.push_back(CustomerKey(id));
    Result<std::vector<Item>> items =
        co_await BatchGetAll(context->client, context->table, std::move(read));
    if (!items.ok()) co_return std::move(items).error();
    leads = ReadCustomers(*items);
  }
  co_return SearchInMemory(std::move(leads), request);
}

// The Query that walks the leads in `sort` order.
Request WalkQuery(const DynamoDbCustomerStore::Context& context, const CustomerSort& sort) {
  const GlobalIndex* index = sort.field == CustomerSortField::kFullName    ? &kNameIndex
                             : sort.field == CustomerSortField::kAge       ? &kAgeIndex
                             : sort.field == CustomerSortField::kUpdatedAt ? &kUpdatedIndex
                                                                           : nullptr;
  Request query;
  if (index == nullptr) {
    query = CustomersQuery(context);
  } else {
    // An index's key condition names its own keys only; it holds leads alone (sparse), and
    // reads eventually consistent only.
    query = context.NewRequest();
    query.index_name = std::string(index->name);
    query.key_condition =
        query.Name(kTypeAttribute) + " = " + query.Value("pk", AttributeValue::S(kCustomerType));
  }
  query.scan_index_forward = !sort.descending;
  return query;
}

// The key of `lead` in the walk of `field`: the start key that resumes after it.
Item WalkKey(const Customer& lead, CustomerSortField field) {
  Item key = CustomerKey(lead.id);
  if (field == CustomerSortField::kFullName)
    key[std::string(kNameKeyAttribute)] = AttributeValue::B(NameKey(lead));
  if (field == CustomerSortField::kAge)
    key[std::string(kAgeKeyAttribute)] = AttributeValue::S(AgeKey(lead));
  if (field == CustomerSortField::kUpdatedAt)
    key[std::string(kUpdatedKeyAttribute)] = AttributeValue::S(UpdatedKey(lead));
  return key;
}

// The page after `request.after`: walks from there, one match past the page.
Task<SearchPage> SearchByWalking(ContextPtr context, SearchRequest request) {
  SearchPage page;
  std::optional<Item> start;
  if (request.after) start = WalkKey(*request.after, request.sort.field);
  int batch = request.limit + 1;
  for (int round = 0; round < kMaxWalkRounds; ++round) {
    Request query = WalkQuery(*context, request.sort);
    query.limit = batch;
    query.exclusive_start_key = std::move(start);
    CallResult answer = co_await Call(context->client, "Query", query);
    if (!answer.ok()) co_return StoreError(answer.error());
    for (const Item& item : answer->items.value_or(std::vector<Item>{})) {
      Customer lead = ReadCustomer(item);
      if (!MatchesFilter(lead, request.filter)) continue;
      if (page.items.size() == static_cast<size_t>(request.limit)) {
        page.more = true;
        co_return page;
      }
      page.items.push_back(std::move(lead));
    }
    start = std::move(answer->last_evaluated_key);
    if (!start) co_return page;
    batch = std::min(batch * 2, kMaxWalkBatch);
  }
  co_return Error::Unavailable("Store unavailable: the search does not advance");
}

// The whole order, read once: the page and the count of every match.
Task<SearchPage> SearchCountingAll(ContextPtr context, SearchRequest request) {
  Result<QueryResult> walked =
      co_await QueryAll(context->client, WalkQuery(*context, request.sort));
  if (!walked.ok()) co_return std::move(walked).error();
  co_return SearchInMemory(ReadCustomers(walked->items), request);
}

}  // namespace

Task<SearchPage> SearchLeads(ContextPtr context, SearchRequest request) {
  if (std::vector<EntryProbe> probes = ProbesOf(request.filter); !probes.empty()) {
    co_return co_await SearchThroughEntries(std::move(context), std::move(request),
                                            std::move(probes));
  }
  if (request.with_total)
    co_return co_await SearchCountingAll(std::move(context), std::move(request));
  co_return co_await SearchByWalking(std::move(context), std::move(request));
}

}  // namespace pcustomer::dynamodb
