#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Texts clients see in Error::reasons, kept from the reference where it had one.
inline constexpr std::string_view kFullNameFormatMessage =
    "fullName must be a valid VietNamese Name. Don't include any special character.";
inline constexpr std::string_view kFullNameTypeMessage = "fullName must be a string";
inline constexpr std::string_view kPhoneFormatMessage =
    "phone must be a valid VietNamese phone number";
inline constexpr std::string_view kPhoneTypeMessage = "phone must be a string";
inline constexpr std::string_view kAgeTypeMessage = "age must be an integer";
inline constexpr std::string_view kAgeRangeMessage = "age must be between 18 and 90";
inline constexpr std::string_view kProductCodeFormatMessage =
    "ProductCode must be a valid snake_case and don't include any special character.";
inline constexpr std::string_view kProductCodeTypeMessage = "productCode must be a string";
inline constexpr std::string_view kStatusMessage =
    "status must be one of: new, contacted, qualified, won, lost";
inline constexpr std::string_view kSourceMessage =
    "source must be one of: web, zalo, facebook, tiktok, referral, event, phone_call, import, "
    "other";
inline constexpr std::string_view kOwnerIdMessage = "ownerId must be a username or null";
inline constexpr std::string_view kEmailMessage = "email must be a valid e-mail address or null";
inline constexpr std::string_view kNotObjectMessage = "Request body must be a JSON object";
inline constexpr std::string_view kEmptyPatchMessage =
    "At least one of fullName, phone, age, productCode, status, ownerId, source, email is "
    "required";

// A value as the client sent it, before any rule: what the body's decoder (api/) read.
struct SentValue {
  enum class Kind { kString, kInteger, kHugeInteger, kFraction, kNull, kOther };
  Kind kind = Kind::kOther;
  std::string text;          // kString
  std::int64_t integer = 0;  // kInteger
  double number = 0;         // kFraction: a number with a fraction or an exponent, as a double
  // kHugeInteger: an integer above INT64_MAX; kOther: a boolean, an array or an object.
};

// A request body as sent: whether it is an object, and its members in body order (a key
// sent twice appears twice).
struct SentBody {
  bool is_object = false;
  std::vector<std::pair<std::string, SentValue>> members;
};

// Whether `body` has a member `key` (whatever its value, null included).
inline bool HasMember(const SentBody& body, std::string_view key) {
  for (const auto& member : body.members) {
    if (member.first == key) return true;
  }
  return false;
}

// Validates a create body: the keys fullName, phone, age, productCode (required), status,
// ownerId, source, email (optional; ownerId and email may be null) and no other. On failure
// returns Error::Validation with one Reason per problem, in the field list's order, then
// unknown keys in body order; Error::BadRequest when `body` is
// not an object. Strings come back NFC and trimmed, the phone as "0912345678". Thread-safe.
Result<NewCustomer> ValidateNewCustomer(const SentBody& body);

// Validates a PATCH body: any non-empty subset of the keys, same rules and reasons as
// ValidateNewCustomer; null is a value only of ownerId and email (it clears them). An empty object
// is Error::BadRequest with one reason whose source is "body". Thread-safe.
Result<CustomerPatch> ValidateCustomerPatch(const SentBody& body);

}  // namespace pcustomer
