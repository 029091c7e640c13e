// The multi-item operations of the test fake of DynamoDB (fake_dynamodb.hpp):
// TransactWriteItems and BatchGetItem.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <set>

#include "pcustomer/aws/dynamodb_error.hpp"
#include "pcustomer/aws/http_message.hpp"
#include "pcustomer/store/dynamodb/dynamodb_batch_get.hpp"
#include "pcustomer/store/dynamodb/dynamodb_transact.hpp"
#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"

namespace pcustomer::dynamodb::testing {
namespace {

// DynamoDB's answer to a cancelled transaction, read by the real client: one reason per
// item, in request order.
DynamoDbCallError TransactionCanceled(const std::vector<std::string>& codes,
                                      const std::string& table) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  std::string list;
  for (const std::string& code : codes) list += (list.empty() ? "" : ", ") + code;
  const std::string message =
      "Transaction cancelled, please refer cancellation reasons for specific reasons [" + list +
      "]";
  writer.StartObject();
  writer.Key("__type");
  writer.String("com.amazonaws.dynamodb.v20120810#TransactionCanceledException");
  writer.Key("CancellationReasons");
  writer.StartArray();
  for (const std::string& code : codes) {
    writer.StartObject();
    writer.Key("Code");
    writer.String(code.c_str());
    if (code == "ConditionalCheckFailed") {
      writer.Key("Message");
      writer.String("The conditional request failed");
    }
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("Message");
  writer.String(message.c_str());
  writer.EndObject();
  HttpResponse response;
  response.status = 400;
  response.body.assign(buffer.GetString(), buffer.GetSize());
  return DynamoDbErrorFor(response, table).error;
}

}  // namespace

DynamoDbResult FakeDynamoDb::ExecuteTransactWrite(const std::string& json) {
  Result<TransactWriteRequest> parsed_request = ParseTransactWriteRequest(json);
  if (!parsed_request.ok()) return DynamoDbCallError::Validation(parsed_request.error().message);
  const TransactWriteRequest& transaction = *parsed_request;
  const std::string& token = transaction.client_request_token;
  if (!token.empty()) {
    if (auto seen = transaction_tokens_.find(token); seen != transaction_tokens_.end()) {
      if (seen->second == json) return std::string("{}");  // applied once already
      return DynamoDbCallError::Validation(
          "IdempotentParameterMismatchException: the ClientRequestToken was used with "
          "another request");
    }
  }
  if (transaction.items.empty() || transaction.items.size() > kMaxTransactItems) {
    return Validation("Member must have length less than or equal to 100 and at least 1");
  }

  // Everything is checked first, then every condition, and only then is anything written.
  struct Step {
    const TransactItem* item;
    TableState* table;
    std::pair<std::string, std::string> key;
    Parsed parsed;
  };
  std::vector<Step> steps;
  std::set<std::pair<std::string, std::pair<std::string, std::string>>> touched;
  for (const TransactItem& item : transaction.items) {
    const Request& request = item.request;
    auto table = tables_.find(request.table);
    if (table == tables_.end() || table->second.status != "ACTIVE") {
      return TableMissing(request.table);
    }
    const bool put = item.action == TransactAction::kPut;
    const std::optional<Item>& key_source = put ? request.item : request.key;
    if (!key_source) return Validation(put ? "Put without Item" : "an item without Key");
    if (auto e = CheckKey(*key_source, !put)) return *e;
    if (item.action == TransactAction::kUpdate && request.update.empty()) {
      return Validation("Update without UpdateExpression");
    }
    if (item.action == TransactAction::kConditionCheck && request.condition.empty()) {
      return Validation("ConditionCheck without ConditionExpression");
    }
    Result<Parsed, DynamoDbCallError> parsed = ParseExpressions(request);
    if (!parsed.ok()) return std::move(parsed).error();
    const auto key = KeyOf(*key_source);
    if (!touched.insert({request.table, key}).second) {
      return Validation("Transaction request cannot include multiple operations on one item");
    }
    steps.push_back({&item, &table->second, key, std::move(parsed).value()});
  }

  std::vector<std::string> codes;
  bool cancelled = false;
  for (const Step& step : steps) {
    auto found = step.table->items.find(step.key);
    const Item empty;
    const Item& current = found == step.table->items.end() ? empty : found->second;
    const bool holds =
        !step.parsed.condition || Evaluate(*step.parsed.condition, current, step.item->request);
    codes.emplace_back(holds ? "None" : "ConditionalCheckFailed");
    cancelled = cancelled || !holds;
  }
  if (cancelled) return TransactionCanceled(codes, transaction.items.front().request.table);

  // The items each step leaves (none: deleted), all made before any is stored.
  std::vector<std::optional<Item>> results;
  for (const Step& step : steps) {
    const Request& request = step.item->request;
    auto found = step.table->items.find(step.key);
    const Item* current = found == step.table->items.end() ? nullptr : &found->second;
    switch (step.item->action) {
      case TransactAction::kPut:
        results.emplace_back(*request.item);
        break;
      case TransactAction::kDelete:
        results.emplace_back(std::nullopt);
        break;
      case TransactAction::kConditionCheck:
        results.emplace_back(current != nullptr ? std::optional<Item>(*current) : std::nullopt);
        break;
      case TransactAction::kUpdate: {
        Result<Item, DynamoDbCallError> made = Updated(step.parsed, request, current, *request.key);
        if (!made.ok()) return std::move(made).error();
        results.emplace_back(std::move(made).value());
        break;
      }
    }
    if (results.back()) {
      if (auto e = CheckIndexKeys(*step.table, *results.back())) return *e;
    }
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].item->action == TransactAction::kConditionCheck) continue;
    if (results[i]) {
      steps[i].table->items[steps[i].key] = std::move(*results[i]);
    } else {
      steps[i].table->items.erase(steps[i].key);
    }
  }
  if (!token.empty()) transaction_tokens_[token] = json;
  return std::string("{}");
}

