#include "pcustomer/store/sqlite/customer_queries.hpp"

#include <sqlite3.h>

#include <utility>

#include "pcustomer/store/sqlite/sqlite_error.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer::sqlite {
namespace {

// Ids taken by other processes are skipped a millisecond's worth at a time (see
// HighestIdInMilli), so a few attempts suffice; the bound only stops a runaway loop.
constexpr int kMaxIdAttempts = 16;

constexpr const char* kPhoneTaken = "Phone number is already used by another potential customer";

Customer ReadCustomer(const Query& row) {
  return {row.Text(0), row.Text(1), row.Text(2), static_cast<int>(row.Int64(3)),
          row.Text(4), row.Text(5)};
}

// The kConflict for `phone`, naming the customer holding it.
Error PhoneConflict(Connection& db, const std::string& phone) {
  Result<std::optional<Customer>> holder = SelectCustomerByPhone(db, phone);
  if (!holder.ok()) return std::move(holder).error();
  if (!holder->has_value()) {
    return Error::Internal("phone uniqueness failed without a row holding the phone");
  }
  return Error::Conflict(kPhoneTaken, {{"phone", (*holder)->id}});
}

// The highest id in the millisecond of `taken` (which is in use), so that the next attempt
// skips every id another process issued in that millisecond instead of probing one by one.
Result<std::string> HighestIdInMilli(Connection& db, const std::string& taken) {
  const std::optional<int64_t> value = CustomerIdValue(taken);
  if (!value) return taken;
  const std::string milli_end = FormatCustomerId((*value / kIdsPerMilli + 1) * kIdsPerMilli);
  Result<Query> query =
      db.Prepare("SELECT id FROM customers WHERE id >= ?1 AND id < ?2 ORDER BY id DESC LIMIT 1");
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, taken);
  query->Bind(2, milli_end);
  const int rc = query->Step();
  if (rc == SQLITE_ROW) return query->Text(0);
  if (rc == SQLITE_DONE) return taken;
  return StoreUnavailable(rc);
}

}  // namespace

Result<Customer> InsertCustomer(Connection& db, CustomerIdGenerator& ids,
                                const NewCustomer& customer) {
  IssuedId issued = ids.Next();
  for (int attempt = 0; attempt < kMaxIdAttempts; ++attempt) {
    Customer row{issued.id,    customer.full_name,    customer.phone,
                 customer.age, customer.product_code, FormatIsoMillis(issued.unix_millis)};
    Result<Query> insert = db.Prepare(
        "INSERT INTO customers (id, full_name, phone, age, product_code, create_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert.ok()) return std::move(insert).error();
    insert->Bind(1, row.id);
    insert->Bind(2, row.full_name);
    insert->Bind(3, row.phone);
    insert->Bind(4, int64_t{row.age});
    insert->Bind(5, row.product_code);
    insert->Bind(6, row.create_at);
    const int rc = insert->Step();
    if (rc == SQLITE_DONE) return row;
    if (rc == SQLITE_CONSTRAINT_UNIQUE) return PhoneConflict(db, row.phone);
    if (rc != SQLITE_CONSTRAINT_PRIMARYKEY) return StoreUnavailable(rc);
    // Another process sharing the file issued this id.
    Result<std::string> highest = HighestIdInMilli(db, row.id);
    if (!highest.ok()) return std::move(highest).error();
    issued = ids.NextAfter(*highest);
  }
  return Error::Unavailable("Customer store unavailable: no free id");
}

Result<Customer> UpdateCustomer(Connection& db, const std::string& id, const CustomerPatch& patch) {
  Result<Customer> current = SelectCustomer(db, id);
  if (!current.ok()) return current;
  Customer row = std::move(current).value();
  if (patch.full_name) row.full_name = *patch.full_name;
  if (patch.phone) row.phone = *patch.phone;
  if (patch.age) row.age = *patch.age;
  if (patch.product_code) row.product_code = *patch.product_code;
  Result<Query> update = db.Prepare(
      "UPDATE customers SET full_name = ?2, phone = ?3, age = ?4, product_code = ?5 "
      "WHERE id = ?1");
  if (!update.ok()) return std::move(update).error();
  update->Bind(1, row.id);
  update->Bind(2, row.full_name);
  update->Bind(3, row.phone);
  update->Bind(4, int64_t{row.age});
  update->Bind(5, row.product_code);
  const int rc = update->Step();
  if (rc == SQLITE_DONE) return row;
  // Only another row can hold the phone: a customer keeping its own phone passes.
  if (rc == SQLITE_CONSTRAINT_UNIQUE) return PhoneConflict(db, row.phone);
  return StoreUnavailable(rc);
}

Status DeleteCustomer(Connection& db, const std::string& id) {
  Result<Query> remove = db.Prepare("DELETE FROM customers WHERE id = ?1");
  if (!remove.ok()) return std::move(remove).error();
  remove->Bind(1, id);
  if (int rc = remove->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  if (db.Changes() == 0) return Error::NotFound("Potential customer not found");
  return Ok{};
}

Result<Customer> SelectCustomer(Connection& db, const std::string& id) {
  Result<Query> query = db.Prepare(
      "SELECT id, full_name, phone, age, product_code, create_at FROM customers WHERE id = ?1");
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, id);
  const int rc = query->Step();
  if (rc == SQLITE_ROW) return ReadCustomer(*query);
  if (rc == SQLITE_DONE) return Error::NotFound("Potential customer not found");
  return StoreUnavailable(rc);
}

Result<std::optional<Customer>> SelectCustomerByPhone(Connection& db, const std::string& phone) {
  Result<Query> query = db.Prepare(
      "SELECT id, full_name, phone, age, product_code, create_at FROM customers "
      "WHERE phone = ?1");
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, phone);
  const int rc = query->Step();
  if (rc == SQLITE_ROW) return std::optional<Customer>(ReadCustomer(*query));
  if (rc == SQLITE_DONE) return std::optional<Customer>();
  return StoreUnavailable(rc);
}

