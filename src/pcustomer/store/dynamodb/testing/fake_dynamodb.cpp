#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "pcustomer/store/dynamodb/dynamodb_transact.hpp"

namespace pcustomer::dynamodb::testing {
namespace {

// The item requests a call holds: one, or a transaction's items (none that parse: one
// empty request).
std::vector<Request> RequestsOf(std::string_view operation, const std::string& json) {
  std::vector<Request> requests;
  if (operation == "TransactWriteItems") {
    if (auto transaction = ParseTransactWriteRequest(json); transaction.ok()) {
      for (TransactItem& item : transaction->items) requests.push_back(std::move(item.request));
    }
  } else if (Result<Request> request = ParseRequest(json); request.ok()) {
    requests.push_back(std::move(*request));
  }
  if (requests.empty()) requests.emplace_back();
  return requests;
}

}  // namespace

void FakeDynamoDb::Call(std::string_view operation, std::string request_json, DynamoDbDone done) {
  std::optional<DynamoDbResult> answer;
  std::function<void(std::string_view, const Request&)> hook;
  {
    std::unique_lock lock(mutex_);
    ++calls_[std::string(operation)];
    hook = before_call_;
  }
  if (hook) {
    if (Result<Request> parsed = ParseRequest(request_json); parsed.ok()) hook(operation, *parsed);
  }
  {
    std::unique_lock lock(mutex_);
    std::optional<std::pair<Fault, DynamoDbCallError>> fault;
    std::optional<std::vector<Request>> parsed;
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
      if (it->operation != operation) continue;
      if (it->match) {
        if (!parsed) parsed = RequestsOf(operation, request_json);
        if (std::none_of(parsed->begin(), parsed->end(), it->match)) continue;
      }
      fault.emplace(it->fault, it->error);
      faults_.erase(it);
      break;
    }
    if (fault && fault->first == Fault::kFailBefore) {
      answer.emplace(fault->second);
    } else {
      answer.emplace(Execute(operation, request_json));
      if (fault && fault->first == Fault::kFailAfter) answer.emplace(fault->second);
      if (fault && fault->first == Fault::kReplay) {
        answer.emplace(Execute(operation, request_json));
        // As the real client does: a failed condition after a lost answer may be the
        // write's own effect.
        if (!answer->ok() && answer->error().kind == DynamoDbFailure::kConditionFailed) {
          DynamoDbCallError unknown = answer->error();
          unknown.kind = DynamoDbFailure::kOutcomeUnknown;
          answer.emplace(std::move(unknown));
        }
      }
    }
  }
  done(std::move(*answer));
}

DynamoDbResult FakeDynamoDb::Execute(std::string_view operation, const std::string& json) {
  if (operation == "DescribeTable" || operation == "CreateTable" || operation == "UpdateTable" ||
      operation == "UpdateTimeToLive") {
    return ExecuteTableOperation(operation, json);
  }
  if (operation == "TransactWriteItems") return ExecuteTransactWrite(json);
  if (operation == "BatchGetItem") return ExecuteBatchGet(json);
  Result<Request> parsed_request = ParseRequest(json);
  if (!parsed_request.ok()) return DynamoDbCallError::Validation(parsed_request.error().message);
  const Request& request = *parsed_request;
  auto table = tables_.find(request.table);
  if (table == tables_.end() || table->second.status != "ACTIVE")
    return TableMissing(request.table);
  Result<Parsed, DynamoDbCallError> parsed = ParseExpressions(request);
  if (!parsed.ok()) return std::move(parsed).error();
  auto& items = table->second.items;

  if (operation == "Query") return ExecuteQuery(request, *parsed, table->second);
  if (!request.index_name.empty()) return Validation(std::string(operation) + " with IndexName");

  const Item* key_source = nullptr;
  if (operation == "PutItem") {
    if (!request.item) return Validation("PutItem without Item");
    key_source = &*request.item;
    if (auto e = CheckKey(*key_source, false)) return *e;
  } else if (operation == "GetItem" || operation == "UpdateItem" || operation == "DeleteItem") {
    if (!request.key) return Validation(std::string(operation) + " without Key");
    key_source = &*request.key;
    if (auto e = CheckKey(*key_source, true)) return *e;
  } else {
    return DynamoDbCallError::UnknownOperation("UnknownOperationException");
  }
  const auto key = KeyOf(*key_source);
  auto found = items.find(key);
  const Item empty;
  const Item& current = found == items.end() ? empty : found->second;

  Response response;
  if (operation == "GetItem") {
    if (found != items.end()) response.item = current;
    return ToJson(response);
  }
  if (parsed->condition && !Evaluate(*parsed->condition, current, request)) {
    return ConditionFailed();
  }
  const bool existed = found != items.end();
  const Item old = current;
  if (operation == "PutItem") {
    if (auto e = CheckIndexKeys(table->second, *request.item)) return *e;
    items[key] = *request.item;
    if (request.return_values == "ALL_OLD" && existed) response.attributes = old;
  } else if (operation == "DeleteItem") {
    if (existed) items.erase(found);
    if (request.return_values == "ALL_OLD" && existed) response.attributes = old;
  } else {
    Result<Item, DynamoDbCallError> made =
        Updated(*parsed, request, existed ? &old : nullptr, *request.key);
    if (!made.ok()) return std::move(made).error();
    const Item& updated = *made;
    if (auto e = CheckIndexKeys(table->second, updated)) return *e;
    items[key] = updated;
    if (request.return_values == "ALL_NEW") response.attributes = updated;
    if (request.return_values == "ALL_OLD" && existed) response.attributes = old;
  }
  return ToJson(response);
}