DynamoDbResult FakeDynamoDb::ExecuteBatchGet(const std::string& json) {
  Result<BatchGetRequest> parsed_request = ParseBatchGetRequest(json);
  if (!parsed_request.ok()) return DynamoDbCallError::Validation(parsed_request.error().message);
  const BatchGetRequest& request = *parsed_request;
  size_t total = 0;
  for (const auto& [name, read] : request.tables) {
    auto table = tables_.find(name);
    if (table == tables_.end() || table->second.status != "ACTIVE") return TableMissing(name);
    std::set<std::pair<std::string, std::string>> keys;
    for (const Item& key : read.keys) {
      if (auto e = CheckKey(key, true)) return *e;
      if (!keys.insert(KeyOf(key)).second) {
        return Validation("Provided list of item keys contains duplicates");
      }
    }
    // Placeholders are checked as for any other read.
    Request placeholders;
    placeholders.projection = read.projection;
    placeholders.names = read.names;
    if (auto parsed = ParseExpressions(placeholders); !parsed.ok()) return parsed.error();
    total += read.keys.size();
  }
  if (request.tables.empty() || total == 0 || total > kMaxBatchGetKeys) {
    return Validation("Too many items requested for the BatchGetItem call (1 to 100 keys)");
  }
  BatchGetResponse response;
  size_t answered = 0;
  for (const auto& [name, read] : request.tables) {
    const auto& items = tables_.at(name).items;
    std::vector<Item>& found = response.responses[name];
    for (const Item& key : read.keys) {
      if (max_batch_get_keys_ > 0 && answered >= static_cast<size_t>(max_batch_get_keys_)) {
        KeysAndAttributes& left = response.unprocessed_keys[name];
        if (left.keys.empty()) {
          left = read;
          left.keys.clear();
        }
        left.keys.push_back(key);
        continue;
      }
      ++answered;
      if (auto item = items.find(KeyOf(key)); item != items.end()) found.push_back(item->second);
    }
  }
  return ToJson(response);
}

}  // namespace pcustomer::dynamodb::testing
