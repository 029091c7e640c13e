#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

namespace pcustomer::dynamodb::testing {

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
    std::optional<Request> parsed;
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
      if (it->operation != operation) continue;
      if (it->match) {
        if (!parsed) {
          Result<Request> request = ParseRequest(request_json);
          parsed = request.ok() ? *request : Request{};
        }
        if (!it->match(*parsed)) continue;
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
  if (operation == "DescribeTable" || operation == "CreateTable" ||
      operation == "UpdateTimeToLive") {
    return ExecuteTableOperation(operation, json);
  }
  Result<Request> parsed_request = ParseRequest(json);
  if (!parsed_request.ok()) return DynamoDbCallError::Validation(parsed_request.error().message);
  const Request& request = *parsed_request;
  auto table = tables_.find(request.table);
  if (table == tables_.end() || table->second.status != "ACTIVE")
    return TableMissing(request.table);
  Result<Parsed, DynamoDbCallError> parsed = ParseExpressions(request);
  if (!parsed.ok()) return std::move(parsed).error();
  auto& items = table->second.items;

  if (operation == "Query") return ExecuteQuery(request, *parsed, items);

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
    return DynamoDbCallError::Validation("UnknownOperationException");
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
    items[key] = *request.item;
    if (request.return_values == "ALL_OLD" && existed) response.attributes = old;
  } else if (operation == "DeleteItem") {
    if (existed) items.erase(found);
    if (request.return_values == "ALL_OLD" && existed) response.attributes = old;
  } else {
    Item updated = existed ? old : *request.key;
    for (const auto& [path, operand] : parsed->update) {
      if (path == "type" || path == "id") return Validation("Cannot update attribute " + path);
      if (!operand) {
        updated.erase(path);
        continue;
      }
      auto value = Resolve(*operand, updated, request);
      if (!value) return Validation("The provided expression refers to a missing attribute");
      updated[path] = *value;
    }
    items[key] = updated;
    if (request.return_values == "ALL_NEW") response.attributes = updated;
    if (request.return_values == "ALL_OLD" && existed) response.attributes = old;
  }
  return ToJson(response);
}

DynamoDbResult FakeDynamoDb::ExecuteQuery(
    const Request& request, const Parsed& parsed,
    const std::map<std::pair<std::string, std::string>, Item>& items) {
  if (!parsed.key_condition) return Validation("Query without KeyConditionExpression");
  if (request.limit && *request.limit < 1) return Validation("Limit must be at least 1");
  const bool forward = request.scan_index_forward.value_or(true);
  std::vector<const Item*> matching;
  for (const auto& [key, item] : items) {
    if (Evaluate(*parsed.key_condition, item, request)) matching.push_back(&item);
  }
  if (!forward) std::reverse(matching.begin(), matching.end());
  size_t begin = 0;
  if (request.exclusive_start_key) {
    if (auto e = CheckKey(*request.exclusive_start_key, true)) return *e;
    const auto start = KeyOf(*request.exclusive_start_key);
    while (begin < matching.size()) {
      const auto key = KeyOf(*matching[begin]);
      if (forward ? key > start : key < start) break;
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
    if (!parsed.filter || Evaluate(*parsed.filter, *matching[i], request)) {
      out.push_back(*matching[i]);
    }
  }
  response.count = static_cast<int64_t>(out.size());
  response.scanned_count = static_cast<int64_t>(cap);
  if (request.select != "COUNT") response.items = std::move(out);
  // Like DynamoDB, a Query that stopped at its Limit names where it stopped even when
  // nothing follows.
  if (capped && cap > 0) {
    const auto key = KeyOf(*matching[begin + cap - 1]);
    response.last_evaluated_key =
        Item{{"type", AttributeValue::S(key.first)}, {"id", AttributeValue::S(key.second)}};
  }
  return ToJson(response);
}

DynamoDbResult FakeDynamoDb::ExecuteTableOperation(std::string_view operation,
                                                   const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject() || !document.HasMember("TableName") ||
      !document["TableName"].IsString()) {
    return Validation("TableName is required");
  }
  const std::string name = document["TableName"].GetString();
  if (operation == "CreateTable") {
    if (tables_.contains(name)) {
      return DynamoDbCallError::Validation("ResourceInUseException: Table already exists: " +
                                           name);
    }
    TableState table;
    table.key_schema.clear();
    table.attribute_types.clear();
    for (const auto& element : document["KeySchema"].GetArray()) {
      table.key_schema.emplace_back(element["AttributeName"].GetString(),
                                    element["KeyType"].GetString());
    }
    for (const auto& definition : document["AttributeDefinitions"].GetArray()) {
      table.attribute_types[definition["AttributeName"].GetString()] =
          definition["AttributeType"].GetString();
    }
    if (!document.HasMember("BillingMode") ||
        std::string_view(document["BillingMode"].GetString()) != "PAY_PER_REQUEST") {
      return Validation("this fake only creates PAY_PER_REQUEST tables");
    }
    table.status = "CREATING";
    table.creating_polls = create_polls_;
    tables_[name] = std::move(table);
    return std::string(R"({"TableDescription":{"TableStatus":"CREATING"}})");
  }
  auto table = tables_.find(name);
  if (table == tables_.end()) return TableMissing(name);
  if (operation == "UpdateTimeToLive") {
    table->second.ttl_attribute = document["TimeToLiveSpecification"]["AttributeName"].GetString();
    return std::string("{}");
  }
  TableState& state = table->second;
  if (state.status == "CREATING") {
    if (state.creating_polls > 0) {
      --state.creating_polls;
    } else {
      state.status = "ACTIVE";
    }
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("Table");
  writer.StartObject();
  writer.Key("TableName");
  writer.String(name.c_str());
  writer.Key("TableStatus");
  writer.String(state.status.c_str());
  writer.Key("KeySchema");
  writer.StartArray();
  for (const auto& [attribute, type] : state.key_schema) {
    writer.StartObject();
    writer.Key("AttributeName");
    writer.String(attribute.c_str());
    writer.Key("KeyType");
    writer.String(type.c_str());
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("AttributeDefinitions");
  writer.StartArray();
  for (const auto& [attribute, type] : state.attribute_types) {
    writer.StartObject();
    writer.Key("AttributeName");
    writer.String(attribute.c_str());
    writer.Key("AttributeType");
    writer.String(type.c_str());
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace pcustomer::dynamodb::testing
