#include "pcustomer/store/dynamodb/dynamodb_transact.hpp"

#include <array>
#include <optional>
#include <utility>

#include "pcustomer/store/dynamodb/dynamodb_json_parts.hpp"

namespace pcustomer::dynamodb {
namespace {

using json::Value;
using json::View;
using json::Writer;

struct ActionName {
  TransactAction action;
  std::string_view name;
};
constexpr std::array<ActionName, 4> kActions{{{TransactAction::kPut, "Put"},
                                              {TransactAction::kUpdate, "Update"},
                                              {TransactAction::kDelete, "Delete"},
                                              {TransactAction::kConditionCheck, "ConditionCheck"}}};

std::string_view NameOf(TransactAction action) {
  for (const ActionName& entry : kActions) {
    if (entry.action == action) return entry.name;
  }
  return "Put";
}

void WriteTransactItem(Writer& writer, const TransactItem& item) {
  const Request& request = item.request;
  writer.StartObject();
  json::WriteKey(writer, NameOf(item.action));
  writer.StartObject();
  json::WriteField(writer, "TableName", request.table);
  if (item.action == TransactAction::kPut) {
    if (request.item) {
      json::WriteKey(writer, "Item");
      json::WriteItem(writer, *request.item);
    }
  } else if (request.key) {
    json::WriteKey(writer, "Key");
    json::WriteItem(writer, *request.key);
  }
  json::WriteField(writer, "ConditionExpression", request.condition);
  if (item.action == TransactAction::kUpdate) {
    json::WriteField(writer, "UpdateExpression", request.update);
  }
  json::WritePlaceholders(writer, request.names, request.values);
  writer.EndObject();
  writer.EndObject();
}

// The body of one transaction item (what follows "Put", "Update", ...); none when malformed
// or when it has a field that `action` does not take.
std::optional<Request> ReadTransactBody(TransactAction action, const Value& body) {
  if (!body.IsObject()) return std::nullopt;
  Request request;
  for (const auto& member : body.GetObject()) {
    const std::string_view field = View(member.name);
    const Value& value = member.value;
    auto text = [&](std::string& out) {
      if (!value.IsString()) return false;
      out = std::string(View(value));
      return true;
    };
    bool ok = false;
    if (field == "TableName") {
      ok = text(request.table);
    } else if (field == "Item" && action == TransactAction::kPut) {
      request.item = json::ReadItem(value);
      ok = request.item.has_value();
    } else if (field == "Key" && action != TransactAction::kPut) {
      request.key = json::ReadItem(value);
      ok = request.key.has_value();
    } else if (field == "ConditionExpression") {
      ok = text(request.condition);
    } else if (field == "UpdateExpression" && action == TransactAction::kUpdate) {
      ok = text(request.update);
    } else if (field == "ExpressionAttributeNames") {
      std::optional<json::Names> names = json::ReadNames(value);
      ok = names.has_value();
      if (ok) request.names = std::move(*names);
    } else if (field == "ExpressionAttributeValues") {
      std::optional<Item> values = json::ReadItem(value);
      ok = values.has_value();
      if (ok) request.values = std::move(*values);
    }
    if (!ok) return std::nullopt;
  }
  return request;
}

}  // namespace

std::string ToJson(const TransactWriteRequest& request) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  json::WriteKey(writer, "TransactItems");
  writer.StartArray();
  for (const TransactItem& item : request.items) WriteTransactItem(writer, item);
  writer.EndArray();
  json::WriteField(writer, "ClientRequestToken", request.client_request_token);
  writer.EndObject();
  return json::Text(buffer);
}

Result<TransactWriteRequest> ParseTransactWriteRequest(std::string_view text) {
  rapidjson::Document document;
  if (!json::ParseObject(text, document)) return json::MalformedRequest();
  TransactWriteRequest request;
  for (const auto& member : document.GetObject()) {
    const std::string_view field = View(member.name);
    const Value& value = member.value;
    bool ok = false;
    if (field == "ClientRequestToken") {
      ok = value.IsString();
      if (ok) request.client_request_token = std::string(View(value));
    } else if (field == "TransactItems" && value.IsArray()) {
      ok = true;
      for (const Value& entry : value.GetArray()) {
        // Each entry names exactly one action.
        if (!entry.IsObject() || entry.MemberCount() != 1) {
          ok = false;
          break;
        }
        const auto& action_member = *entry.MemberBegin();
        std::optional<TransactAction> action;
        for (const ActionName& known : kActions) {
          if (known.name == View(action_member.name)) action = known.action;
        }
        std::optional<Request> body =
            action ? ReadTransactBody(*action, action_member.value) : std::nullopt;
        if (!body) {
          ok = false;
          break;
        }
        request.items.push_back({*action, std::move(*body)});
      }
    }
    if (!ok) {
      return Error::BadRequest("ValidationException: unexpected or malformed field " +
                               std::string(field));
    }
  }
  return request;
}

}  // namespace pcustomer::dynamodb
