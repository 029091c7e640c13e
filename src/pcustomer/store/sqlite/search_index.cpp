#include "pcustomer/store/sqlite/search_index.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

#include "pcustomer/store/sqlite/sqlite_error.hpp"
#include "pcustomer/validation/search_text.hpp"

namespace pcustomer::sqlite {
namespace {

// A name's words once each: "Nguyễn Nguyên" indexes "nguyen" once.
std::vector<std::string> DistinctWords(const std::string& full_name) {
  std::vector<std::string> words = SearchWords(full_name);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

std::vector<std::string> PhoneSuffixes(const std::string& phone) {
  std::vector<std::string> suffixes;
  for (size_t start = 0; start + kMinPhoneSearchDigits <= phone.size(); ++start) {
    suffixes.push_back(phone.substr(start));
  }
  return suffixes;
}

// Runs `sql` (two parameters: a key and the customer id) once for each key.
Status ForEachKey(Connection& db, const char* sql, const std::vector<std::string>& keys,
                  const std::string& id) {
  for (const std::string& key : keys) {
    Result<Query> query = db.Prepare(sql);
    if (!query.ok()) return std::move(query).error();
    query->Bind(1, key);
    query->Bind(2, id);
    if (int rc = query->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  }
  return Ok{};
}

Status WriteNameKey(Connection& db, const Customer& customer) {
  Result<Query> query = db.Prepare("UPDATE customers SET name_key = ?2 WHERE id = ?1");
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, customer.id);
  query->BindBlob(2, VietnameseSortKey(customer.full_name));
  if (int rc = query->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  return Ok{};
}

}  // namespace

Status IndexCustomer(Connection& db, const Customer& customer) {
  if (Status key = WriteNameKey(db, customer); !key.ok()) return key;
  Status words = ForEachKey(db,
                            "INSERT OR IGNORE INTO customer_name_words (word, customer_id) "
                            "VALUES (?1, ?2)",
                            DistinctWords(customer.full_name), customer.id);
  if (!words.ok()) return words;
  return ForEachKey(db,
                    "INSERT OR IGNORE INTO customer_phone_suffixes (suffix, customer_id) "
                    "VALUES (?1, ?2)",
                    PhoneSuffixes(customer.phone), customer.id);
}

Status UnindexCustomer(Connection& db, const Customer& customer) {
  Status words =
      ForEachKey(db, "DELETE FROM customer_name_words WHERE word = ?1 AND customer_id = ?2",
                 DistinctWords(customer.full_name), customer.id);
  if (!words.ok()) return words;
  return ForEachKey(db,
                    "DELETE FROM customer_phone_suffixes WHERE suffix = ?1 AND customer_id = ?2",
                    PhoneSuffixes(customer.phone), customer.id);
}

Status IndexUnindexedCustomers(Connection& db) {
  std::vector<Customer> unindexed;
  {
    Result<Query> query =
        db.Prepare("SELECT id, full_name, phone FROM customers WHERE name_key IS NULL");
    if (!query.ok()) return std::move(query).error();
    int rc = SQLITE_OK;
    while ((rc = query->Step()) == SQLITE_ROW) {
      Customer customer;
      customer.id = query->Text(0);
      customer.full_name = query->Text(1);
      customer.phone = query->Text(2);
      unindexed.push_back(std::move(customer));
    }
    if (rc != SQLITE_DONE) return StoreUnavailable(rc);
  }
  for (const Customer& customer : unindexed) {
    if (Status indexed = IndexCustomer(db, customer); !indexed.ok()) return indexed;
  }
  return Ok{};
}

}  // namespace pcustomer::sqlite
