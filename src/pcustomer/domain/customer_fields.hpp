#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/domain/customer.hpp"

namespace pcustomer {

// The fields a client writes, each declared once with what every layer needs: its JSON key,
// its SQLite column, its DynamoDB attribute (the type follows T: text is S, int is N),
// whether a create must carry it, and where it lives in each struct. Layers walk the list
// with ForEachCustomerField instead of naming fields one by one; the README's architecture
// section lists the places a new field touches.
template <class T>
struct CustomerField {
  std::string_view json;
  std::string_view column;
  std::string_view attribute;
  bool required_on_create;
  T Customer::*stored;
  T NewCustomer::*created;
  std::optional<T> CustomerPatch::*patched;
};

inline constexpr CustomerField<std::string> kFullNameField{
    .json = "fullName",
    .column = "full_name",
    .attribute = "fullName",
    .required_on_create = true,
    .stored = &Customer::full_name,
    .created = &NewCustomer::full_name,
    .patched = &CustomerPatch::full_name,
};
inline constexpr CustomerField<std::string> kPhoneField{
    .json = "phone",
    .column = "phone",
    .attribute = "phone",
    .required_on_create = true,
    .stored = &Customer::phone,
    .created = &NewCustomer::phone,
    .patched = &CustomerPatch::phone,
};
inline constexpr CustomerField<int> kAgeField{
    .json = "age",
    .column = "age",
    .attribute = "age",
    .required_on_create = true,
    .stored = &Customer::age,
    .created = &NewCustomer::age,
    .patched = &CustomerPatch::age,
};
inline constexpr CustomerField<std::string> kProductCodeField{
    .json = "productCode",
    .column = "product_code",
    .attribute = "productCode",
    .required_on_create = true,
    .stored = &Customer::product_code,
    .created = &NewCustomer::product_code,
    .patched = &CustomerPatch::product_code,
};

inline constexpr CustomerField<std::string> kStatusField{
    .json = "status",
    .column = "status",
    .attribute = "status",
    .required_on_create = false,
    .stored = &Customer::status,
    .created = &NewCustomer::status,
    .patched = &CustomerPatch::status,
};
// Optional values (T = std::optional<...>) are null in JSON, NULL in SQLite and an absent
// attribute on DynamoDB.
inline constexpr CustomerField<std::optional<std::string>> kOwnerIdField{
    .json = "ownerId",
    .column = "owner_id",
    .attribute = "ownerId",
    .required_on_create = false,
    .stored = &Customer::owner_id,
    .created = &NewCustomer::owner_id,
    .patched = &CustomerPatch::owner_id,
};
inline constexpr CustomerField<std::string> kSourceField{
    .json = "source",
    .column = "source",
    .attribute = "source",
    .required_on_create = false,
    .stored = &Customer::source,
    .created = &NewCustomer::source,
    .patched = &CustomerPatch::source,
};
inline constexpr CustomerField<std::optional<std::string>> kEmailField{
    .json = "email",
    .column = "email",
    .attribute = "email",
    .required_on_create = false,
    .stored = &Customer::email,
    .created = &NewCustomer::email,
    .patched = &CustomerPatch::email,
};

// Calls `visit(field)` for every client field, in the order errors report them and answers
// list them.
template <class Visit>
constexpr void ForEachCustomerField(Visit&& visit) {
  visit(kFullNameField);
  visit(kPhoneField);
  visit(kAgeField);
  visit(kProductCodeField);
  visit(kStatusField);
  visit(kOwnerIdField);
  visit(kSourceField);
  visit(kEmailField);
}

inline constexpr size_t kCustomerFieldCount = [] {
  size_t count = 0;
  ForEachCustomerField([&](const auto&) { ++count; });
  return count;
}();

// The names of the fields the store sets, in each layer.
struct StoreField {
  std::string_view json;
  std::string_view column;
  std::string_view attribute;
};
inline constexpr StoreField kIdField{.json = "id", .column = "id", .attribute = "id"};
inline constexpr StoreField kCreateAtField{
    .json = "createAt", .column = "create_at", .attribute = "createAt"};
inline constexpr StoreField kVersionField{
    .json = "version", .column = "version", .attribute = "version"};
inline constexpr StoreField kUpdatedAtField{
    .json = "updatedAt", .column = "updated_at", .attribute = "updatedAt"};
// The partition of the reference's table layout; a constant in every answer.
inline constexpr StoreField kTypeField{.json = "type", .column = "", .attribute = "type"};

// A stored customer made from a create: the client's fields, the id and the time.
inline Customer StoredCustomer(const NewCustomer& created, std::string id, std::string create_at) {
  Customer customer;
  customer.id = std::move(id);
  customer.updated_at = create_at;
  customer.create_at = std::move(create_at);
  ForEachCustomerField([&](const auto& field) { customer.*field.stored = created.*field.created; });
  return customer;
}

// `customer` with every field the patch carries replaced.
inline void ApplyPatch(const CustomerPatch& patch, Customer& customer) {
  ForEachCustomerField([&](const auto& field) {
    if (const auto& value = patch.*field.patched) customer.*field.stored = *value;
  });
}

// The patch that makes `stored` hold every field of `wanted`: only the fields that differ
// (empty when none does). An upsert writes it.
inline CustomerPatch DifferencesFrom(const Customer& stored, const NewCustomer& wanted) {
  CustomerPatch patch;
  ForEachCustomerField([&](const auto& field) {
    if (stored.*field.stored != wanted.*field.created) patch.*field.patched = wanted.*field.created;
  });
  return patch;
}

// `lead` after a change that sets no field (into or out of the trash): at the next version,
// changed at `now` (ISO time as create_at).
inline Customer AtNextVersion(Customer lead, std::string now) {
  ++lead.version;
  lead.updated_at = std::move(now);
  return lead;
}

// What an update of `before` stores, in every store: the patch applied, at the next version,
// changed at `now`.
inline Customer UpdatedCustomer(Customer before, const CustomerPatch& patch, std::string now) {
  ApplyPatch(patch, before);
  return AtNextVersion(std::move(before), std::move(now));
}

}  // namespace pcustomer
