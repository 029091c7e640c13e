// Request bodies: ParseJsonBody, ReadSentBody and ReadSentBatch, then the customer create and
// patch validation, then the batch route and the auth routes' body decoding (through the
// routes, since it is private to them).
//
// fuzz-link: pc_api
// fuzz-extra-corpus: jsontestsuite/test_parsing
// fuzz-options: -max_len=16384
//
// Whatever the body, the answer must be a 2xx or a 4xx whose JSON is strict UTF-8 (a client's
// own bytes come back in error reasons), what parses must be JSON (no raw NUL byte), and what
// validation accepts must obey the field rules (an age exactly the integer written).
// Inputs stop at 16 KiB, the largest body the server reads.

#include "pcustomer/api/json_body.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <optional>
#include <string>

#include "api_stubs.hpp"
#include "fuzz_support.hpp"
#include "pcustomer/api/customer_json.hpp"
#include "pcustomer/api/error_response.hpp"
#include "pcustomer/api/sent_body.hpp"
#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/validation/customer_validation.hpp"

namespace {

using pcustomer::fuzz::IsStrictUtf8;

// Any refusal of a body is the client's fault: a 400 whose envelope is valid UTF-8.
void CheckRefusal(const pcustomer::Error& error) {
  FUZZ_CHECK(error.code == pcustomer::ErrorCode::kBadRequest);
  const pcustomer::Response response = pcustomer::ErrorResponse(error);
  FUZZ_CHECK(response.status == 400);
  FUZZ_CHECK(IsStrictUtf8(response.body));
}

bool IsNationalPhone(const std::string& phone) {
  return phone.size() == 10 && phone[0] == '0' &&
         std::all_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsSnakeCase(const std::string& code) {
  if (code.empty() || code.size() > 64 || code.front() == '_' || code.back() == '_') return false;
  if (code.find("__") != std::string::npos) return false;
  return std::all_of(code.begin(), code.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

// What the create and patch rules promise of an accepted field.
void CheckFields(const std::optional<std::string>& full_name,
                 const std::optional<std::string>& phone, std::optional<int> age,
                 const std::optional<std::string>& product_code) {
  if (full_name) FUZZ_CHECK(!full_name->empty() && IsStrictUtf8(*full_name));
  if (phone) FUZZ_CHECK(IsNationalPhone(*phone));
  if (age) FUZZ_CHECK(*age >= 18 && *age <= 90);
  if (product_code) FUZZ_CHECK(IsSnakeCase(*product_code));
}

// The integer a JSON number text denotes exactly, computed on its decimal digits (no double in
// between, which would round "17.9999999999999999" to 18); none for a fraction, and for an
// integer of more than 18 digits, far outside any age.
std::optional<long long> ExactInteger(std::string_view text) {
  auto is_digit = [&text](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  size_t i = 0;
  const bool negative = i < text.size() && text[i] == '-';
  if (negative) ++i;
  std::string digits;
  long long point = 0;  // digits[0, point) is the integer part
  for (; is_digit(i); ++i, ++point) digits += text[i];
  if (i < text.size() && text[i] == '.') {
    for (++i; is_digit(i); ++i) digits += text[i];
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    const bool negative_exponent = i < text.size() && text[i] == '-';
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    long long exponent = 0;
    for (; is_digit(i); ++i) exponent = std::min(exponent * 10 + (text[i] - '0'), 1'000'000LL);
    point += negative_exponent ? -exponent : exponent;
  }
  const size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 0;
  digits.erase(0, first);
  point -= static_cast<long long>(first);
  for (long long k = std::max(point, 0LL); k < static_cast<long long>(digits.size()); ++k) {
    if (digits[k] != '0') return std::nullopt;
  }
  if (point <= 0 || point > 18) return std::nullopt;
  long long value = 0;
  for (long long k = 0; k < point; ++k) {
    value = value * 10 + (k < static_cast<long long>(digits.size()) ? digits[k] - '0' : 0);
  }
  return negative ? -value : value;
}

// An accepted age is the integer the client wrote, exactly: read the number's text again.
void CheckAgeText(std::string_view body, int age) {
  rapidjson::Document raw;
  constexpr unsigned kFlags =
      rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag;
  raw.Parse<kFlags>(body.data(), body.size());
  if (raw.HasParseError() || !raw.IsObject()) return;
  const rapidjson::Value& object = raw;
  auto member = object.FindMember("age");
  if (member == object.MemberEnd() || !member->value.IsString()) return;
  const std::optional<long long> written =
      ExactInteger({member->value.GetString(), member->value.GetStringLength()});
  FUZZ_CHECK(written.has_value() && *written == age);
}

// The success envelope must itself be a body this service would parse.
void CheckEnvelope(const pcustomer::Customer& customer) {
  const std::string envelope = pcustomer::CustomerEnvelope(customer);
  FUZZ_CHECK(IsStrictUtf8(envelope));
  rapidjson::Document reparsed;
  FUZZ_CHECK(pcustomer::ParseJsonBody(envelope, reparsed).ok());
}

void ValidateCustomerBodies(std::string_view body, const pcustomer::SentBody& sent) {
  auto created = pcustomer::ValidateNewCustomer(sent);
  if (created) {
    CheckFields(created->full_name, created->phone, created->age, created->product_code);
    CheckAgeText(body, created->age);
    CheckEnvelope(pcustomer::StoredCustomer(*created, "CUSTOMER#1795545750015000",
                                            "2026-11-24T10:00:00.015Z"));
  } else {
    CheckRefusal(created.error());
  }

  auto patch = pcustomer::ValidateCustomerPatch(sent);
  if (patch) {
    FUZZ_CHECK(!patch->empty());
    CheckFields(patch->full_name, patch->phone, patch->age, patch->product_code);
    if (patch->age) CheckAgeText(body, *patch->age);
  } else {
    CheckRefusal(patch.error());
  }
  // A body valid for create is a valid patch too (all four fields are allowed in both).
  if (created) FUZZ_CHECK(patch.ok());
}

pcustomer::Request JsonPost(const char* method, const char* path, std::string_view body) {
  pcustomer::Request request;
  request.method = method;
  request.path = path;
  request.content_type = "application/json";
  request.client_address = "127.0.0.1";
  request.body = std::string(body);
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body = pcustomer::fuzz::AsText(data, size);

  rapidjson::Document document;
  if (pcustomer::Status parsed = pcustomer::ParseJsonBody(body, document); parsed) {
    // JSON text has no place for a raw NUL byte (not even inside a string), so a body with
    // one was cut short somewhere and must be refused.
    FUZZ_CHECK(body.find('\0') == std::string_view::npos);
    auto sent = pcustomer::ReadSentBody(body);
    FUZZ_CHECK(sent.ok());
    ValidateCustomerBodies(body, *sent);
    // A batch body is refused as a whole only for its shape or size, never for an item.
    auto batch = pcustomer::ReadSentBatch(body);
    if (batch.ok()) {
      FUZZ_CHECK(!batch->items.empty() && batch->items.size() <= pcustomer::kMaxBatchItems);
    } else {
      FUZZ_CHECK(batch.error().code == pcustomer::ErrorCode::kBadRequest ||
                 batch.error().code == pcustomer::ErrorCode::kPayloadTooLarge);
    }
  } else {
    CheckRefusal(parsed.error());
  }

  // The same body through the routes: the customer handlers and the auth body decoding.
  static const pcustomer::fuzz::Api api(std::string(32, 'k'));
  for (const char* path : {"/pcustomers", "/pcustomers/batch", "/auth/sign-in",
                           "/auth/refresh-tokens", "/auth/sign-out"}) {
    api.Send(JsonPost("POST", path, body));
  }
  api.Send(JsonPost("PATCH", "/pcustomers/CUSTOMER%231795545750015000", body));
  return 0;
}
