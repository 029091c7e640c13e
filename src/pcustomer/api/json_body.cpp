#include "pcustomer/api/json_body.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cmath>
#include <limits>
#include <string>

#include "pcustomer/api/json_number.hpp"
#include "pcustomer/util/utf8.hpp"

namespace pcustomer {
namespace {

// Passes the reader's events on to the document, with two checks of its own that the
// reader lacks: every string and key must be well-formed UTF-8 once escapes are decoded
// (RapidJSON turns a lone "\udfff" into the bytes ED BF BF), and numbers arrive as written
// so that a fraction too small for a double still counts (see json_number.hpp).
class CheckingHandler {
 public:
  explicit CheckingHandler(rapidjson::Document& document) : document_(document) {}

  bool Null() { return document_.Null(); }
  bool Bool(bool value) { return document_.Bool(value); }
  bool Int(int value) { return document_.Int(value); }
  bool Uint(unsigned value) { return document_.Uint(value); }
  bool Int64(int64_t value) { return document_.Int64(value); }
  bool Uint64(uint64_t value) { return document_.Uint64(value); }
  bool Double(double value) { return document_.Double(value); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    JsonNumber number = ReadJsonNumber(std::string_view(text, length));
    if (number.is_integer) return document_.Int64(number.integer);
    return document_.Double(number.value);
  }
  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    if (!WellFormed(text, length)) return false;
    return document_.String(text, length, copy);
  }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    if (!WellFormed(text, length)) return false;
    return document_.Key(text, length, copy);
  }
  bool StartObject() { return document_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) { return document_.EndObject(members); }
  bool StartArray() { return document_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) { return document_.EndArray(elements); }

  bool ill_formed_text() const { return ill_formed_text_; }

 private:
  bool WellFormed(const char* text, rapidjson::SizeType length) {
    if (IsWellFormedUtf8(std::string_view(text, length))) return true;
    ill_formed_text_ = true;
    return false;
  }

  rapidjson::Document& document_;
  bool ill_formed_text_ = false;
};

bool IsJsonWhiteSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

Status ParseJsonBody(std::string_view body, rapidjson::Document& document) {
  if (body.empty()) return Error::BadRequest("Request body is required");
  // Stop after the value and check the rest here: the reader takes a NUL byte for the end
  // of its input, so `{...}\0garbage` would otherwise pass as one object.
  constexpr unsigned kFlags =
      rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag |
      rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseStopWhenDoneFlag;
  rapidjson::MemoryStream stream(body.data(), body.size());
  rapidjson::Reader reader;
  rapidjson::ParseResult result;
  bool ill_formed_text = false;
  auto generate = [&](rapidjson::Document& target) {
    CheckingHandler handler(target);
    result = reader.Parse<kFlags>(stream, handler);
    ill_formed_text = handler.ill_formed_text();
    return !result.IsError();
  };
  document.Populate(generate);
  if (ill_formed_text) return Error::BadRequest("Request body holds text that is not valid UTF-8");
  if (result.Code() == rapidjson::kParseErrorStringInvalidEncoding) {
    return Error::BadRequest("Request body is not valid UTF-8");
  }
  if (result.IsError()) {
    return Error::BadRequest(std::string("Malformed JSON: ") +
                             rapidjson::GetParseError_En(result.Code()) + " (at byte " +
                             std::to_string(result.Offset()) + ")");
  }
  for (size_t at = stream.Tell(); at < body.size(); ++at) {
    if (!IsJsonWhiteSpace(body[at])) {
      return Error::BadRequest("Malformed JSON: the body holds more than one value (at byte " +
                               std::to_string(at) + ")");
    }
  }
  return Ok{};
}

}  // namespace pcustomer
