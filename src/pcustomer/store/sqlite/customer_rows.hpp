#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

// How customer rows are named, bound and read, from the field list: shared by the statements
// of customer_queries.cpp and search_queries.cpp.
namespace pcustomer::sqlite {

// The columns customer statements read: the id, every client field in the list's order, then
// create_at, version and updated_at. Parameters and result columns follow that order (the id is
// parameter 1 and column 0).
std::string CustomerColumns();
inline constexpr size_t kCustomerColumnCount = kCustomerFieldCount + 4;

// "SELECT <columns> FROM customers <condition>".
std::string SelectCustomers(std::string_view condition);

void BindValue(Query& query, int index, const std::string& text);
void BindValue(Query& query, int index, int number);
void BindValue(Query& query, int index, const std::optional<std::string>& text);  // none: NULL

// Binds `customer` to parameters 1 and on in CustomerColumns() order; answers the next free
// parameter.
int BindCustomer(Query& query, const Customer& customer);

// The customer in the current row of a query that selected CustomerColumns().
Customer ReadCustomer(const Query& row);

// Steps `query` (which selected CustomerColumns()) to its end, appending each customer to
// `out`; kUnavailable when a step fails.
Status ReadCustomers(Query& query, std::vector<Customer>& out);

}  // namespace pcustomer::sqlite
