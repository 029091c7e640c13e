#include "pcustomer/api/customer_json.hpp"

#include "pcustomer/api/json_writing.hpp"
#include "pcustomer/domain/customer_fields.hpp"

namespace pcustomer {
namespace {

void WriteValue(JsonWriter& json, const std::string& text) { WriteString(json, text); }
void WriteValue(JsonWriter& json, int number) { json.Int(number); }
void WriteValue(JsonWriter& json, const std::optional<std::string>& text) {
  if (text) {
    WriteString(json, *text);
  } else {
    json.Null();
  }
}

// The item's key (type and id) first, then every client field in the list's order, then
// the store's stamps.
void WriteCustomerMembers(JsonWriter& json, const Customer& customer) {
  WriteKey(json, kIdField.json);
  WriteString(json, customer.id);
  WriteKey(json, kTypeField.json);
  json.String(kCustomerType);
  ForEachCustomerField([&](const auto& field) {
    WriteKey(json, field.json);
    WriteValue(json, customer.*field.stored);
  });
  WriteKey(json, kCreateAtField.json);
  WriteString(json, customer.create_at);
  WriteKey(json, kVersionField.json);
  json.Int64(customer.version);
  WriteKey(json, kUpdatedAtField.json);
  WriteString(json, customer.updated_at);
}

void WriteCustomer(JsonWriter& json, const Customer& customer) {
  json.StartObject();
  WriteCustomerMembers(json, customer);
  json.EndObject();
}

}  // namespace

std::string CustomerEnvelope(const Customer& customer) {
  return ItemEnvelope(customer, WriteCustomer);
}

std::string PageEnvelope(const CustomerPage& page, int limit,
                         const std::optional<std::string>& cursor) {
  return PageEnvelope(page.items, limit, cursor, std::nullopt);
}

std::string PageEnvelope(const std::vector<Customer>& items, int limit,
                         const std::optional<std::string>& cursor, std::optional<int64_t> total) {
  return PagedEnvelope(items, WriteCustomer, limit, cursor, total);
}

std::string TrashPageEnvelope(const TrashPage& page, int limit,
                              const std::optional<std::string>& cursor) {
  auto write_trashed = [](JsonWriter& json, const TrashedCustomer& trashed) {
    json.StartObject();
    WriteCustomerMembers(json, trashed.customer);
    json.Key("deletedAt");
    WriteString(json, trashed.deleted_at);
    // The username, as the page and the listing name people.
    json.Key("deletedBy");
    WriteString(json, trashed.deleted_by.username);
    json.EndObject();
  };
  return PagedEnvelope(page.items, write_trashed, limit, cursor);
}

std::string DataEnvelope(std::string_view json) {
  std::string out = "{\"data\":";
  out += json;
  out += '}';
  return out;
}

}  // namespace pcustomer
