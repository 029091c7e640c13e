#include "pcustomer/store/sqlite/database.hpp"

#include <sqlite3.h>

#include "pcustomer/store/sqlite/sqlite_error.hpp"

namespace pcustomer::sqlite {
namespace {

// Each connection is used by one thread at a time (the writer, or the reader holding its
// lease), so SQLite's own per-connection mutex is redundant.
constexpr int kSharedFlags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;

Error CorruptOrNotADatabase(int rc) {
  return Error::Internal("The customer database is corrupt or not a database: " +
                         std::string(sqlite3_errstr(rc)));
}

bool IsCorruption(int rc) { return (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT; }

Status SetJournalToWal(Connection& db) {
  Result<Query> query = db.Prepare("PRAGMA journal_mode = WAL");
  // Preparing reads the schema: the first statement to meet a file that is not a database.
  if (!query.ok()) {
    if (IsCorruption(db.LastErrorCode())) return CorruptOrNotADatabase(db.LastErrorCode());
    return std::move(query).error();
  }
  const int rc = query->Step();
  if (IsCorruption(rc)) return CorruptOrNotADatabase(rc);
  if (rc != SQLITE_ROW) return StoreUnavailable(rc);
  // SQLite answers the mode in force, which stays the old one when it cannot switch.
  if (query->Text(0) != "wal") {
    return Error::Internal("The customer database cannot use a WAL journal (mode is " +
                           query->Text(0) + ")");
  }
  return Ok{};
}

}  // namespace

Result<Connection> OpenWriterConnection(const std::string& path, int busy_timeout_ms,
                                        const std::string& vfs) {
  Result<Connection> db = Connection::Open(
      path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | kSharedFlags, busy_timeout_ms, vfs);
  if (!db.ok()) return db;
  if (Status wal = SetJournalToWal(*db); !wal.ok()) return std::move(wal).error();
  // Per connection, not stored in the file. In WAL mode FULL syncs the log at every commit.
  if (int rc = db->Execute("PRAGMA synchronous = FULL"); rc != SQLITE_OK) {
    return StoreUnavailable(rc);
  }
  return db;
}

Result<Connection> OpenReaderConnection(const std::string& path, int busy_timeout_ms,
                                        const std::string& vfs) {
  return Connection::Open(path, SQLITE_OPEN_READONLY | kSharedFlags, busy_timeout_ms, vfs);
}

}  // namespace pcustomer::sqlite
