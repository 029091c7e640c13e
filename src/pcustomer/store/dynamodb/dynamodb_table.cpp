#include "pcustomer/store/dynamodb/dynamodb_table.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/store/dynamodb/dynamodb_user_store.hpp"

namespace pcustomer::dynamodb {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// The reference's key schema, in order.
struct KeyElement {
  const char* name;
  const char* key_type;
};
constexpr std::array<KeyElement, 2> kKeySchema{{{"type", "HASH"}, {"id", "RANGE"}}};

DynamoDbResult CallBlocking(DynamoDbClient& client, std::string_view operation,
                            std::string request) {
  auto promise = std::make_shared<std::promise<DynamoDbResult>>();
  std::future<DynamoDbResult> future = promise->get_future();
  client.Call(operation, std::move(request),
              [promise](DynamoDbResult answer) { promise->set_value(std::move(answer)); });
  return future.get();
}

std::string TableRequest(const std::string& table, const std::function<void(Writer&)>& more = {}) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("TableName");
  writer.String(table.data(), static_cast<rapidjson::SizeType>(table.size()));
  if (more) more(writer);
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

void WriteString(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void WriteKeyElement(Writer& writer, std::string_view name, std::string_view key_type) {
  writer.StartObject();
  writer.Key("AttributeName");
  WriteString(writer, name);
  writer.Key("KeyType");
  WriteString(writer, key_type);
  writer.EndObject();
}

void WriteDefinition(Writer& writer, std::string_view name, std::string_view type) {
  writer.StartObject();
  writer.Key("AttributeName");
  WriteString(writer, name);
  writer.Key("AttributeType");
  WriteString(writer, type);
  writer.EndObject();
}

// Capacity for a new index of a provisioned table (none for on-demand billing).
struct Capacity {
  int64_t read = 0;
  int64_t write = 0;
};

// One index as GlobalSecondaryIndexes (CreateTable) and Create (UpdateTable) describe it.
void WriteIndex(Writer& writer, const GlobalIndex& index, const std::optional<Capacity>& capacity) {
  writer.StartObject();
  writer.Key("IndexName");
  WriteString(writer, index.name);
  writer.Key("KeySchema");
  writer.StartArray();
  WriteKeyElement(writer, index.partition_key, "HASH");
  WriteKeyElement(writer, index.sort_key, "RANGE");
  writer.EndArray();
  writer.Key("Projection");
  writer.StartObject();
  writer.Key("ProjectionType");
  writer.String("ALL");
  writer.EndObject();
  if (capacity) {
    writer.Key("ProvisionedThroughput");
    writer.StartObject();
    writer.Key("ReadCapacityUnits");
    writer.Int64(capacity->read);
    writer.Key("WriteCapacityUnits");
    writer.Int64(capacity->write);
    writer.EndObject();
  }
  writer.EndObject();
}

std::string CreateTableRequest(const std::string& table, bool with_indexes) {
  return TableRequest(table, [with_indexes](Writer& writer) {
    writer.Key("AttributeDefinitions");
    writer.StartArray();
    for (const KeyElement& element : kKeySchema) WriteDefinition(writer, element.name, "S");
    if (with_indexes) {
      for (const GlobalIndex& index : kGlobalIndexes) {
        WriteDefinition(writer, index.sort_key, index.sort_type);
      }
    }
    writer.EndArray();
    writer.Key("KeySchema");
    writer.StartArray();
    for (const KeyElement& element : kKeySchema) {
      WriteKeyElement(writer, element.name, element.key_type);
    }
    writer.EndArray();
    if (with_indexes) {
      writer.Key("GlobalSecondaryIndexes");
      writer.StartArray();
      for (const GlobalIndex& index : kGlobalIndexes) WriteIndex(writer, index, std::nullopt);
      writer.EndArray();
    }
    // Leads come in bursts (a campaign) and otherwise trickle: on-demand capacity fits.
    writer.Key("BillingMode");
    writer.String("PAY_PER_REQUEST");
  });
}

std::string AddIndexRequest(const std::string& table, const GlobalIndex& index,
                            const std::optional<Capacity>& capacity) {
  return TableRequest(table, [&](Writer& writer) {
    writer.Key("AttributeDefinitions");
    writer.StartArray();
    WriteDefinition(writer, index.partition_key, "S");
    WriteDefinition(writer, index.sort_key, index.sort_type);
    writer.EndArray();
    writer.Key("GlobalSecondaryIndexUpdates");
    writer.StartArray();
    writer.StartObject();
    writer.Key("Create");
    WriteIndex(writer, index, capacity);
    writer.EndObject();
    writer.EndArray();
  });
}

std::string TimeToLiveRequest(const std::string& table) {
  return TableRequest(table, [](Writer& writer) {
    writer.Key("TimeToLiveSpecification");
    writer.StartObject();
    writer.Key("Enabled");
    writer.Bool(true);
    writer.Key("AttributeName");
    writer.String(kTimeToLiveAttribute);
    writer.EndObject();
  });
}

std::string Text(const rapidjson::Value& object, const char* field) {
  if (!object.IsObject()) return "";
  auto found = object.FindMember(field);
  if (found == object.MemberEnd() || !found->value.IsString()) return "";
  return {found->value.GetString(), found->value.GetStringLength()};
}

int64_t Number(const rapidjson::Value& object, const char* field) {
  if (!object.IsObject()) return 0;
  auto found = object.FindMember(field);
  if (found == object.MemberEnd() || !found->value.IsInt64()) return 0;
  return found->value.GetInt64();
}

struct Description {
  bool exists = false;
  std::string status;
  // Everything wrong, as CheckTable lists it; `layout` is the part no command here repairs
  // (key schema, an index of another layout), `missing_indexes` the part migrate adds.
  std::vector<std::string> problems;
  std::vector<std::string> layout;
  std::vector<GlobalIndex> missing_indexes;
  std::map<std::string, std::string> index_status;  // index name -> IndexStatus
  // The table's capacity when it is not billed on demand.
  std::optional<Capacity> provisioned;

  // ACTIVE, and so is every index it has.
  bool settled() const {
    if (status != "ACTIVE") return false;
    return std::all_of(index_status.begin(), index_status.end(),
                       [](const auto& entry) { return entry.second == "ACTIVE"; });
  }
};

// Reads the kGlobalIndexes part of a DescribeTable answer into `description`.
void DescribeIndexes(const rapidjson::Value& json, const std::string& table,
                     const std::map<std::string, std::string>& attribute_types,
                     Description& description) {
  std::map<std::string, const rapidjson::Value*> found;
  if (auto indexes = json.FindMember("GlobalSecondaryIndexes");
      indexes != json.MemberEnd() && indexes->value.IsArray()) {
    for (const auto& index : indexes->value.GetArray()) {
      found[Text(index, "IndexName")] = &index;
      description.index_status[Text(index, "IndexName")] = Text(index, "IndexStatus");
    }
  }
  for (const GlobalIndex& want : kGlobalIndexes) {
    const std::string name(want.name);
    const std::string expected = std::string(want.partition_key) + " HASH (S), " +
                                 std::string(want.sort_key) + " RANGE (" +
                                 std::string(want.sort_type) + "), projection ALL";
    auto index = found.find(name);
    if (index == found.end()) {
      description.missing_indexes.push_back(want);
      description.problems.push_back("Table " + table + " has no global secondary index " + name +
                                     " (" + expected + "): run pcustomer dynamodb migrate");
      continue;
    }
    const rapidjson::Value& json_index = *index->second;
    std::string hash;
    std::string range;
    if (auto keys = json_index.FindMember("KeySchema");
        keys != json_index.MemberEnd() && keys->value.IsArray()) {
      for (const auto& key : keys->value.GetArray()) {
        (Text(key, "KeyType") == "HASH" ? hash : range) = Text(key, "AttributeName");
      }
    }
    auto type_of = [&](const std::string& attribute) {
      auto at = attribute_types.find(attribute);
      return at == attribute_types.end() ? std::string("?") : at->second;
    };
    const std::string projection =
        json_index.HasMember("Projection") ? Text(json_index["Projection"], "ProjectionType") : "";
    if (hash != want.partition_key || range != want.sort_key || type_of(hash) != "S" ||
        type_of(range) != want.sort_type || projection != "ALL") {
      const std::string line = "Table " + table + " has index " + name + " as " + hash + " HASH (" +
                               type_of(hash) + "), " + range + " RANGE (" + type_of(range) +
                               "), projection " + projection + "; expected " + expected;
      description.problems.push_back(line);
      description.layout.push_back(line);
      continue;
    }
    const std::string& status = description.index_status[name];
    if (status != "ACTIVE") {
      description.problems.push_back("Index " + name + " of table " + table + " is " +
                                     (status.empty() ? "of unknown status" : status) +
                                     ", not ACTIVE");
    }
  }
}

// DescribeTable, read into the problems CheckTable lists.
Result<Description> Describe(DynamoDbClient& client, const std::string& table) {
  DynamoDbResult answer = CallBlocking(client, "DescribeTable", TableRequest(table));
  Description description;
  if (!answer.ok()) {
    if (answer.error().kind == DynamoDbFailure::kTableMissing) {
      description.problems.push_back("Table " + table + " does not exist");
      return description;
    }
    return StoreError(answer.error());
  }
  rapidjson::Document document;
  document.Parse(answer->data(), answer->size());
  if (document.HasParseError() || !document.IsObject() || !document.HasMember("Table") ||
      !document["Table"].IsObject()) {
    return Error::Unavailable("DynamoDB sent a malformed DescribeTable response");
  }
  const rapidjson::Value& description_json = document["Table"];
  description.exists = true;
  description.status = Text(description_json, "TableStatus");

  std::map<std::string, std::string> attribute_types;
  if (auto definitions = description_json.FindMember("AttributeDefinitions");
      definitions != description_json.MemberEnd() && definitions->value.IsArray()) {
    for (const auto& definition : definitions->value.GetArray()) {
      attribute_types[Text(definition, "AttributeName")] = Text(definition, "AttributeType");
    }
  }
  std::vector<std::pair<std::string, std::string>> schema;
  if (auto keys = description_json.FindMember("KeySchema");
      keys != description_json.MemberEnd() && keys->value.IsArray()) {
    for (const auto& key : keys->value.GetArray()) {
      schema.emplace_back(Text(key, "AttributeName"), Text(key, "KeyType"));
    }
  }
  const std::string expected = "expected partition key type (S) and sort key id (S)";
  for (size_t i = 0; i < kKeySchema.size(); ++i) {
    const KeyElement& want = kKeySchema[i];
    const std::string role = i == 0 ? "partition key" : "sort key";
    if (i >= schema.size()) {
      description.layout.push_back("Table " + table + " has no " + role + "; " + expected);
      continue;
    }
    const auto& [name, key_type] = schema[i];
    if (name != want.name || key_type != want.key_type) {
      description.layout.push_back("Table " + table + " has " + name + " (" + key_type +
                                   ") where the " + role + " " + want.name + " belongs; " +
                                   expected);
      continue;
    }
    const std::string type = attribute_types.contains(name) ? attribute_types[name] : "?";
    if (type != "S") {
      description.layout.push_back("Table " + table + " declares " + role + " " + name +
                                   " of type " + type + "; " + expected);
    }
  }
  if (schema.size() > kKeySchema.size()) {
    description.layout.push_back("Table " + table + " has more key attributes than " +
                                 "type and id; " + expected);
  }
  description.problems = description.layout;
  if (description.status != "ACTIVE") {
    description.problems.push_back(
        "Table " + table + " is " +
        (description.status.empty() ? "of unknown status" : description.status) + ", not ACTIVE");
  }
  DescribeIndexes(description_json, table, attribute_types, description);
  if (auto billing = description_json.FindMember("BillingModeSummary");
      billing == description_json.MemberEnd() ||
      Text(billing->value, "BillingMode") != "PAY_PER_REQUEST") {
    // No summary: a table that was never on demand (DynamoDB's default is PROVISIONED).
    if (auto throughput = description_json.FindMember("ProvisionedThroughput");
        throughput != description_json.MemberEnd()) {
      Capacity capacity{Number(throughput->value, "ReadCapacityUnits"),
                        Number(throughput->value, "WriteCapacityUnits")};
      if (capacity.read > 0 && capacity.write > 0) description.provisioned = capacity;
    }
  }
  return description;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : "; ") + line;
  return out;
}

}  // namespace

