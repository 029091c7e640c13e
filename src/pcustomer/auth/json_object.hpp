#pragma once

#include <rapidjson/document.h>

#include <string_view>

namespace pcustomer {

// Parses `text` as one JSON object (validated UTF-8, iterative so deep nesting cannot exhaust
// the stack). False when it is not valid JSON, not an object, or repeats a member name at
// the top level: parsers disagree on which duplicate wins, and a token whose claims read
// differently here and in another service is an attack, not a token.
bool ParseJsonObject(std::string_view text, rapidjson::Document& document);

}  // namespace pcustomer
