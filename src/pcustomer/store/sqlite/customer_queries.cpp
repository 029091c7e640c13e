#include "pcustomer/store/sqlite/customer_queries.hpp"

#include <sqlite3.h>

#include <utility>

#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/store/lead_history.hpp"
#include "pcustomer/store/sqlite/assignment_queries.hpp"
#include "pcustomer/store/sqlite/customer_rows.hpp"
#include "pcustomer/store/sqlite/history_queries.hpp"
#include "pcustomer/store/sqlite/lead_count_queries.hpp"
#include "pcustomer/store/sqlite/search_index.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"
#include "pcustomer/util/clock.hpp"
#include "pcustomer/validation/search_text.hpp"

namespace pcustomer::sqlite {
namespace {

// Ids taken by other processes are skipped a millisecond's worth at a time (see
// HighestIdInMilli), so a few attempts suffice; the bound only stops a runaway loop.
constexpr int kMaxIdAttempts = 16;

// Binds the client fields of `customer` to parameters 2 and on; answers the next free one.
int BindFields(Query& query, const Customer& customer) {
  int index = 2;
  ForEachCustomerField(
      [&](const auto& field) { BindValue(query, index++, customer.*field.stored); });
  return index;
}

// The parameters after the client fields: in the insert, create_at, version, updated_at and
// the name key (search_index.hpp); in the update, the name key, version and updated_at.
constexpr int kInsertNameKeyIndex = static_cast<int>(kCustomerFieldCount) + 5;
constexpr int kUpdateNameKeyIndex = static_cast<int>(kCustomerFieldCount) + 2;
constexpr int kUpdateVersionIndex = kUpdateNameKeyIndex + 1;
constexpr int kUpdateUpdatedAtIndex = kUpdateNameKeyIndex + 2;

const std::string& InsertStatement() {
  static const std::string statement = [] {
    std::string values = "?1";
    for (int n = 2; n <= kInsertNameKeyIndex; ++n) values += ", ?" + std::to_string(n);
    return "INSERT INTO customers (" + CustomerColumns() + ", name_key) VALUES (" + values + ")";
  }();
  return statement;
}

const std::string& UpdateStatement() {
  static const std::string statement = [] {
    std::string assignments;
    int index = 2;
    ForEachCustomerField([&](const auto& field) {
      if (!assignments.empty()) assignments += ", ";
      assignments += std::string(field.column) + " = ?" + std::to_string(index++);
    });
    assignments += ", name_key = coalesce(?" + std::to_string(kUpdateNameKeyIndex) + ", name_key)";
    assignments +=
        ", " + std::string(kVersionField.column) + " = ?" + std::to_string(kUpdateVersionIndex);
    assignments +=
        ", " + std::string(kUpdatedAtField.column) + " = ?" + std::to_string(kUpdateUpdatedAtIndex);
    return "UPDATE customers SET " + assignments + " WHERE " + std::string(kIdField.column) +
           " = ?1";
  }();
  return statement;
}

// The kConflict for `phone`, naming the customer holding it.
Error PhoneConflict(Connection& db, const std::string& phone) {
  Result<std::optional<Customer>> holder = SelectCustomerByPhone(db, phone);
  if (!holder.ok()) return std::move(holder).error();
  if (!holder->has_value()) {
    return Error::Internal("phone uniqueness failed without a row holding the phone");
  }
  return Error::PhoneTaken((*holder)->id);
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

Result<int> InsertCustomerRow(Connection& db, const Customer& row) {
  Result<Query> insert = db.Prepare(InsertStatement());
  if (!insert.ok()) return std::move(insert).error();
  BindCustomer(*insert, row);
  insert->BindBlob(kInsertNameKeyIndex, VietnameseSortKey(row.full_name));
  const int rc = insert->Step();
  if (rc == SQLITE_DONE) {
    if (Status indexed = IndexCustomer(db, row); !indexed.ok()) return std::move(indexed).error();
    if (Status counted = CountChange(db, nullptr, &row); !counted.ok())
      return std::move(counted).error();
    return rc;
  }
  if (rc == SQLITE_CONSTRAINT_UNIQUE) return PhoneConflict(db, row.phone);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) return rc;
  return StoreUnavailable(rc);
}

Result<Customer> InsertCustomer(Connection& db, CustomerIdGenerator& ids,
                                const NewCustomer& customer, const Actor& by) {
  IssuedId issued = ids.Next();
  std::optional<std::string> owner = customer.owner_id;
  if (customer.TakesTurn()) {
    Result<std::string> next = TakeTurn(db, customer.assign_in_turn);
    if (!next.ok()) return std::move(next).error();
    owner = std::move(*next);
  }
  for (int attempt = 0; attempt < kMaxIdAttempts; ++attempt) {
    Customer row = StoredCustomer(customer, issued.id, FormatIsoMillis(issued.unix_millis));
    row.owner_id = owner;
    Result<int> inserted = InsertCustomerRow(db, row);
    if (!inserted.ok()) return std::move(inserted).error();
    if (*inserted == SQLITE_DONE) {
      Status recorded =
          InsertHistoryEntry(db, HistoryEntryOf(HistoryAction::kCreated, by, nullptr, row));
      if (!recorded.ok()) return std::move(recorded).error();
      return row;
    }
    // Another process sharing the file issued this id.
    Result<std::string> highest = HighestIdInMilli(db, row.id);
    if (!highest.ok()) return std::move(highest).error();
    issued = ids.NextAfter(*highest);
  }
  return Error::Unavailable("Customer store unavailable: no free id");
}

Result<Customer> UpdateCustomer(Connection& db, const std::string& id, const CustomerPatch& patch,
                                ExpectedVersion expected, const std::string& now, const Actor& by) {
  // Read and written in the writer's transaction: nothing can change the row in between.
  Result<Customer> current = SelectCustomer(db, id);
  if (!current.ok()) return current;
  if (expected && current->version != *expected) {
    return Error::VersionMismatch(current->version);
  }
  const Customer row = UpdatedCustomer(*current, patch, now);
  Result<Query> update = db.Prepare(UpdateStatement());
  if (!update.ok()) return std::move(update).error();
  update->Bind(1, row.id);
  BindFields(*update, row);
  // The collation key costs ICU work: only a new name needs one (unbound, the statement keeps
  // the stored key).
  if (row.full_name != current->full_name) {
    update->BindBlob(kUpdateNameKeyIndex, VietnameseSortKey(row.full_name));
  }
  update->Bind(kUpdateVersionIndex, row.version);
  update->Bind(kUpdateUpdatedAtIndex, row.updated_at);
  const int rc = update->Step();
  // Only another row can hold the phone: a customer keeping its own phone passes.
  if (rc == SQLITE_CONSTRAINT_UNIQUE) return PhoneConflict(db, row.phone);
  if (rc != SQLITE_DONE) return StoreUnavailable(rc);
  if (row.full_name != current->full_name || row.phone != current->phone) {
    if (Status old = UnindexCustomer(db, *current); !old.ok()) return std::move(old).error();
    if (Status indexed = IndexCustomer(db, row); !indexed.ok()) return std::move(indexed).error();
  }
  if (Status counted = CountChange(db, &*current, &row); !counted.ok())
    return std::move(counted).error();
  Status recorded =
      InsertHistoryEntry(db, HistoryEntryOf(HistoryAction::kUpdated, by, &*current, row));
  if (!recorded.ok()) return std::move(recorded).error();
  return row;
}

Result<Customer> SelectCustomer(Connection& db, const std::string& id) {
  static const std::string statement = SelectCustomers("WHERE id = ?1");
  Result<Query> query = db.Prepare(statement);
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, id);
  const int rc = query->Step();
  if (rc == SQLITE_ROW) return ReadCustomer(*query);
  if (rc == SQLITE_DONE) return Error::CustomerNotFound();
  return StoreUnavailable(rc);
}

Result<std::optional<Customer>> SelectCustomerByPhone(Connection& db, const std::string& phone) {
  static const std::string statement = SelectCustomers("WHERE phone = ?1");
  Result<Query> query = db.Prepare(statement);
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, phone);
  const int rc = query->Step();
  if (rc == SQLITE_ROW) return std::optional<Customer>(ReadCustomer(*query));
  if (rc == SQLITE_DONE) return std::optional<Customer>();
  return StoreUnavailable(rc);
}

Result<CustomerPage> SelectCustomerPage(Connection& db, const PageRequest& request) {
  if (request.limit < 1) return Error::BadRequest("limit must be at least 1");
  static const std::string statement = SelectCustomers("WHERE id > ?1 ORDER BY id LIMIT ?2");
  Result<Query> query = db.Prepare(statement);
  if (!query.ok()) return std::move(query).error();
  // Every id sorts after the empty string.
  query->Bind(1, request.after_id.value_or(""));
  query->Bind(2, int64_t{request.limit} + 1);
  CustomerPage page;
  page.items.reserve(static_cast<size_t>(request.limit) + 1);
  if (Status read = ReadCustomers(*query, page.items); !read.ok()) return std::move(read).error();
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

}  // namespace pcustomer::sqlite
