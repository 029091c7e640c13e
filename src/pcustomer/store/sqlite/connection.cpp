#include "pcustomer/store/sqlite/connection.hpp"

#include <sqlite3.h>

#include <utility>

#include "pcustomer/store/sqlite/sqlite_error.hpp"

namespace pcustomer::sqlite {

Query::Query(Query&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)), bind_error_(other.bind_error_) {}

Query::~Query() {
  if (statement_ == nullptr) return;
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

void Query::Bind(int index, std::string_view text) {
  const int rc = sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

void Query::Bind(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(statement_, index, value);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

void Query::BindBlob(int index, std::string_view bytes) {
  const int rc =
      sqlite3_bind_blob64(statement_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

void Query::BindNull(int index) {
  const int rc = sqlite3_bind_null(statement_, index);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

int Query::Step() {
  if (bind_error_ != SQLITE_OK) return bind_error_;
  return sqlite3_step(statement_);
}

std::string Query::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

std::string Query::Blob(int column) const {
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement_, column));
  if (bytes == nullptr) return {};
  return std::string(bytes, static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

int64_t Query::Int64(int column) const { return sqlite3_column_int64(statement_, column); }

bool Query::IsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

void Connection::CloseDatabase::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

void Connection::FinalizeStatement::operator()(sqlite3_stmt* statement) const {
  sqlite3_finalize(statement);
}

Connection::Connection(sqlite3* db) : db_(db) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;
Connection::~Connection() = default;

Result<Connection> Connection::Open(const std::string& path, int flags, int busy_timeout_ms,
                                    const std::string& vfs) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, vfs.empty() ? nullptr : vfs.c_str());
  // sqlite3_open_v2 allocates a handle even on failure, and it must be closed.
  Connection connection(raw);
  // Readers open on demand while serving requests: the path goes to the log only.
  if (rc != SQLITE_OK) return StoreUnavailable(rc, "opening " + path);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  return connection;
}

int Connection::Cached(std::string_view sql, sqlite3_stmt** statement) {
  std::string key(sql);
  if (auto found = statements_.find(key); found != statements_.end()) {
    *statement = found->second.get();
    return SQLITE_OK;
  }
  sqlite3_stmt* prepared = nullptr;
  // Persistent: these statements live as long as the connection.
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &prepared, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(prepared);
    return rc;
  }
  statements_.emplace(std::move(key), prepared);
  *statement = prepared;
  return SQLITE_OK;
}

Result<Query> Connection::Prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  if (int rc = Cached(sql, &statement); rc != SQLITE_OK) return StoreUnavailable(rc);
  return Query(statement);
}

int Connection::ExecuteCached(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  if (int rc = Cached(sql, &statement); rc != SQLITE_OK) return rc;
  Query query(statement);
  int rc = SQLITE_OK;
  while ((rc = query.Step()) == SQLITE_ROW) {
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int Connection::Execute(const char* sql) {
  return sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
}

int64_t Connection::Changes() const { return sqlite3_changes64(db_.get()); }

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

std::string Connection::LastErrorMessage() const { return sqlite3_errmsg(db_.get()); }

int Connection::LastErrorCode() const { return sqlite3_extended_errcode(db_.get()); }

}  // namespace pcustomer::sqlite