Result<TableSetup> CreateTable(DynamoDbClient& client, const std::string& table,
                               const TableWaitOptions& options) {
  TableSetup setup;
  DynamoDbResult created = CallBlocking(client, "CreateTable", CreateTableRequest(table, true));
  if (!created.ok() && created.error().kind == DynamoDbFailure::kValidation) {
    // A refusal is ResourceInUseException when the table exists (whatever the message says:
    // dynalite sends none). Otherwise it may be the indexes the endpoint does not take: the
    // table without them still serves everything but the sorted search.
    Result<Description> described = Describe(client, table);
    if (!described.ok()) return std::move(described).error();
    if (!described->exists) {
      DynamoDbResult plain = CallBlocking(client, "CreateTable", CreateTableRequest(table, false));
      if (plain.ok()) {
        setup.notes.push_back("The global secondary indexes could not be created (" +
                              created.error().message + "): the table has none");
        created = std::move(plain);
      }
    }
  }
  if (created.ok()) {
    setup.created = true;
  } else if (created.error().kind != DynamoDbFailure::kValidation) {
    return StoreError(created.error());
  }
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  Description ready;
  while (true) {
    Result<Description> described = Describe(client, table);
    if (!described.ok()) return std::move(described).error();
    if (!described->exists) {
      if (!created.ok()) {
        return Error::BadRequest("DynamoDB refused to create table " + table + ": " +
                                 created.error().message);
      }
    } else if (described->settled()) {
      if (!described->layout.empty()) return Error::BadRequest(Join(described->layout));
      ready = std::move(described).value();
      break;
    } else if (described->status != "ACTIVE" && described->status != "CREATING" &&
               described->status != "UPDATING") {
      return Error::Unavailable(Join(described->problems));
    }
    // Still being created (some endpoints answer "not found" for a moment, too).
    if (std::chrono::steady_clock::now() >= deadline) {
      return Error::Unavailable("Table " + table + " is not ACTIVE after " +
                                std::to_string(options.timeout.count()) + " ms");
    }
    std::this_thread::sleep_for(options.poll_interval);
  }
  if (!ready.missing_indexes.empty() && setup.notes.empty()) {
    std::string names;
    for (const GlobalIndex& index : ready.missing_indexes) {
      names += (names.empty() ? "" : ", ") + std::string(index.name);
    }
    setup.notes.push_back("Table " + table + " has no global secondary index " + names +
                          ": run pcustomer dynamodb migrate");
  }

  DynamoDbResult ttl = CallBlocking(client, "UpdateTimeToLive", TimeToLiveRequest(table));
  if (!ttl.ok()) {
    const DynamoDbCallError& error = ttl.error();
    if (error.kind != DynamoDbFailure::kValidation &&
        error.kind != DynamoDbFailure::kUnknownOperation)
      return StoreError(error);
    // "TimeToLive is already enabled" is what a second run hears; anything else (dynalite
    // has no such operation) only means expired refresh tokens are not purged.
    if (error.message.find("already enabled") == std::string::npos) {
      setup.notes.push_back("Time to live on " + std::string(kTimeToLiveAttribute) +
                            " could not be enabled (" + error.message +
                            "): expired refresh tokens are kept");
    }
  }
  return setup;
}

