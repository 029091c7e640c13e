#include "pcustomer/store/dynamodb/customer_item.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

#include "pcustomer/util/ascii.hpp"

namespace pcustomer::dynamodb {
namespace {

AttributeValue ToAttribute(const std::string& text) { return AttributeValue::S(text); }
AttributeValue ToAttribute(int number) { return AttributeValue::N(number); }

// An optional value that is none is no attribute: items the reference wrote lack them, and a
// condition can then say attribute_not_exists alike for both.
template <class T>
void PutAttribute(Item& item, std::string_view name, const T& value) {
  item[std::string(name)] = ToAttribute(value);
}
template <class T>
void PutAttribute(Item& item, std::string_view name, const std::optional<T>& value) {
  if (value) item[std::string(name)] = ToAttribute(*value);
}

// Reads attribute `name` into `out`; a missing or mistyped attribute leaves `out` as it is.
void ReadAttribute(const Item& item, std::string_view name, std::string& out) {
  // The reference's update turned phones into numbers: a phone reads from either type.
  if (name == kPhoneAttribute) {
    if (const auto phone = item.find(std::string(name)); phone != item.end()) {
      if (phone->second.is_string() || phone->second.is_number())
        out = RestoreStoredPhone(phone->second.text);
    }
    return;
  }
  if (auto text = StringAttribute(item, name)) out = std::move(*text);
}

void ReadAttribute(const Item& item, std::string_view name, std::optional<std::string>& out) {
  out = StringAttribute(item, name);
}

void ReadAttribute(const Item& item, std::string_view name, int& out) {
  const int64_t number = IntegerAttribute(item, name).value_or(0);
  if (number >= 0 && number <= std::numeric_limits<int>::max()) out = static_cast<int>(number);
}

}  // namespace

Item Key(std::string_view type, std::string_view id) {
  return {{std::string(kTypeAttribute), AttributeValue::S(std::string(type))},
          {std::string(kIdAttribute), AttributeValue::S(std::string(id))}};
}

Item CustomerKey(std::string_view id) { return Key(kCustomerType, id); }

Item CustomerItem(const Customer& customer) {
  Item item = CustomerKey(customer.id);
  ForEachCustomerField(
      [&](const auto& field) { PutAttribute(item, field.attribute, customer.*field.stored); });
  item[std::string(kCreateAtField.attribute)] = AttributeValue::S(customer.create_at);
  item[std::string(kVersionField.attribute)] = AttributeValue::N(customer.version);
  item[std::string(kUpdatedAtField.attribute)] = AttributeValue::S(customer.updated_at);
  return item;
}

Customer ReadCustomer(const Item& item) {
  Customer customer;
  customer.id = StringAttribute(item, kIdAttribute).value_or("");
  customer.create_at = StringAttribute(item, kCreateAtField.attribute).value_or("");
  ForEachCustomerField(
      [&](const auto& field) { ReadAttribute(item, field.attribute, customer.*field.stored); });
  // An item the reference wrote has neither: it is at its first version, made at creation.
  customer.version =
      std::max<int64_t>(IntegerAttribute(item, kVersionField.attribute).value_or(1), 1);
  customer.updated_at =
      StringAttribute(item, kUpdatedAtField.attribute).value_or(customer.create_at);
  return customer;
}

std::string PatchUpdate(Request& request, const CustomerPatch& patch, const Item& also) {
  std::string update;
  std::string removed;
  auto set = [&](std::string_view attribute, AttributeValue value) {
    update += update.empty() ? "SET " : ", ";
    update += request.Name(attribute) + " = " + request.Value(attribute, std::move(value));
  };
  auto set_value = [&](std::string_view attribute, const auto& value) {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<T, std::optional<std::string>>) {
      if (value) {
        set(attribute, ToAttribute(*value));
      } else {
        removed += removed.empty() ? " REMOVE " : ", ";
        removed += request.Name(attribute);
      }
    } else {
      set(attribute, ToAttribute(value));
    }
  };
  // A phone is always written as a string, whatever the reference left.
  ForEachCustomerField([&](const auto& field) {
    if (const auto& value = patch.*field.patched) set_value(field.attribute, *value);
  });
  for (const auto& [attribute, value] : also) set(attribute, value);
  if (update.empty()) return removed.substr(1);
  return update + removed;
}

std::string RestoreStoredPhone(std::string_view stored) {
  std::string_view digits = stored;
  if (digits.ends_with(".0")) digits.remove_suffix(2);  // a number echoed with a fraction
  if (digits.starts_with('+')) digits.remove_prefix(1);
  if (digits.empty() || !AllAsciiDigits(digits)) return std::string(stored);
  // Appended rather than "0" + string: GCC 12 warns falsely (-Wrestrict) on the concatenation.
  std::string national = "0";
  if (digits.size() == 9 && digits[0] != '0') return national.append(digits);
  if (digits.size() == 11 && digits.starts_with("84")) return national.append(digits.substr(2));
  if (digits.size() == 10 && digits[0] == '0') return std::string(digits);
  return std::string(stored);
}

}  // namespace pcustomer::dynamodb
