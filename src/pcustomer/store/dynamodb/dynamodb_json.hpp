#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/domain/result.hpp"

// The DynamoDB JSON protocol's item operations as plain values: one request type written to
// JSON by RapidJSON's Writer (so attribute values are always escaped, never spliced into
// text) and one response type read back. Expressions name every attribute and value through
// placeholders registered on the request (Request::Name, Request::Value).
namespace pcustomer::dynamodb {

// One attribute value of the kinds this service writes, plus any other kind kept verbatim.
struct AttributeValue {
  enum class Type { kString, kNumber, kBinary, kBool, kNull, kOther };
  Type type = Type::kNull;
  // kString: the text; kNumber: the decimal text; kBinary: the raw bytes (base64 on the
  // wire); kBool: "true" or "false"; kNull: empty; kOther: the value's JSON, e.g. {"L":[]}.
  std::string text;

  static AttributeValue S(std::string text) { return {Type::kString, std::move(text)}; }
  static AttributeValue N(int64_t number) { return {Type::kNumber, std::to_string(number)}; }
  static AttributeValue NumberText(std::string decimal) {
    return {Type::kNumber, std::move(decimal)};
  }
  static AttributeValue B(std::string bytes) { return {Type::kBinary, std::move(bytes)}; }
  static AttributeValue Bool(bool value) { return {Type::kBool, value ? "true" : "false"}; }

  bool is_string() const { return type == Type::kString; }
  bool is_number() const { return type == Type::kNumber; }
  bool operator==(const AttributeValue&) const = default;
};

// Attribute name -> value: an item, a key, or the values of expression placeholders.
using Item = std::map<std::string, AttributeValue, std::less<>>;

// The text of attribute `name` when it is a string; none otherwise.
std::optional<std::string> StringAttribute(const Item& item, std::string_view name);
// Attribute `name` as a whole number when it is a number holding one ("30", "30.0"); none
// otherwise.
std::optional<int64_t> IntegerAttribute(const Item& item, std::string_view name);
// Attribute `name` when it is a boolean; none otherwise.
std::optional<bool> BoolAttribute(const Item& item, std::string_view name);

// An item operation's request (GetItem, PutItem, UpdateItem, DeleteItem, Query). Empty and
// unset fields are left out of the JSON. TransactWriteItems (dynamodb_transact.hpp) reuses it
// for its items, BatchGetItem (dynamodb_batch_get.hpp) has a request of its own.
struct Request {
  std::string table;
  std::string index_name;                    // Query of a global secondary index
  std::optional<Item> key;                   // GetItem, UpdateItem, DeleteItem
  std::optional<Item> item;                  // PutItem
  std::string key_condition;                 // Query
  std::string condition;                     // writes
  std::string update;                        // UpdateItem
  std::string filter;                        // Query
  std::string projection;                    // reads
  std::map<std::string, std::string> names;  // "#id" -> "id"
  Item values;                               // ":pk" -> {"S": "potential_customer"}
  std::string return_values;                 // "ALL_NEW", "ALL_OLD"
  std::string select;                        // "COUNT"
  bool consistent_read = false;
  std::optional<int> limit;
  std::optional<Item> exclusive_start_key;
  std::optional<bool> scan_index_forward;

  // Registers "#<attribute>" for `attribute` and answers it. Attribute names here are this
  // service's own constants (identifiers), so the placeholder is always well formed.
  std::string Name(std::string_view attribute);
  // Registers ":<placeholder>" with `value` and answers it.
  std::string Value(std::string_view placeholder, AttributeValue value);

  bool operator==(const Request&) const = default;
};

std::string ToJson(const Request& request);
// The request a JSON document describes; kBadRequest when it is malformed or has a field
// Request does not model (used by the in-memory DynamoDB of the tests).
Result<Request> ParseRequest(std::string_view json);

// What an item operation answers; each field is present when the service sent it.
struct Response {
  std::optional<Item> item;                // GetItem
  std::optional<Item> attributes;          // ReturnValues of writes
  std::optional<std::vector<Item>> items;  // Query (not with Select COUNT)
  std::optional<int64_t> count;            // Query
  std::optional<int64_t> scanned_count;    // Query
  std::optional<Item> last_evaluated_key;  // Query, when more may follow

  bool operator==(const Response&) const = default;
};

std::string ToJson(const Response& response);
// kUnavailable when `json` is not a response document: the service, not the caller, is at
// fault then.
Result<Response> ParseResponse(std::string_view json);

// Standard base64 with padding (RFC 4648 section 4), as the protocol carries binary values.
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace pcustomer::dynamodb
