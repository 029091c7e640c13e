#pragma once

#include <rapidjson/document.h>

#include <string_view>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Parses a request body as one JSON value: UTF-8 validated, iterative (the parser's stack
// lives on the heap, so deep nesting cannot overflow ours), nothing after the value.
// kBadRequest with a clear message for anything else.
Status ParseJsonBody(std::string_view body, rapidjson::Document& document);

}  // namespace pcustomer
