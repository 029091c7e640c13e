#include "pcustomer/store/sqlite/customer_rows.hpp"

#include <sqlite3.h>

#include <cstdint>

#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"

namespace pcustomer::sqlite {
namespace {

void ReadValue(const Query& row, int column, std::string& text) { text = row.Text(column); }
void ReadValue(const Query& row, int column, int& number) {
  number = static_cast<int>(row.Int64(column));
}
void ReadValue(const Query& row, int column, std::optional<std::string>& text) {
  if (row.IsNull(column)) {
    text.reset();
  } else {
    text = row.Text(column);
  }
}

}  // namespace

std::string CustomerColumns() {
  std::string columns(kIdField.column);
  ForEachCustomerField([&](const auto& field) {
    columns += ", ";
    columns += field.column;
  });
  for (std::string_view column :
       {kCreateAtField.column, kVersionField.column, kUpdatedAtField.column}) {
    columns += ", ";
    columns += column;
  }
  return columns;
}

std::string SelectCustomers(std::string_view condition) {
  return "SELECT " + CustomerColumns() + " FROM customers " + std::string(condition);
}

void BindValue(Query& query, int index, const std::string& text) { query.Bind(index, text); }
void BindValue(Query& query, int index, int number) { query.Bind(index, int64_t{number}); }
void BindValue(Query& query, int index, const std::optional<std::string>& text) {
  if (text) {
    query.Bind(index, *text);
  } else {
    query.BindNull(index);
  }
}

int BindCustomer(Query& query, const Customer& customer) {
  query.Bind(1, customer.id);
  int index = 2;
  ForEachCustomerField(
      [&](const auto& field) { BindValue(query, index++, customer.*field.stored); });
  query.Bind(index++, customer.create_at);
  query.Bind(index++, customer.version);
  query.Bind(index++, customer.updated_at);
  return index;
}

Customer ReadCustomer(const Query& row) {
  Customer customer;
  customer.id = row.Text(0);
  int column = 1;
  ForEachCustomerField(
      [&](const auto& field) { ReadValue(row, column++, customer.*field.stored); });
  customer.create_at = row.Text(column++);
  customer.version = row.Int64(column++);
  customer.updated_at = row.Text(column);
  return customer;
}

Status ReadCustomers(Query& query, std::vector<Customer>& out) {
  int rc = SQLITE_OK;
  while ((rc = query.Step()) == SQLITE_ROW) out.push_back(ReadCustomer(query));
  if (rc != SQLITE_DONE) return StoreUnavailable(rc);
  return Ok{};
}

}  // namespace pcustomer::sqlite