namespace {

// Describes `table` until it and its indexes are ACTIVE, and `index` is listed (none: any
// description). kBadRequest when `index` is absent: the endpoint took the UpdateTable that
// adds it without doing so.
Result<Description> WaitUntilSettled(DynamoDbClient& client, const std::string& table,
                                     const TableWaitOptions& options,
                                     std::optional<std::string_view> index) {
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  while (true) {
    Result<Description> described = Describe(client, table);
    if (!described.ok()) return std::move(described).error();
    if (!described->exists) return Error::BadRequest(Join(described->problems));
    if (index && !described->index_status.contains(std::string(*index))) {
      return Error::BadRequest("DynamoDB accepted the UpdateTable that adds index " +
                               std::string(*index) + " to table " + table +
                               " but did not create it (an endpoint without online index "
                               "creation, such as dynalite)");
    }
    if (described->settled()) return described;
    if (std::chrono::steady_clock::now() >= deadline) {
      return Error::Unavailable(Join(described->problems) + " after " +
                                std::to_string(options.timeout.count()) + " ms");
    }
    std::this_thread::sleep_for(options.poll_interval);
  }
}

}  // namespace

Result<TableMigration> MigrateTable(DynamoDbClient& client, const std::string& table,
                                    const TableWaitOptions& options) {
  TableMigration migration;
  // An index still being made (an earlier run that was stopped) is waited for, not added again.
  Result<Description> described = WaitUntilSettled(client, table, options, std::nullopt);
  if (!described.ok()) return std::move(described).error();
  if (!described->layout.empty()) return Error::BadRequest(Join(described->layout));
  for (const GlobalIndex& index : described->missing_indexes) {
    DynamoDbResult updated =
        CallBlocking(client, "UpdateTable", AddIndexRequest(table, index, described->provisioned));
    if (!updated.ok()) {
      if (updated.error().kind != DynamoDbFailure::kValidation) return StoreError(updated.error());
      return Error::BadRequest("DynamoDB refused to add index " + std::string(index.name) +
                               " to table " + table + ": " + updated.error().message);
    }
    Result<Description> after = WaitUntilSettled(client, table, options, index.name);
    if (!after.ok()) return std::move(after).error();
    migration.added.emplace_back(index.name);
  }
  return migration;
}

Result<std::vector<std::string>> CheckTable(DynamoDbClient& client, const std::string& table) {
  Result<Description> described = Describe(client, table);
  if (!described.ok()) return std::move(described).error();
  return std::move(described->problems);
}

}  // namespace pcustomer::dynamodb
