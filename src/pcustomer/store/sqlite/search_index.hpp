#pragma once

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

// The rows that let a search find leads without reading the customers table: each folded
// word of a name (customer_name_words), each digit suffix of a phone of 3 digits or more
// (customer_phone_suffixes: "contains 345" is "some suffix starts with 345"), and the name's
// collation key (customers.name_key, indexed). They are written in the same transaction as
// the lead itself, by the writes of customer_queries.cpp.
namespace pcustomer::sqlite {

// Shortest digit sequence a phone search takes (CONTRACT.md section 7).
inline constexpr size_t kMinPhoneSearchDigits = 3;

// Adds the index rows and the name key of `customer`, which is in the table.
Status IndexCustomer(Connection& db, const Customer& customer);

// Removes the index rows of `customer` as it was stored (its name and phone then).
Status UnindexCustomer(Connection& db, const Customer& customer);

// Indexes every stored lead whose name key is missing: the rows written before the schema
// had search (migration 4).
Status IndexUnindexedCustomers(Connection& db);

}  // namespace pcustomer::sqlite
