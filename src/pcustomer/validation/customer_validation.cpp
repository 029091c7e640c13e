#include "pcustomer/validation/customer_validation.hpp"

#include <rapidjson/document.h>

#include <array>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "pcustomer/validation/age_rule.hpp"
#include "pcustomer/validation/name_rule.hpp"
#include "pcustomer/validation/phone_rule.hpp"
#include "pcustomer/validation/product_code_rule.hpp"

namespace pcustomer {
namespace {

// The order of this enum is the order in which reasons are reported.
enum Field : size_t { kFullName, kPhone, kAge, kProductCode, kFieldCount };

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {"fullName", "phone", "age",
                                                                   "productCode"};

std::string_view KeyOf(const rapidjson::Value& name) {
  return {name.GetString(), name.GetStringLength()};
}

std::string Quoted(std::string_view key) {
  std::string quoted;
  quoted.reserve(key.size() + 2);
  quoted += '"';
  quoted += key;
  quoted += '"';
  return quoted;
}

// The members of a body sorted into the four fields, duplicates and the rest.
struct ScannedBody {
  std::array<const rapidjson::Value*, kFieldCount> values{};
  std::array<bool, kFieldCount> duplicated{};
  std::vector<std::string_view> unknown_keys;  // first occurrences, in body order
};

ScannedBody Scan(const rapidjson::Value& body) {
  ScannedBody scanned;
  std::unordered_set<std::string_view> seen_unknown;
  for (auto member = body.MemberBegin(); member != body.MemberEnd(); ++member) {
    const std::string_view key = KeyOf(member->name);
    size_t field = 0;
    while (field < kFieldCount && kFieldNames[field] != key) ++field;
    if (field < kFieldCount) {
      if (scanned.values[field] != nullptr) scanned.duplicated[field] = true;
      scanned.values[field] = &member->value;
    } else if (seen_unknown.insert(key).second) {
      scanned.unknown_keys.push_back(key);
    }
  }
  return scanned;
}

using StringRule = std::optional<std::string> (*)(std::string_view);

std::optional<std::string> ValidateString(const rapidjson::Value& value, Field field,
                                          StringRule rule, std::string_view type_message,
                                          std::string_view format_message,
                                          std::vector<Reason>& reasons) {
  if (!value.IsString()) {
    reasons.push_back({std::string(kFieldNames[field]), std::string(type_message)});
    return std::nullopt;
  }
  std::optional<std::string> normalized = rule({value.GetString(), value.GetStringLength()});
  if (!normalized) {
    reasons.push_back({std::string(kFieldNames[field]), std::string(format_message)});
  }
  return normalized;
}

std::optional<int> ValidateAge(const rapidjson::Value& value, std::vector<Reason>& reasons) {
  AgeCheck check;
  if (value.IsInt64()) {
    check = CheckAgeInteger(value.GetInt64());
  } else if (value.IsUint64()) {
    check = {AgeStatus::kOutOfRange, 0};  // above INT64_MAX
  } else if (value.IsDouble()) {
    check = CheckAgeDouble(value.GetDouble());
  }
  switch (check.status) {
    case AgeStatus::kValid:
      return check.age;
    case AgeStatus::kOutOfRange:
      reasons.push_back({std::string(kFieldNames[kAge]), std::string(kAgeRangeMessage)});
      return std::nullopt;
    case AgeStatus::kNotInteger:
      break;
  }
  reasons.push_back({std::string(kFieldNames[kAge]), std::string(kAgeTypeMessage)});
  return std::nullopt;
}

// What both operations produce: every present field validated, every problem recorded.
struct CheckedFields {
  std::optional<std::string> full_name;
  std::optional<std::string> phone;
  std::optional<int> age;
  std::optional<std::string> product_code;
  std::vector<Reason> reasons;
};

CheckedFields CheckFields(const ScannedBody& scanned, bool all_required) {
  CheckedFields checked;
  std::vector<Reason>& reasons = checked.reasons;
  for (size_t index = 0; index < kFieldCount; ++index) {
    const auto field = static_cast<Field>(index);
    const std::string_view name = kFieldNames[field];
    const rapidjson::Value* value = scanned.values[field];
    if (scanned.duplicated[field]) {
      // Which copy would count is parser-dependent; refusing both avoids guessing.
      reasons.push_back({std::string(name), Quoted(name) + " is duplicated"});
      continue;
    }
    if (value == nullptr) {
      if (all_required) reasons.push_back({std::string(name), std::string(name) + " is required"});
      continue;
    }
    switch (field) {
      case kFullName:
        checked.full_name = ValidateString(*value, field, &NormalizeVietnameseFullName,
                                           kFullNameTypeMessage, kFullNameFormatMessage, reasons);
        break;
      case kPhone:
        checked.phone = ValidateString(*value, field, &NormalizeVietnamesePhone, kPhoneTypeMessage,
                                       kPhoneFormatMessage, reasons);
        break;
      case kAge:
        checked.age = ValidateAge(*value, reasons);
        break;
      case kProductCode:
        checked.product_code =
            ValidateString(*value, field, &NormalizeProductCode, kProductCodeTypeMessage,
                           kProductCodeFormatMessage, reasons);
        break;
      case kFieldCount:
        break;
    }
  }
  for (std::string_view key : scanned.unknown_keys) {
    reasons.push_back({std::string(key), Quoted(key) + " is not allowed"});
  }
  return checked;
}

}  // namespace

Result<NewCustomer> ValidateNewCustomer(const rapidjson::Value& body) {
  if (!body.IsObject()) return Error::BadRequest(std::string(kNotObjectMessage));
  CheckedFields checked = CheckFields(Scan(body), /*all_required=*/true);
  if (!checked.reasons.empty()) return Error::Validation(std::move(checked.reasons));
  return NewCustomer{std::move(*checked.full_name), std::move(*checked.phone), *checked.age,
                     std::move(*checked.product_code)};
}

Result<CustomerPatch> ValidateCustomerPatch(const rapidjson::Value& body) {
  if (!body.IsObject()) return Error::BadRequest(std::string(kNotObjectMessage));
  if (body.ObjectEmpty()) {
    return Error::BadRequest("Validation failed", {{"body", std::string(kEmptyPatchMessage)}});
  }
  CheckedFields checked = CheckFields(Scan(body), /*all_required=*/false);
  if (!checked.reasons.empty()) return Error::Validation(std::move(checked.reasons));
  return CustomerPatch{std::move(checked.full_name), std::move(checked.phone), checked.age,
                       std::move(checked.product_code)};
}

}  // namespace pcustomer
