#include "pcustomer/store/sqlite/sqlite_database.hpp"

#include <system_error>
#include <utility>

#include "pcustomer/store/sqlite/database.hpp"
#include "pcustomer/store/sqlite/schema.hpp"

namespace pcustomer {
namespace {

constexpr const char* kDatabaseFile = "pcustomer.db";

}  // namespace

std::filesystem::path SqliteDatabase::DatabasePath(const std::filesystem::path& data_dir) {
  return data_dir / kDatabaseFile;
}

Result<std::shared_ptr<SqliteDatabase>> SqliteDatabase::Open(const SqliteOptions& options) {
  if (options.data_dir.empty()) return Error::Internal("The data directory is not set");
  std::error_code error;
  std::filesystem::create_directories(options.data_dir, error);
  if (error) {
    return Error::Unavailable("Cannot create the data directory " + options.data_dir.string() +
                              ": " + error.message());
  }
  std::string path = DatabasePath(options.data_dir).string();
  Result<sqlite::Connection> db =
      sqlite::OpenWriterConnection(path, options.busy_timeout_ms, options.vfs);
  if (!db.ok()) {
    // Only the operator sees failures at start, so naming the file helps and leaks nothing.
    Error failure = std::move(db).error();
    if (failure.code == ErrorCode::kUnavailable)
      failure.message = "Cannot open the database " + path;
    return failure;
  }
  if (Status checked = sqlite::CheckIntegrity(*db); !checked.ok()) {
    return std::move(checked).error();
  }
  if (Status migrated = sqlite::MigrateSchema(*db); !migrated.ok()) {
    return std::move(migrated).error();
  }
  auto readers = std::make_unique<sqlite::ReaderPool>(path, options.max_readers,
                                                      options.busy_timeout_ms, options.vfs);
  std::shared_ptr<SqliteDatabase> database(new SqliteDatabase(
      std::move(path), options.busy_timeout_ms, options.vfs, std::move(readers)));
  database->writer_ = std::make_unique<sqlite::GroupCommitWriter>(
      std::move(db).value(), sqlite::WriterOptions{options.max_queued_writes, options.max_batch});
  return database;
}

SqliteDatabase::SqliteDatabase(std::string path, int busy_timeout_ms, std::string vfs,
                               std::unique_ptr<sqlite::ReaderPool> readers)
    : path_(std::move(path)),
      busy_timeout_ms_(busy_timeout_ms),
      vfs_(std::move(vfs)),
      readers_(std::move(readers)) {}

SqliteDatabase::~SqliteDatabase() {
  // Queued writes drain first, while everything their callbacks might use still exists. The
  // writer's connection closes last: the last connection to close checkpoints the WAL into
  // the database file and removes it, which read-only connections cannot do.
  writer_->Stop();
  readers_.reset();
  writer_.reset();
}

void SqliteDatabase::Write(std::unique_ptr<sqlite::WriteOp> op) { writer_->Submit(std::move(op)); }

Result<sqlite::Connection> SqliteDatabase::OpenSideConnection() const {
  return sqlite::OpenWriterConnection(path_, busy_timeout_ms_, vfs_);
}

uint64_t SqliteDatabase::CommitCount() const { return writer_->CommitCount(); }

}  // namespace pcustomer
