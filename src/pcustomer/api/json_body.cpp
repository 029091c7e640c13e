#include "pcustomer/api/json_body.hpp"

#include <rapidjson/error/en.h>

#include <string>

namespace pcustomer {

Status ParseJsonBody(std::string_view body, rapidjson::Document& document) {
  if (body.empty()) return Error::BadRequest("Request body is required");
  constexpr unsigned kFlags = rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag;
  document.Parse<kFlags>(body.data(), body.size());
  if (!document.HasParseError()) return Ok{};
  if (document.GetParseError() == rapidjson::kParseErrorStringInvalidEncoding) {
    return Error::BadRequest("Request body is not valid UTF-8");
  }
  return Error::BadRequest(std::string("Malformed JSON: ") +
                           rapidjson::GetParseError_En(document.GetParseError()) + " (at byte " +
                           std::to_string(document.GetErrorOffset()) + ")");
}

}  // namespace pcustomer
