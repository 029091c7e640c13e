// The table operations of the test fake of DynamoDB (fake_dynamodb.hpp): CreateTable,
// DescribeTable, UpdateTable (adding a global secondary index) and UpdateTimeToLive.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"

namespace pcustomer::dynamodb::testing {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string TextOf(const rapidjson::Value& object, const char* field) {
  if (!object.IsObject()) return "";
  auto found = object.FindMember(field);
  if (found == object.MemberEnd() || !found->value.IsString()) return "";
  return found->value.GetString();
}

bool IsArray(const rapidjson::Value& object, const char* field) {
  return object.IsObject() && object.HasMember(field) && object[field].IsArray();
}

// Reads AttributeDefinitions into `types`; false when one names a type again differently.
bool ReadDefinitions(const rapidjson::Value& document, std::map<std::string, std::string>& types) {
  if (!IsArray(document, "AttributeDefinitions")) return true;
  for (const auto& definition : document["AttributeDefinitions"].GetArray()) {
    const std::string name = TextOf(definition, "AttributeName");
    const std::string type = TextOf(definition, "AttributeType");
    auto [at, inserted] = types.emplace(name, type);
    if (!inserted && at->second != type) return false;
  }
  return true;
}

// The index a GlobalSecondaryIndexes entry (or an UpdateTable Create) describes, in the forms
// this fake models: HASH (S) and RANGE (S or B) keys defined in `types`, projection ALL.
Result<FakeDynamoDb::IndexState, DynamoDbCallError> ReadIndex(
    const rapidjson::Value& json, const std::map<std::string, std::string>& types) {
  FakeDynamoDb::IndexState index;
  index.name = TextOf(json, "IndexName");
  if (index.name.empty()) return Validation("an index without IndexName");
  if (IsArray(json, "KeySchema")) {
    for (const auto& element : json["KeySchema"].GetArray()) {
      const std::string key_type = TextOf(element, "KeyType");
      (key_type == "HASH" ? index.partition : index.sort) = TextOf(element, "AttributeName");
    }
  }
  if (index.partition.empty() || index.sort.empty()) {
    return Validation("this fake models indexes with a HASH and a RANGE key: " + index.name);
  }
  for (const std::string* name : {&index.partition, &index.sort}) {
    if (!types.contains(*name)) {
      return Validation(
          "One or more parameter values were invalid: Some index key attributes are not "
          "defined in AttributeDefinitions: " +
          *name);
    }
  }
  index.sort_type = types.at(index.sort);
  if (types.at(index.partition) != "S" || (index.sort_type != "S" && index.sort_type != "B")) {
    return Validation("this fake models index keys S (HASH) and S or B (RANGE): " + index.name);
  }
  if (!json.HasMember("Projection") || TextOf(json["Projection"], "ProjectionType") != "ALL") {
    return Validation("this fake models indexes with projection ALL: " + index.name);
  }
  return index;
}

void WriteKeySchema(Writer& writer, const std::vector<std::pair<std::string, std::string>>& keys) {
  writer.Key("KeySchema");
  writer.StartArray();
  for (const auto& [attribute, type] : keys) {
    writer.StartObject();
    writer.Key("AttributeName");
    writer.String(attribute.c_str());
    writer.Key("KeyType");
    writer.String(type.c_str());
    writer.EndObject();
  }
  writer.EndArray();
}

}  // namespace

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
      return DynamoDbCallError::Validation("ResourceInUseException: Table already exists: " + name);
    }
    TableState table;
    table.key_schema.clear();
    table.attribute_types.clear();
    for (const auto& element : document["KeySchema"].GetArray()) {
      table.key_schema.emplace_back(element["AttributeName"].GetString(),
                                    element["KeyType"].GetString());
    }
    if (!ReadDefinitions(document, table.attribute_types)) {
      return Validation("an attribute defined twice with different types");
    }
    if (IsArray(document, "GlobalSecondaryIndexes")) {
      for (const auto& entry : document["GlobalSecondaryIndexes"].GetArray()) {
        auto index = ReadIndex(entry, table.attribute_types);
        if (!index.ok()) return std::move(index).error();
        if (table.FindIndex(index->name) != nullptr) {
          return Validation("Duplicate index name: " + index->name);
        }
        index->status = "CREATING";  // ACTIVE with the table
        table.indexes.push_back(std::move(*index));
      }
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
  TableState& state = table->second;
  if (operation == "UpdateTimeToLive") {
    state.ttl_attribute = document["TimeToLiveSpecification"]["AttributeName"].GetString();
    return std::string("{}");
  }
  if (operation == "UpdateTable") {
    if (state.status != "ACTIVE") {
      return DynamoDbCallError::Validation("ResourceInUseException: Table is being " +
                                           state.status + ": " + name);
    }
    if (!IsArray(document, "GlobalSecondaryIndexUpdates")) {
      return Validation("this fake's UpdateTable only creates global secondary indexes");
    }
    const auto& updates = document["GlobalSecondaryIndexUpdates"].GetArray();
    const bool busy = std::any_of(state.indexes.begin(), state.indexes.end(),
                                  [](const IndexState& index) { return index.status != "ACTIVE"; });
    if (updates.Size() != 1 || busy) {
      return DynamoDbCallError::Validation(
          "LimitExceededException: Subscriber limit exceeded: Only 1 online index can be "
          "created or deleted simultaneously per table");
    }
    const rapidjson::Value& update = updates[0];
    if (!update.IsObject() || !update.HasMember("Create")) {
      return Validation("this fake's UpdateTable only creates global secondary indexes");
    }
    std::map<std::string, std::string> types = state.attribute_types;
    if (!ReadDefinitions(document, types)) {
      return Validation("an attribute defined again with another type");
    }
    auto index = ReadIndex(update["Create"], types);
    if (!index.ok()) return std::move(index).error();
    if (state.FindIndex(index->name) != nullptr) {
      return Validation("Attempting to create an index which already exists: " + index->name);
    }
    index->status = "CREATING";
    index->creating_polls = create_polls_;
    state.attribute_types = std::move(types);
    state.indexes.push_back(std::move(*index));
    return std::string(R"({"TableDescription":{"TableStatus":"UPDATING"}})");
  }
  if (state.status == "CREATING") {
    if (state.creating_polls > 0) {
      --state.creating_polls;
    } else {
      state.status = "ACTIVE";
    }
  }
  for (IndexState& index : state.indexes) {
    if (index.status != "CREATING") continue;
    if (state.status == "CREATING") continue;  // indexes of a new table: ACTIVE with it
    if (index.creating_polls > 0) {
      --index.creating_polls;
    } else {
      index.status = "ACTIVE";
    }
  }
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("Table");
  writer.StartObject();
  writer.Key("TableName");
  writer.String(name.c_str());
  writer.Key("TableStatus");
  writer.String(state.status.c_str());
  WriteKeySchema(writer, state.key_schema);
  writer.Key("BillingModeSummary");
  writer.StartObject();
  writer.Key("BillingMode");
  writer.String("PAY_PER_REQUEST");
  writer.EndObject();
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
  if (!state.indexes.empty()) {
    writer.Key("GlobalSecondaryIndexes");
    writer.StartArray();
    for (const IndexState& index : state.indexes) {
      writer.StartObject();
      writer.Key("IndexName");
      writer.String(index.name.c_str());
      WriteKeySchema(writer, {{index.partition, "HASH"}, {index.sort, "RANGE"}});
      writer.Key("Projection");
      writer.StartObject();
      writer.Key("ProjectionType");
      writer.String("ALL");
      writer.EndObject();
      writer.Key("IndexStatus");
      writer.String(index.status.c_str());
      writer.EndObject();
    }
    writer.EndArray();
  }
  writer.EndObject();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace pcustomer::dynamodb::testing