Result<CustomerPage> SelectCustomerPage(Connection& db, const PageRequest& request) {
  if (request.limit < 1) return Error::BadRequest("limit must be at least 1");
  Result<Query> query = db.Prepare(
      "SELECT id, full_name, phone, age, product_code, create_at FROM customers "
      "WHERE id > ?1 ORDER BY id LIMIT ?2");
  if (!query.ok()) return std::move(query).error();
  // Every id sorts after the empty string.
  query->Bind(1, request.after_id.value_or(""));
  query->Bind(2, int64_t{request.limit} + 1);
  CustomerPage page;
  page.items.reserve(static_cast<size_t>(request.limit) + 1);
  int rc = SQLITE_OK;
  while ((rc = query->Step()) == SQLITE_ROW) page.items.push_back(ReadCustomer(*query));
  if (rc != SQLITE_DONE) return StoreUnavailable(rc);
  if (page.items.size() > static_cast<size_t>(request.limit)) {
    page.items.pop_back();
    page.last_id = page.items.back().id;
  }
  return page;
}

Status WriteReadinessProbe(Connection& db, int64_t now_millis) {
  Result<Query> query = db.Prepare(
      "INSERT INTO readiness (id, checked_at) VALUES (1, ?1) "
      "ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at");
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, now_millis);
  if (int rc = query->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  return Ok{};
}

Result<std::string> LoadOrStoreSecret(Connection& db, std::string_view name,
                                      std::string_view candidate) {
  {
    Result<Query> insert =
        db.Prepare("INSERT OR IGNORE INTO secrets (name, value) VALUES (?1, ?2)");
    if (!insert.ok()) return std::move(insert).error();
    insert->Bind(1, name);
    insert->BindBlob(2, candidate);
    if (int rc = insert->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  }
  Result<Query> select = db.Prepare("SELECT value FROM secrets WHERE name = ?1");
  if (!select.ok()) return std::move(select).error();
  select->Bind(1, name);
  const int rc = select->Step();
  if (rc == SQLITE_ROW) return select->Blob(0);
  if (rc == SQLITE_DONE) return Error::Internal("secret vanished after insert");
  return StoreUnavailable(rc);
}

}  // namespace pcustomer::sqlite
