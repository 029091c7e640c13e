#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

// What lets a search find leads without reading the customers table: two FTS5 tables whose
// rowid is the lead's numeric id (the digits of "CUSTOMER#<n>"), so that their matches come
// out in creation order and join to customers through its primary key, and the name's
// collation key (customers.name_key, indexed, written by the insert and update statements).
//
// - customer_name_search holds the folded words of the name (SearchWords); its prefix
//   indexes of 1, 2 and 3 characters answer a short "the word starts with..." at once, and
//   customer_name_vocabulary (every word ever indexed, never pruned: a word no lead has any
//   more only costs an empty list) turns a longer prefix into the words it starts.
// - customer_phone_search holds digit grams of the phone: "t" + every 3 digits and "s" +
//   every 6 digits. A sequence of 6 digits or more holds its first and last 6-gram, a shorter
//   one its first and last 3-gram; the candidates are checked against the phone itself.
//
// Both are contentless (content=''): a deletion names the text that was indexed, which is
// recomputed from the stored name and phone. Folding is ICU's, so a build whose folding
// differs must rebuild customer_name_search in a migration. The rows are written in the same
// transaction as the lead, by the writes of customer_queries.cpp.
namespace pcustomer::sqlite {

// Shortest digit sequence a phone search takes (CONTRACT.md section 7).
inline constexpr size_t kMinPhoneSearchDigits = 3;

// The search tables' rowid for `id`; kInternal when it is not "CUSTOMER#" + a 63-bit number
// (every id this store issues is).
Result<int64_t> SearchRowId(const std::string& id);

// The MATCH expression of customer_name_search for leads with a word starting with each of
// `prefixes` (folded words, at least one), reading the vocabulary for prefixes longer than
// the prefix indexes.
Result<std::string> NameMatch(Connection& db, const std::vector<std::string>& prefixes);

// The MATCH expression of customer_phone_search for the candidates of phones holding
// `digits` (at least kMinPhoneSearchDigits); the caller checks the phone itself.
std::string PhoneMatch(const std::string& digits);

// Adds the search rows of `customer`.
Status IndexCustomer(Connection& db, const Customer& customer);

// Removes the search rows of `customer` as it was stored (its name and phone then).
Status UnindexCustomer(Connection& db, const Customer& customer);

// Writes the name key of every lead whose key is missing (migration 4, for rows from before
// search).
Status FillMissingNameKeys(Connection& db);

// Adds the search rows of every lead (migration 5, which creates the tables empty).
Status IndexAllCustomers(Connection& db);

}  // namespace pcustomer::sqlite
