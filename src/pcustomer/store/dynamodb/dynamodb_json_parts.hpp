#pragma once

// The pieces of the DynamoDB JSON protocol that every request and response shares (attribute
// values, items, placeholder names), for the files that write and read one operation each
// (dynamodb_json.cpp, dynamodb_transact.cpp, dynamodb_batch_get.cpp). Private to
// store/dynamodb: RapidJSON stays out of the model's own headers.

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/store/dynamodb/dynamodb_json.hpp"

namespace pcustomer::dynamodb::json {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
using Value = rapidjson::Value;
using Names = std::map<std::string, std::string>;

void WriteString(Writer& writer, std::string_view text);
void WriteKey(Writer& writer, std::string_view key);
void WriteItem(Writer& writer, const Item& item);
// `key` with `text`, unless `text` is empty.
void WriteField(Writer& writer, std::string_view key, std::string_view text);
// ExpressionAttributeNames and ExpressionAttributeValues, each unless empty.
void WritePlaceholders(Writer& writer, const Names& names, const Item& values);

std::string_view View(const Value& value);
std::optional<Item> ReadItem(const Value& value);
std::optional<Names> ReadNames(const Value& value);
// What a Writer wrote into `buffer`.
std::string Text(const rapidjson::StringBuffer& buffer);

// Parses `text` into `document`: true when it is one JSON object.
bool ParseObject(std::string_view text, rapidjson::Document& document);

// What a request that is not a JSON object gets, as DynamoDB answers it (the fake uses it).
Error MalformedRequest();
// What a response that is not what the protocol says gets: the service is at fault.
Error MalformedResponse();

}  // namespace pcustomer::dynamodb::json
