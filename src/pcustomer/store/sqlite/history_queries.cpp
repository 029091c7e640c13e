#include "pcustomer/store/sqlite/history_queries.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <limits>
#include <utility>

#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/store/lead_history.hpp"
#include "pcustomer/store/sqlite/customer_queries.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"

namespace pcustomer::sqlite {

Status InsertHistoryEntry(Connection& db, const HistoryEntry& entry) {
  Result<Query> insert = db.Prepare(
      "INSERT INTO history (customer_id, version, at, by_sub, by_username, action, changes) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!insert.ok()) return std::move(insert).error();
  insert->Bind(1, entry.lead_id);
  insert->Bind(2, entry.version);
  insert->Bind(3, entry.at);
  insert->Bind(4, entry.by.sub);
  insert->Bind(5, entry.by.username);
  insert->Bind(6, HistoryActionName(entry.action));
  insert->Bind(7, entry.changes);
  if (int rc = insert->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  return Ok{};
}

Result<HistoryPage> SelectHistoryPage(Connection& db, const HistoryRequest& request) {
  if (request.limit < 1) return Error::BadRequest("limit must be at least 1");
  Result<Query> query = db.Prepare(
      "SELECT version, at, by_sub, by_username, action, changes FROM history "
      "WHERE customer_id = ?1 AND version < ?2 AND (?4 IS NULL OR action = ?4) "
      "ORDER BY version DESC LIMIT ?3");
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, request.lead_id);
  query->Bind(2, request.before_version.value_or(std::numeric_limits<int64_t>::max()));
  query->Bind(3, int64_t{request.limit} + 1);
  if (request.action) query->Bind(4, HistoryActionName(*request.action));
  HistoryPage page;
  int rc = SQLITE_ROW;
  while ((rc = query->Step()) == SQLITE_ROW) {
    HistoryEntry entry;
    entry.lead_id = request.lead_id;
    entry.version = query->Int64(0);
    entry.at = query->Text(1);
    entry.by = {query->Text(2), query->Text(3)};
    entry.action = HistoryActionNamed(query->Text(4)).value_or(HistoryAction::kUpdated);
    entry.changes = query->Text(5);
    page.items.push_back(std::move(entry));
  }
  if (rc != SQLITE_DONE) return StoreUnavailable(rc);
  if (page.items.size() > static_cast<size_t>(request.limit)) {
    page.items.pop_back();
    page.more = true;
  }
  if (page.items.empty() && !request.before_version) {
    Result<Customer> lead = SelectCustomer(db, request.lead_id);
    if (!lead.ok()) return std::move(lead).error();
  }
  return page;
}

Result<HistoryEntry> InsertNote(Connection& db, const std::string& id, const std::string& text,
                                const std::string& now, const Actor& by) {
  Result<Customer> current = SelectCustomer(db, id);
  if (!current.ok()) return std::move(current).error();
  const Customer noted = AtNextVersion(std::move(*current), now);
  Result<Query> update =
      db.Prepare("UPDATE customers SET version = ?2, updated_at = ?3 WHERE id = ?1");
  if (!update.ok()) return std::move(update).error();
  update->Bind(1, id);
  update->Bind(2, noted.version);
  update->Bind(3, noted.updated_at);
  if (int rc = update->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  HistoryEntry entry = NoteEntryOf(by, noted, text);
  if (Status recorded = InsertHistoryEntry(db, entry); !recorded.ok())
    return std::move(recorded).error();
  return entry;
}

Status DeleteHistory(Connection& db, const std::string& lead_id) {
  Result<Query> remove = db.Prepare("DELETE FROM history WHERE customer_id = ?1");
  if (!remove.ok()) return std::move(remove).error();
  remove->Bind(1, lead_id);
  if (int rc = remove->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  return Ok{};
}

}  // namespace pcustomer::sqlite
