#include "pcustomer/store/dynamodb/dynamodb_batch_get.hpp"

#include <optional>
#include <utility>

#include "pcustomer/store/dynamodb/dynamodb_json_parts.hpp"

namespace pcustomer::dynamodb {
namespace {

using json::Value;
using json::View;
using json::Writer;

void WriteKeysAndAttributes(Writer& writer, const KeysAndAttributes& read) {
  writer.StartObject();
  json::WriteKey(writer, "Keys");
  writer.StartArray();
  for (const Item& key : read.keys) json::WriteItem(writer, key);
  writer.EndArray();
  if (read.consistent_read) {
    json::WriteKey(writer, "ConsistentRead");
    writer.Bool(true);
  }
  json::WriteField(writer, "ProjectionExpression", read.projection);
  json::WritePlaceholders(writer, read.names, {});
  writer.EndObject();
}

std::optional<KeysAndAttributes> ReadKeysAndAttributes(const Value& value) {
  if (!value.IsObject()) return std::nullopt;
  KeysAndAttributes read;
  for (const auto& member : value.GetObject()) {
    const std::string_view field = View(member.name);
    const Value& body = member.value;
    if (field == "Keys" && body.IsArray()) {
      for (const Value& entry : body.GetArray()) {
        std::optional<Item> key = json::ReadItem(entry);
        if (!key) return std::nullopt;
        read.keys.push_back(std::move(*key));
      }
    } else if (field == "ConsistentRead" && body.IsBool()) {
      read.consistent_read = body.GetBool();
    } else if (field == "ProjectionExpression" && body.IsString()) {
      read.projection = std::string(View(body));
    } else if (field == "ExpressionAttributeNames") {
      std::optional<json::Names> names = json::ReadNames(body);
      if (!names) return std::nullopt;
      read.names = std::move(*names);
    } else {
      return std::nullopt;
    }
  }
  return read;
}

// Table name -> what to read there, as RequestItems and UnprocessedKeys carry it.
std::optional<std::map<std::string, KeysAndAttributes>> ReadTables(const Value& value) {
  if (!value.IsObject()) return std::nullopt;
  std::map<std::string, KeysAndAttributes> tables;
  for (const auto& member : value.GetObject()) {
    std::optional<KeysAndAttributes> read = ReadKeysAndAttributes(member.value);
    if (!read) return std::nullopt;
    tables.emplace(std::string(View(member.name)), std::move(*read));
  }
  return tables;
}

void WriteTables(Writer& writer, const std::map<std::string, KeysAndAttributes>& tables) {
  writer.StartObject();
  for (const auto& [table, read] : tables) {
    json::WriteKey(writer, table);
    WriteKeysAndAttributes(writer, read);
  }
  writer.EndObject();
}

}  // namespace

std::string KeysAndAttributes::Name(std::string_view attribute) {
  std::string placeholder = "#" + std::string(attribute);
  names[placeholder] = std::string(attribute);
  return placeholder;
}

std::string ToJson(const BatchGetRequest& request) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  json::WriteKey(writer, "RequestItems");
  WriteTables(writer, request.tables);
  writer.EndObject();
  return json::Text(buffer);
}

Result<BatchGetRequest> ParseBatchGetRequest(std::string_view text) {
  rapidjson::Document document;
  if (!json::ParseObject(text, document)) return json::MalformedRequest();
  BatchGetRequest request;
  for (const auto& member : document.GetObject()) {
    const std::string_view field = View(member.name);
    std::optional<std::map<std::string, KeysAndAttributes>> tables;
    if (field == "RequestItems") tables = ReadTables(member.value);
    if (!tables) {
      return Error::BadRequest("ValidationException: unexpected or malformed field " +
                               std::string(field));
    }
    request.tables = std::move(*tables);
  }
  return request;
}

std::string ToJson(const BatchGetResponse& response) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  json::WriteKey(writer, "Responses");
  writer.StartObject();
  for (const auto& [table, items] : response.responses) {
    json::WriteKey(writer, table);
    writer.StartArray();
    for (const Item& item : items) json::WriteItem(writer, item);
    writer.EndArray();
  }
  writer.EndObject();
  json::WriteKey(writer, "UnprocessedKeys");
  WriteTables(writer, response.unprocessed_keys);
  writer.EndObject();
  return json::Text(buffer);
}

Result<BatchGetResponse> ParseBatchGetResponse(std::string_view text) {
  const auto malformed = [] { return json::MalformedResponse(); };
  rapidjson::Document document;
  if (!json::ParseObject(text, document)) return malformed();
  BatchGetResponse response;
  for (const auto& member : document.GetObject()) {
    const std::string_view field = View(member.name);
    const Value& value = member.value;
    if (field == "Responses") {
      if (!value.IsObject()) return malformed();
      for (const auto& table : value.GetObject()) {
        if (!table.value.IsArray()) return malformed();
        std::vector<Item>& items = response.responses[std::string(View(table.name))];
        for (const Value& entry : table.value.GetArray()) {
          std::optional<Item> item = json::ReadItem(entry);
          if (!item) return malformed();
          items.push_back(std::move(*item));
        }
      }
    } else if (field == "UnprocessedKeys") {
      std::optional<std::map<std::string, KeysAndAttributes>> tables = ReadTables(value);
      if (!tables) return malformed();
      response.unprocessed_keys = std::move(*tables);
    }
    // Anything else (ConsumedCapacity) is not needed.
  }
  return response;
}

}  // namespace pcustomer::dynamodb
