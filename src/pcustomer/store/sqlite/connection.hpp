#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "pcustomer/domain/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace pcustomer::sqlite {

// One use of a prepared statement: bind, step, read columns. Destroying it resets the
// statement and clears its bindings, so a finished read never keeps its snapshot open (an
// open snapshot would stop WAL checkpoints and show stale data to the next use).
class Query {
 public:
  explicit Query(sqlite3_stmt* statement) : statement_(statement) {}
  Query(Query&& other) noexcept;
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  ~Query();

  // Parameters are 1-based, as in SQLite. Values are copied. A failing bind is reported
  // by the next Step().
  void Bind(int index, std::string_view text);
  void Bind(int index, int64_t value);
  void BindBlob(int index, std::string_view bytes);
  void BindNull(int index);

  // SQLITE_ROW, SQLITE_DONE, or an (extended) error code.
  int Step();

  // Columns of the current row, 0-based.
  std::string Text(int column) const;
  std::string Blob(int column) const;
  int64_t Int64(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3_stmt* statement_;
  int bind_error_ = 0;
};

// An open SQLite connection with its cache of prepared statements. Not thread-safe: one
// thread uses it at a time (the writer thread, or the reader that leased it). Errors are
// extended result codes (SQLITE_CONSTRAINT_UNIQUE, not just SQLITE_CONSTRAINT).
class Connection {
 public:
  // Opens `path` with sqlite3_open_v2 `flags` through the VFS named `vfs` (SQLite's default
  // when empty) and waits up to `busy_timeout_ms` for locks held by other connections.
  // kUnavailable when the file cannot be opened.
  static Result<Connection> Open(const std::string& path, int flags, int busy_timeout_ms,
                                 const std::string& vfs = {});

  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  // The statement for `sql`, prepared on first use and reused afterwards. At most one Query
  // per distinct `sql` may be alive at a time. kUnavailable when preparing fails.
  Result<Query> Prepare(std::string_view sql);

  // Runs the single statement `sql` to completion through the statement cache (transaction
  // control on hot paths); SQLITE_OK or an error code.
  int ExecuteCached(std::string_view sql);

  // Runs `sql`, which may hold several statements, without caching (pragmas, schema
  // changes); SQLITE_OK or an error code.
  int Execute(const char* sql);

  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes() const;

  // False when no transaction is open, including after SQLite rolled one back by itself
  // (it may do so on I/O errors, a full disk or running out of memory).
  bool InTransaction() const;

  // The last error's text from SQLite; may name files, so for logs and startup errors only.
  std::string LastErrorMessage() const;

  // The extended result code of the last failed call, e.g. of a Prepare that failed.
  int LastErrorCode() const;

 private:
  struct CloseDatabase {
    void operator()(sqlite3* db) const;
  };
  struct FinalizeStatement {
    void operator()(sqlite3_stmt* statement) const;
  };

  explicit Connection(sqlite3* db);
  // The cached statement for `sql`, preparing it on first use; SQLITE_OK or an error code.
  int Cached(std::string_view sql, sqlite3_stmt** statement);

  // Declared first so it is destroyed last, after every statement is finalized.
  std::unique_ptr<sqlite3, CloseDatabase> db_;
  std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, FinalizeStatement>> statements_;
};

}  // namespace pcustomer::sqlite
