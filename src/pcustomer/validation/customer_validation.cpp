#include "pcustomer/validation/customer_validation.hpp"

#include <array>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/validation/age_rule.hpp"
#include "pcustomer/validation/name_rule.hpp"
#include "pcustomer/validation/phone_rule.hpp"
#include "pcustomer/validation/product_code_rule.hpp"
#include "pcustomer/validation/workflow_rules.hpp"

namespace pcustomer {
namespace {

std::string Quoted(std::string_view key) {
  std::string quoted;
  quoted.reserve(key.size() + 2);
  quoted += '"';
  quoted += key;
  quoted += '"';
  return quoted;
}

// The values a body gives each field (by its position in the field list), which fields it
// gives twice, and its other keys.
struct ScannedBody {
  std::array<const SentValue*, kCustomerFieldCount> values{};
  std::array<bool, kCustomerFieldCount> duplicated{};
  std::vector<std::string_view> unknown_keys;  // first occurrences, in body order
};

// The position of the field whose JSON key is `key`, or kCustomerFieldCount.
size_t FieldIndex(std::string_view key) {
  size_t index = 0;
  size_t found = kCustomerFieldCount;
  ForEachCustomerField([&](const auto& field) {
    if (field.json == key) found = index;
    ++index;
  });
  return found;
}

ScannedBody Scan(const SentBody& body) {
  ScannedBody scanned;
  std::unordered_set<std::string_view> seen_unknown;
  for (const auto& [key, value] : body.members) {
    const size_t field = FieldIndex(key);
    if (field < kCustomerFieldCount) {
      if (scanned.values[field] != nullptr) scanned.duplicated[field] = true;
      scanned.values[field] = &value;
    } else if (seen_unknown.insert(key).second) {
      scanned.unknown_keys.push_back(key);
    }
  }
  return scanned;
}

// The rule of a text field: how its value is normalised (nullopt: refused) and what the
// client reads when it is not a string or not acceptable.
struct TextRule {
  std::optional<std::string> (*normalize)(std::string_view);
  std::string_view type_message;
  std::string_view format_message;
};

TextRule RuleOf(std::string_view json) {
  if (json == kFullNameField.json) {
    return {&NormalizeVietnameseFullName, kFullNameTypeMessage, kFullNameFormatMessage};
  }
  if (json == kPhoneField.json)
    return {&NormalizeVietnamesePhone, kPhoneTypeMessage, kPhoneFormatMessage};
  if (json == kStatusField.json) return {&NormalizeLeadStatus, kStatusMessage, kStatusMessage};
  if (json == kSourceField.json) return {&NormalizeLeadSource, kSourceMessage, kSourceMessage};
  if (json == kOwnerIdField.json) return {&NormalizeOwnerId, kOwnerIdMessage, kOwnerIdMessage};
  if (json == kEmailField.json) return {&NormalizeEmail, kEmailMessage, kEmailMessage};
  return {&NormalizeProductCode, kProductCodeTypeMessage, kProductCodeFormatMessage};
}

std::optional<std::string> Check(const CustomerField<std::string>& field, const SentValue& value,
                                 std::vector<Reason>& reasons) {
  const TextRule rule = RuleOf(field.json);
  if (value.kind != SentValue::Kind::kString) {
    reasons.push_back({std::string(field.json), std::string(rule.type_message)});
    return std::nullopt;
  }
  std::optional<std::string> normalized = rule.normalize(value.text);
  if (!normalized) reasons.push_back({std::string(field.json), std::string(rule.format_message)});
  return normalized;
}

// An optional text: null clears it, a string follows the field's text rule.
std::optional<std::optional<std::string>> Check(
    const CustomerField<std::optional<std::string>>& field, const SentValue& value,
    std::vector<Reason>& reasons) {
  if (value.kind == SentValue::Kind::kNull) return std::optional<std::string>();
  const TextRule rule = RuleOf(field.json);
  std::optional<std::string> normalized;
  if (value.kind == SentValue::Kind::kString) normalized = rule.normalize(value.text);
  if (!normalized) {
    reasons.push_back({std::string(field.json), std::string(rule.format_message)});
    return std::nullopt;
  }
  return normalized;
}

// The one integer field is the age.
std::optional<int> Check(const CustomerField<int>& field, const SentValue& value,
                         std::vector<Reason>& reasons) {
  AgeCheck check;
  switch (value.kind) {
    case SentValue::Kind::kInteger:
      check = CheckAgeInteger(value.integer);
      break;
    case SentValue::Kind::kHugeInteger:
      check = {AgeStatus::kOutOfRange, 0};
      break;
    case SentValue::Kind::kFraction:
      check = CheckAgeDouble(value.number);
      break;
    case SentValue::Kind::kString:
    case SentValue::Kind::kNull:
    case SentValue::Kind::kOther:
      break;
  }
  switch (check.status) {
    case AgeStatus::kValid:
      return check.age;
    case AgeStatus::kOutOfRange:
      reasons.push_back({std::string(field.json), std::string(kAgeRangeMessage)});
      return std::nullopt;
    case AgeStatus::kNotInteger:
      break;
  }
  reasons.push_back({std::string(field.json), std::string(kAgeTypeMessage)});
  return std::nullopt;
}

// What both operations produce: every present field validated, every problem recorded.
struct CheckedFields {
  CustomerPatch values;
  std::vector<Reason> reasons;
};

CheckedFields CheckFields(const ScannedBody& scanned, bool creating) {
  CheckedFields checked;
  std::vector<Reason>& reasons = checked.reasons;
  size_t index = 0;
  ForEachCustomerField([&](const auto& field) {
    const std::string name(field.json);
    const SentValue* value = scanned.values[index];
    const bool duplicated = scanned.duplicated[index];
    ++index;
    if (duplicated) {
      // Which copy would count is parser-dependent; refusing both avoids guessing.
      reasons.push_back({name, Quoted(name) + " is duplicated"});
    } else if (value == nullptr) {
      if (creating && field.required_on_create) reasons.push_back({name, name + " is required"});
    } else {
      checked.values.*field.patched = Check(field, *value, reasons);
    }
  });
  for (std::string_view key : scanned.unknown_keys) {
    reasons.push_back({std::string(key), Quoted(key) + " is not allowed"});
  }
  return checked;
}

}  // namespace

Result<NewCustomer> ValidateNewCustomer(const SentBody& body) {
  if (!body.is_object) return Error::BadRequest(std::string(kNotObjectMessage));
  CheckedFields checked = CheckFields(Scan(body), /*creating=*/true);
  if (!checked.reasons.empty()) return Error::Validation(std::move(checked.reasons));
  NewCustomer customer;
  ForEachCustomerField([&](const auto& field) {
    if (auto& value = checked.values.*field.patched) customer.*field.created = std::move(*value);
  });
  return customer;
}

Result<CustomerPatch> ValidateCustomerPatch(const SentBody& body) {
  if (!body.is_object) return Error::BadRequest(std::string(kNotObjectMessage));
  if (body.members.empty()) {
    return Error::BadRequest("Validation failed", {{"body", std::string(kEmptyPatchMessage)}});
  }
  CheckedFields checked = CheckFields(Scan(body), /*creating=*/false);
  if (!checked.reasons.empty()) return Error::Validation(std::move(checked.reasons));
  return std::move(checked.values);
}

}  // namespace pcustomer
