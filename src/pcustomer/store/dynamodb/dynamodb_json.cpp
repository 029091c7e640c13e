#include "pcustomer/store/dynamodb/dynamodb_json.hpp"

#include <charconv>
#include <utility>

#include "pcustomer/store/dynamodb/dynamodb_json_parts.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer::dynamodb {
namespace json {

void WriteString(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void WriteKey(Writer& writer, std::string_view key) {
  writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

static void WriteAttributeValue(Writer& writer, const AttributeValue& value) {
  using Type = AttributeValue::Type;
  if (value.type == Type::kOther) {
    writer.RawValue(value.text.data(), value.text.size(), rapidjson::kObjectType);
    return;
  }
  writer.StartObject();
  switch (value.type) {
    case Type::kString:
      WriteKey(writer, "S");
      WriteString(writer, value.text);
      break;
    case Type::kNumber:
      WriteKey(writer, "N");
      WriteString(writer, value.text);
      break;
    case Type::kBinary:
      WriteKey(writer, "B");
      WriteString(writer, Base64Encode(value.text));
      break;
    case Type::kBool:
      WriteKey(writer, "BOOL");
      writer.Bool(value.text == "true");
      break;
    case Type::kNull:
    case Type::kOther:
      WriteKey(writer, "NULL");
      writer.Bool(true);
      break;
  }
  writer.EndObject();
}

void WriteItem(Writer& writer, const Item& item) {
  writer.StartObject();
  for (const auto& [name, value] : item) {
    WriteKey(writer, name);
    WriteAttributeValue(writer, value);
  }
  writer.EndObject();
}

void WriteField(Writer& writer, std::string_view key, std::string_view text) {
  if (text.empty()) return;
  WriteKey(writer, key);
  WriteString(writer, text);
}

std::string_view View(const Value& value) { return {value.GetString(), value.GetStringLength()}; }

std::string Text(const rapidjson::StringBuffer& buffer) {
  return {buffer.GetString(), buffer.GetSize()};
}

bool ParseObject(std::string_view text, rapidjson::Document& document) {
  document.Parse(text.data(), text.size());
  return !document.HasParseError() && document.IsObject();
}

Error MalformedRequest() {
  return Error::BadRequest("SerializationException: the request is not a JSON object");
}

Error MalformedResponse() {
  return Error::Unavailable("Store unavailable: DynamoDB sent a malformed response");
}

void WritePlaceholders(Writer& writer, const Names& names, const Item& values) {
  if (!names.empty()) {
    WriteKey(writer, "ExpressionAttributeNames");
    writer.StartObject();
    for (const auto& [placeholder, name] : names) {
      WriteKey(writer, placeholder);
      WriteString(writer, name);
    }
    writer.EndObject();
  }
  if (!values.empty()) {
    WriteKey(writer, "ExpressionAttributeValues");
    WriteItem(writer, values);
  }
}

static std::string RawJson(const Value& value) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

static std::optional<AttributeValue> ReadAttributeValue(const Value& value) {
  if (!value.IsObject() || value.MemberCount() != 1) return std::nullopt;
  const auto& member = *value.MemberBegin();
  const std::string_view type = View(member.name);
  const Value& body = member.value;
  if (type == "S" && body.IsString()) return AttributeValue::S(std::string(View(body)));
  if (type == "N" && body.IsString()) return AttributeValue::NumberText(std::string(View(body)));
  if (type == "B" && body.IsString()) {
    std::optional<std::string> bytes = Base64Decode(View(body));
    if (!bytes) return std::nullopt;
    return AttributeValue::B(std::move(*bytes));
  }
  if (type == "BOOL" && body.IsBool()) return AttributeValue::Bool(body.GetBool());
  if (type == "NULL" && body.IsBool()) return AttributeValue{};
  return AttributeValue{AttributeValue::Type::kOther, RawJson(value)};
}

std::optional<Item> ReadItem(const Value& value) {
  if (!value.IsObject()) return std::nullopt;
  Item item;
  for (const auto& member : value.GetObject()) {
    std::optional<AttributeValue> attribute = ReadAttributeValue(member.value);
    if (!attribute) return std::nullopt;
    item.emplace(std::string(View(member.name)), std::move(*attribute));
  }
  return item;
}

std::optional<Names> ReadNames(const Value& value) {
  if (!value.IsObject()) return std::nullopt;
  Names names;
  for (const auto& member : value.GetObject()) {
    if (!member.value.IsString()) return std::nullopt;
    names.emplace(std::string(View(member.name)), std::string(View(member.value)));
  }
  return names;
}

}  // namespace json

using json::Names;
using json::ReadItem;
using json::ReadNames;
using json::Value;
using json::View;
using json::WriteField;
using json::WriteItem;
using json::WriteKey;
using json::WritePlaceholders;
using json::Writer;

namespace {

// Accepts "-12", "30", "30.0" and "30.000": numbers the service echoes for whole values.
std::optional<int64_t> ParseWholeNumber(std::string_view text) {
  if (const size_t dot = text.find('.'); dot != std::string_view::npos) {
    const std::string_view fraction = text.substr(dot + 1);
    if (fraction.find_first_not_of('0') != std::string_view::npos) return std::nullopt;
    text = text.substr(0, dot);
  }
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<std::string> StringAttribute(const Item& item, std::string_view name) {
  const auto found = item.find(name);
  if (found == item.end() || !found->second.is_string()) return std::nullopt;
  return found->second.text;
}

std::optional<int64_t> IntegerAttribute(const Item& item, std::string_view name) {
  const auto found = item.find(name);
  if (found == item.end() || !found->second.is_number()) return std::nullopt;
  return ParseWholeNumber(found->second.text);
}

std::optional<bool> BoolAttribute(const Item& item, std::string_view name) {
  const auto found = item.find(name);
  if (found == item.end() || found->second.type != AttributeValue::Type::kBool) {
    return std::nullopt;
  }
  return found->second.text == "true";
}

std::string Request::Name(std::string_view attribute) {
  std::string placeholder = "#" + std::string(attribute);
  names[placeholder] = std::string(attribute);
  return placeholder;
}

std::string Request::Value(std::string_view placeholder, AttributeValue value) {
  std::string name = ":" + std::string(placeholder);
  values[name] = std::move(value);
  return name;
}

std::string ToJson(const Request& request) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  WriteField(writer, "TableName", request.table);
  WriteField(writer, "IndexName", request.index_name);
  if (request.key) {
    WriteKey(writer, "Key");
    WriteItem(writer, *request.key);
  }
  if (request.item) {
    WriteKey(writer, "Item");
    WriteItem(writer, *request.item);
  }
  WriteField(writer, "KeyConditionExpression", request.key_condition);
  WriteField(writer, "ConditionExpression", request.condition);
  WriteField(writer, "UpdateExpression", request.update);
  WriteField(writer, "FilterExpression", request.filter);
  WriteField(writer, "ProjectionExpression", request.projection);
  WritePlaceholders(writer, request.names, request.values);
  WriteField(writer, "ReturnValues", request.return_values);
  WriteField(writer, "Select", request.select);
  if (request.consistent_read) {
    WriteKey(writer, "ConsistentRead");
    writer.Bool(true);
  }
  if (request.limit) {
    WriteKey(writer, "Limit");
    writer.Int(*request.limit);
  }
  if (request.exclusive_start_key) {
    WriteKey(writer, "ExclusiveStartKey");
    WriteItem(writer, *request.exclusive_start_key);
  }
  if (request.scan_index_forward) {
    WriteKey(writer, "ScanIndexForward");
    writer.Bool(*request.scan_index_forward);
  }
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

Result<Request> ParseRequest(std::string_view json) {
  rapidjson::Document document;
  if (!json::ParseObject(json, document)) return json::MalformedRequest();
  Request request;
  for (const auto& member : document.GetObject()) {
    const std::string_view field = View(member.name);
    const Value& value = member.value;
    auto text = [&](std::string& out) {
      if (!value.IsString()) return false;
      out = std::string(View(value));
      return true;
    };
    auto item = [&](std::optional<Item>& out) {
      out = ReadItem(value);
      return out.has_value();
    };
    bool ok = false;
    if (field == "TableName") {
      ok = text(request.table);
    } else if (field == "IndexName") {
      ok = text(request.index_name);
    } else if (field == "Key") {
      ok = item(request.key);
    } else if (field == "Item") {
      ok = item(request.item);
    } else if (field == "KeyConditionExpression") {
      ok = text(request.key_condition);
    } else if (field == "ConditionExpression") {
      ok = text(request.condition);
    } else if (field == "UpdateExpression") {
      ok = text(request.update);
    } else if (field == "FilterExpression") {
      ok = text(request.filter);
    } else if (field == "ProjectionExpression") {
      ok = text(request.projection);
    } else if (field == "ExpressionAttributeNames") {
      std::optional<Names> names = ReadNames(value);
      ok = names.has_value();
      if (ok) request.names = std::move(*names);
    } else if (field == "ExpressionAttributeValues") {
      std::optional<Item> values = ReadItem(value);
      ok = values.has_value();
      if (ok) request.values = std::move(*values);
    } else if (field == "ReturnValues") {
      ok = text(request.return_values);
    } else if (field == "Select") {
      ok = text(request.select);
    } else if (field == "ConsistentRead") {
      ok = value.IsBool();
      if (ok) request.consistent_read = value.GetBool();
    } else if (field == "Limit") {
      ok = value.IsInt();
      if (ok) request.limit = value.GetInt();
    } else if (field == "ExclusiveStartKey") {
      ok = item(request.exclusive_start_key);
    } else if (field == "ScanIndexForward") {
      ok = value.IsBool();
      if (ok) request.scan_index_forward = value.GetBool();
    }
    if (!ok) {
      return Error::BadRequest("ValidationException: unexpected or malformed field " +
                               std::string(field));
    }
  }
  return request;
}

std::string ToJson(const Response& response) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  if (response.item) {
    WriteKey(writer, "Item");
    WriteItem(writer, *response.item);
  }
  if (response.attributes) {
    WriteKey(writer, "Attributes");
    WriteItem(writer, *response.attributes);
  }
  if (response.items) {
    WriteKey(writer, "Items");
    writer.StartArray();
    for (const Item& item : *response.items) WriteItem(writer, item);
    writer.EndArray();
  }
  if (response.count) {
    WriteKey(writer, "Count");
    writer.Int64(*response.count);
  }
  if (response.scanned_count) {
    WriteKey(writer, "ScannedCount");
    writer.Int64(*response.scanned_count);
  }
  if (response.last_evaluated_key) {
    WriteKey(writer, "LastEvaluatedKey");
    WriteItem(writer, *response.last_evaluated_key);
  }
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

Result<Response> ParseResponse(std::string_view json) {
  const auto malformed = [] { return json::MalformedResponse(); };
  rapidjson::Document document;
  if (!json::ParseObject(json, document)) return malformed();
  Response response;
  for (const auto& member : document.GetObject()) {
    const std::string_view field = View(member.name);
    const Value& value = member.value;
    if (field == "Item" || field == "Attributes" || field == "LastEvaluatedKey") {
      std::optional<Item> item = ReadItem(value);
      if (!item) return malformed();
      (field == "Item"         ? response.item
       : field == "Attributes" ? response.attributes
                               : response.last_evaluated_key) = std::move(item);
    } else if (field == "Items") {
      if (!value.IsArray()) return malformed();
      std::vector<Item> items;
      items.reserve(value.Size());
      for (const Value& entry : value.GetArray()) {
        std::optional<Item> item = ReadItem(entry);
        if (!item) return malformed();
        items.push_back(std::move(*item));
      }
      response.items = std::move(items);
    } else if (field == "Count" || field == "ScannedCount") {
      if (!value.IsInt64()) return malformed();
      (field == "Count" ? response.count : response.scanned_count) = value.GetInt64();
    }
    // Anything else (ConsumedCapacity, ItemCollectionMetrics, ...) is not needed.
  }
  return response;
}

std::string Base64Encode(std::string_view bytes) {
  std::string text = Base64UrlEncode(bytes);
  for (char& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (text.size() % 4 != 0) text += '=';
  return text;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t end = text.size();
  for (int pad = 0; pad < 2 && end > 0 && text[end - 1] == '='; ++pad) --end;
  std::string url(text.substr(0, end));
  for (char& c : url) {
    if (c == '+') {
      c = '-';
    } else if (c == '/') {
      c = '_';
    } else if (c == '-' || c == '_') {
      return std::nullopt;  // the URL-safe alphabet is not standard base64
    }
  }
  return Base64UrlDecode(url);
}

}  // namespace pcustomer::dynamodb
