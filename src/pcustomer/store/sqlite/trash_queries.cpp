#include "pcustomer/store/sqlite/trash_queries.hpp"

#include <sqlite3.h>

#include <utility>
#include <vector>

#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/store/lead_history.hpp"
#include "pcustomer/store/sqlite/customer_queries.hpp"
#include "pcustomer/store/sqlite/customer_rows.hpp"
#include "pcustomer/store/sqlite/history_queries.hpp"
#include "pcustomer/store/sqlite/lead_count_queries.hpp"
#include "pcustomer/store/sqlite/search_index.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"

namespace pcustomer::sqlite {
namespace {

// The trash holds the customer columns, then who trashed the lead and when.
const std::string& TrashColumns() {
  static const std::string columns =
      CustomerColumns() + ", deleted_at, deleted_by_sub, deleted_by_username";
  return columns;
}

TrashedCustomer ReadTrashed(const Query& row) {
  TrashedCustomer trashed;
  trashed.customer = ReadCustomer(row);
  const int after = static_cast<int>(kCustomerColumnCount);
  trashed.deleted_at = row.Text(after);
  trashed.deleted_by = {row.Text(after + 1), row.Text(after + 2)};
  return trashed;
}

Result<TrashedCustomer> SelectTrashed(Connection& db, const std::string& id) {
  static const std::string statement = "SELECT " + TrashColumns() + " FROM trash WHERE id = ?1";
  Result<Query> query = db.Prepare(statement);
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, id);
  const int rc = query->Step();
  if (rc == SQLITE_ROW) return ReadTrashed(*query);
  if (rc == SQLITE_DONE) return Error::NotInTrash();
  return StoreUnavailable(rc);
}

Status InsertTrashed(Connection& db, const TrashedCustomer& trashed) {
  static const std::string statement = [] {
    std::string values = "?1";
    for (size_t n = 2; n <= kCustomerColumnCount + 3; ++n) values += ", ?" + std::to_string(n);
    return "INSERT INTO trash (" + TrashColumns() + ") VALUES (" + values + ")";
  }();
  Result<Query> insert = db.Prepare(statement);
  if (!insert.ok()) return std::move(insert).error();
  const int next = BindCustomer(*insert, trashed.customer);
  insert->Bind(next, trashed.deleted_at);
  insert->Bind(next + 1, trashed.deleted_by.sub);
  insert->Bind(next + 2, trashed.deleted_by.username);
  if (int rc = insert->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  return Ok{};
}

Status DeleteRow(Connection& db, std::string_view statement, const std::string& id) {
  Result<Query> remove = db.Prepare(statement);
  if (!remove.ok()) return std::move(remove).error();
  remove->Bind(1, id);
  if (int rc = remove->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  return Ok{};
}

}  // namespace

Status TrashCustomer(Connection& db, const std::string& id, ExpectedVersion expected,
                     const std::string& now, const Actor& by) {
  Result<Customer> current = SelectCustomer(db, id);
  if (!current.ok()) return std::move(current).error();
  if (expected && current->version != *expected) return Error::VersionMismatch(current->version);
  const TrashedCustomer trashed{AtNextVersion(*current, now), now, by};
  if (Status moved = InsertTrashed(db, trashed); !moved.ok()) return moved;
  if (Status removed = DeleteRow(db, "DELETE FROM customers WHERE id = ?1", id); !removed.ok())
    return removed;
  if (Status unindexed = UnindexCustomer(db, *current); !unindexed.ok()) return unindexed;
  if (Status counted = CountChange(db, &*current, nullptr); !counted.ok()) return counted;
  return InsertHistoryEntry(
      db, HistoryEntryOf(HistoryAction::kTrashed, by, &*current, trashed.customer));
}

Result<TrashPage> SelectTrashPage(Connection& db, const TrashPageRequest& request) {
  if (request.limit < 1) return Error::BadRequest("limit must be at least 1");
  static const std::string first =
      "SELECT " + TrashColumns() + " FROM trash ORDER BY deleted_at DESC, id DESC LIMIT ?1";
  static const std::string after = "SELECT " + TrashColumns() +
                                   " FROM trash WHERE (deleted_at, id) < (?2, ?3) "
                                   "ORDER BY deleted_at DESC, id DESC LIMIT ?1";
  Result<Query> query = db.Prepare(request.after ? after : first);
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, int64_t{request.limit} + 1);
  if (request.after) {
    query->Bind(2, request.after->deleted_at);
    query->Bind(3, request.after->id);
  }
  TrashPage page;
  int rc = SQLITE_ROW;
  while ((rc = query->Step()) == SQLITE_ROW) page.items.push_back(ReadTrashed(*query));
  if (rc != SQLITE_DONE) return StoreUnavailable(rc);
  if (page.items.size() > static_cast<size_t>(request.limit)) {
    page.items.pop_back();
    page.more = true;
  }
  return page;
}

Result<Customer> RestoreCustomer(Connection& db, const std::string& id, ExpectedVersion expected,
                                 const std::string& now, const Actor& by) {
  Result<TrashedCustomer> trashed = SelectTrashed(db, id);
  if (!trashed.ok()) return std::move(trashed).error();
  const Customer& before = trashed->customer;
  if (expected && before.version != *expected) return Error::VersionMismatch(before.version);
  const Customer restored = AtNextVersion(before, now);
  Result<int> inserted = InsertCustomerRow(db, restored);
  if (!inserted.ok()) return std::move(inserted).error();
  if (*inserted != SQLITE_DONE) {
    return Error::Conflict("Another potential customer holds this id",
                           {{"id", "a potential customer with this id exists"}});
  }
  if (Status removed = DeleteRow(db, "DELETE FROM trash WHERE id = ?1", id); !removed.ok())
    return std::move(removed).error();
  Status recorded =
      InsertHistoryEntry(db, HistoryEntryOf(HistoryAction::kRestored, by, &before, restored));
  if (!recorded.ok()) return std::move(recorded).error();
  return restored;
}

Status EraseTrashed(Connection& db, const std::string& id) {
  if (Status removed = DeleteRow(db, "DELETE FROM trash WHERE id = ?1", id); !removed.ok())
    return removed;
  if (db.Changes() == 0) return Error::NotInTrash();
  return DeleteHistory(db, id);
}

Result<int> EraseTrashedBefore(Connection& db, const std::string& cutoff, int limit) {
  Result<Query> query =
      db.Prepare("SELECT id FROM trash WHERE deleted_at < ?1 ORDER BY deleted_at LIMIT ?2");
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, cutoff);
  query->Bind(2, int64_t{limit});
  std::vector<std::string> ids;
  int rc = SQLITE_ROW;
  while ((rc = query->Step()) == SQLITE_ROW) ids.push_back(query->Text(0));
  if (rc != SQLITE_DONE) return StoreUnavailable(rc);
  for (const std::string& id : ids) {
    if (Status erased = EraseTrashed(db, id); !erased.ok()) return std::move(erased).error();
  }
  return static_cast<int>(ids.size());
}

}  // namespace pcustomer::sqlite