std::optional<DynamoDbCallError> FakeDynamoDb::CheckIndexKeys(const TableState& table,
                                                              const Item& item) {
  for (const IndexState& index : table.indexes) {
    for (const std::string* name : {&index.partition, &index.sort}) {
      auto found = item.find(*name);
      if (found == item.end()) continue;
      const std::string& type = *name == index.sort ? index.sort_type : "S";
      const bool fits = type == "B" ? found->second.type == AttributeValue::Type::kBinary
                                    : found->second.is_string();
      if (!fits) {
        return Validation(
            "One or more parameter values were invalid: Type mismatch for Index Key " + *name +
            " Expected: " + type + " IndexName: " + index.name);
      }
      if (found->second.text.empty()) {
        return Validation(
            "One or more parameter values are not valid. A value specified for a secondary "
            "index key is not supported. The AttributeValue for a key attribute cannot contain "
            "an empty value. IndexName: " +
            index.name + ", IndexKey: " + *name);
      }
    }
  }
  return std::nullopt;
}

Result<Item, DynamoDbCallError> FakeDynamoDb::Updated(const Parsed& parsed, const Request& request,
                                                      const Item* current, const Item& key) {
  Item updated = current != nullptr ? *current : key;
  for (const auto& [path, operand, add] : parsed.update) {
    if (path == "type" || path == "id") return Validation("Cannot update attribute " + path);
    if (!operand) {
      updated.erase(path);
      continue;
    }
    auto value = Resolve(*operand, updated, request);
    if (!value) return Validation("The provided expression refers to a missing attribute");
    if (add) {
      if (!value->is_number()) return Validation("ADD of a value that is not a number");
      const auto old = updated.find(path);
      const long long sum =
          std::stoll(value->text) + (old != updated.end() ? std::stoll(old->second.text) : 0);
      updated[path] = AttributeValue::N(static_cast<int64_t>(sum));
      continue;
    }
    updated[path] = *value;
  }
  return updated;
}

DynamoDbResult FakeDynamoDb::ExecuteQuery(const Request& request, const Parsed& parsed,
                                          const TableState& table) {
  if (!parsed.key_condition) return Validation("Query without KeyConditionExpression");
  if (request.limit && *request.limit < 1) return Validation("Limit must be at least 1");
  const IndexState* index = nullptr;
  if (!request.index_name.empty()) {
    index = table.FindIndex(request.index_name);
    if (index == nullptr) {
      return Validation("The table does not have the specified index: " + request.index_name);
    }
    if (index->status != "ACTIVE") {
      return Validation("Cannot read from backfilling global secondary index: " + index->name);
    }
    if (request.consistent_read) {
      return Validation("Consistent reads are not supported on global secondary indexes");
    }
  }
  const bool forward = request.scan_index_forward.value_or(true);
  // Where an item stands in the order the Query reads: the index keys, then the table keys
  // (which only order items with equal index keys).
  using Position = std::array<std::string, 4>;
  auto position = [index](const Item& item) -> Position {
    auto text = [&item](const std::string& name) {
      auto found = item.find(name);
      return found == item.end() ? std::string() : found->second.text;
    };
    if (index == nullptr) return {text("type"), text("id"), "", ""};
    return {text(index->partition), text(index->sort), text("type"), text("id")};
  };
  std::vector<std::pair<Position, const Item*>> matching;
  for (const auto& [key, item] : table.items) {
    if (index != nullptr && (!item.contains(index->partition) || !item.contains(index->sort))) {
      continue;  // sparse: the index holds only items with both of its keys
    }
    if (Evaluate(*parsed.key_condition, item, request))
      matching.emplace_back(position(item), &item);
  }
  std::sort(matching.begin(), matching.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  if (!forward) std::reverse(matching.begin(), matching.end());
  size_t begin = 0;
  if (request.exclusive_start_key) {
    const Item& start_key = *request.exclusive_start_key;
    if (auto e = CheckKey(start_key, index == nullptr)) return *e;
    if (index != nullptr) {
      const std::set<std::string> names{"type", "id", index->partition, index->sort};
      bool fits = start_key.size() == names.size();
      for (const std::string& name : names) fits = fits && start_key.contains(name);
      if (!fits) return Validation("The provided starting key is invalid");
    }
    const Position start = position(start_key);
    while (begin < matching.size()) {
      const Position& at = matching[begin].first;
      if (forward ? at > start : at < start) break;
      ++begin;
    }
  }
  size_t cap = matching.size() - begin;
  bool capped = false;
  if (request.limit && static_cast<size_t>(*request.limit) <= cap) {
    cap = static_cast<size_t>(*request.limit);
    capped = true;
  }
  if (max_query_items_ > 0 && static_cast<size_t>(max_query_items_) < cap) {
    cap = static_cast<size_t>(max_query_items_);
    capped = true;
  }
  Response response;
  std::vector<Item> out;
  for (size_t i = begin; i < begin + cap; ++i) {
    if (!parsed.filter || Evaluate(*parsed.filter, *matching[i].second, request)) {
      out.push_back(*matching[i].second);
    }
  }
  response.count = static_cast<int64_t>(out.size());
  response.scanned_count = static_cast<int64_t>(cap);
  if (request.select != "COUNT") response.items = std::move(out);
  // Like DynamoDB, a Query that stopped at its Limit names where it stopped even when
  // nothing follows; on an index, by the index keys and the table keys.
  if (capped && cap > 0) {
    const Item& last = *matching[begin + cap - 1].second;
    Item key{{"type", last.at("type")}, {"id", last.at("id")}};
    if (index != nullptr) {
      key[index->partition] = last.at(index->partition);
      key[index->sort] = last.at(index->sort);
    }
    response.last_evaluated_key = std::move(key);
  }
  return ToJson(response);
}

}  // namespace pcustomer::dynamodb::testing
