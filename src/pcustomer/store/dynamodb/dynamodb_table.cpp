#include "pcustomer/store/dynamodb/dynamodb_table.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
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

std::string CreateTableRequest(const std::string& table) {
  return TableRequest(table, [](Writer& writer) {
    writer.Key("AttributeDefinitions");
    writer.StartArray();
    for (const KeyElement& element : kKeySchema) {
      writer.StartObject();
      writer.Key("AttributeName");
      writer.String(element.name);
      writer.Key("AttributeType");
      writer.String("S");
      writer.EndObject();
    }
    writer.EndArray();
    writer.Key("KeySchema");
    writer.StartArray();
    for (const KeyElement& element : kKeySchema) {
      writer.StartObject();
      writer.Key("AttributeName");
      writer.String(element.name);
      writer.Key("KeyType");
      writer.String(element.key_type);
      writer.EndObject();
    }
    writer.EndArray();
    // Leads come in bursts (a campaign) and otherwise trickle: on-demand capacity fits.
    writer.Key("BillingMode");
    writer.String("PAY_PER_REQUEST");
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

struct Description {
  bool exists = false;
  std::string status;
  std::vector<std::string> problems;
};

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
      description.problems.push_back("Table " + table + " has no " + role + "; " + expected);
      continue;
    }
    const auto& [name, key_type] = schema[i];
    if (name != want.name || key_type != want.key_type) {
      description.problems.push_back("Table " + table + " has " + name + " (" + key_type +
                                     ") where the " + role + " " + want.name + " belongs; " +
                                     expected);
      continue;
    }
    const std::string type = attribute_types.contains(name) ? attribute_types[name] : "?";
    if (type != "S") {
      description.problems.push_back("Table " + table + " declares " + role + " " + name +
                                     " of type " + type + "; " + expected);
    }
  }
  if (schema.size() > kKeySchema.size()) {
    description.problems.push_back("Table " + table + " has more key attributes than " +
                                   "type and id; " + expected);
  }
  if (description.status != "ACTIVE") {
    description.problems.push_back(
        "Table " + table + " is " +
        (description.status.empty() ? "of unknown status" : description.status) + ", not ACTIVE");
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
  DynamoDbResult created = CallBlocking(client, "CreateTable", CreateTableRequest(table));
  if (created.ok()) {
    setup.created = true;
  } else if (created.error().kind != DynamoDbFailure::kValidation) {
    return StoreError(created.error());
  }
  // A refusal is ResourceInUseException when the table exists (whatever the message says:
  // dynalite sends none); otherwise DescribeTable finds nothing and the refusal stands.
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  while (true) {
    Result<Description> described = Describe(client, table);
    if (!described.ok()) return std::move(described).error();
    if (!described->exists) {
      if (!created.ok()) {
        return Error::BadRequest("DynamoDB refused to create table " + table + ": " +
                                 created.error().message);
      }
    } else if (described->status == "ACTIVE") {
      if (!described->problems.empty()) return Error::BadRequest(Join(described->problems));
      break;
    } else if (described->status != "CREATING" && described->status != "UPDATING") {
      return Error::Unavailable(Join(described->problems));
    }
    // Still being created (some endpoints answer "not found" for a moment, too).
    if (std::chrono::steady_clock::now() >= deadline) {
      return Error::Unavailable("Table " + table + " is not ACTIVE after " +
                                std::to_string(options.timeout.count()) + " ms");
    }
    std::this_thread::sleep_for(options.poll_interval);
  }

  DynamoDbResult ttl = CallBlocking(client, "UpdateTimeToLive", TimeToLiveRequest(table));
  if (!ttl.ok()) {
    const DynamoDbCallError& error = ttl.error();
    if (error.kind != DynamoDbFailure::kValidation) return StoreError(error);
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

Result<std::vector<std::string>> CheckTable(DynamoDbClient& client, const std::string& table) {
  Result<Description> described = Describe(client, table);
  if (!described.ok()) return std::move(described).error();
  return std::move(described->problems);
}

}  // namespace pcustomer::dynamodb
