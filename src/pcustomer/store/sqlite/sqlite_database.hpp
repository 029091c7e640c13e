#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/sqlite/connection.hpp"
#include "pcustomer/store/sqlite/group_commit_writer.hpp"
#include "pcustomer/store/sqlite/reader_pool.hpp"

namespace pcustomer {

struct SqliteOptions {
  // Holds pcustomer.db (and its -wal and -shm files); created when missing.
  std::filesystem::path data_dir;
  // Read-only connections opened on demand for queries on the calling threads; beyond this
  // many concurrent reads, a read waits for a free connection. Each costs a file handle and
  // its own page cache (about 2 MiB at most), so the bound keeps both finite.
  size_t max_readers = 8;
  // Writes queued for the writer thread beyond which a write fails at once with
  // kUnavailable: when the disk cannot keep up, a prompt 503 that clients retry beats
  // latency that outlasts their timeouts.
  size_t max_queued_writes = 1024;
  // Writes committed together in one transaction (one fsync) at most.
  size_t max_batch = 256;
  // How long a statement waits for a lock held by another process before kUnavailable.
  int busy_timeout_ms = 5000;
  // Source of customer ids' milliseconds (and createAt); the system clock when empty. For
  // tests.
  CustomerIdGenerator::Clock clock;
  // The registered SQLite VFS every connection opens the file through; SQLite's default when
  // empty. For tests that inject I/O faults.
  std::string vfs;
};

// The one SQLite file behind every SQLite store (customers, users), opened once per process
// and shared by the stores, so that all their writes go through one writer thread: writes
// of different stores share transactions and fsyncs, and never wait for each other's locks.
// Reads run on the calling thread on pooled read-only connections. Thread-safe.
class SqliteDatabase {
 public:
  // Opens or creates `<data_dir>/pcustomer.db`, checks its integrity and migrates its
  // schema. kInternal when the file is corrupt or from a newer build (an operator must
  // act); kUnavailable when it cannot be opened or read.
  static Result<std::shared_ptr<SqliteDatabase>> Open(const SqliteOptions& options);

  // Refuses new writes, commits every queued write (running its callback), joins the
  // writer thread. No other call may be running or start.
  ~SqliteDatabase();

  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Queues `op` for the writer thread (see GroupCommitWriter::Submit).
  void Write(std::unique_ptr<sqlite::WriteOp> op);

  // Runs `read(Connection&) -> Result<T>` on a pooled reader, then answers `done` on the
  // calling thread after the connection is back in the pool, so a callback that reads again
  // does not need a second connection.
  template <class T, class Read>
  void ReadWith(Read&& read, const Done<T>& done);

  // A read-write connection of its own, for blocking work at start (the writer's connection
  // belongs to the writer thread).
  Result<sqlite::Connection> OpenSideConnection() const;

  // Write transactions committed so far; fewer than writes when grouping works.
  uint64_t CommitCount() const;

  // The database file of a store opened on `data_dir`.
  static std::filesystem::path DatabasePath(const std::filesystem::path& data_dir);

 private:
  SqliteDatabase(std::string path, int busy_timeout_ms, std::string vfs,
                 std::unique_ptr<sqlite::ReaderPool> readers);

  const std::string path_;
  const int busy_timeout_ms_;
  const std::string vfs_;
  std::unique_ptr<sqlite::ReaderPool> readers_;
  std::unique_ptr<sqlite::GroupCommitWriter> writer_;
};

template <class T, class Read>
void SqliteDatabase::ReadWith(Read&& read, const Done<T>& done) {
  std::optional<Result<T>> result;
  {
    Result<sqlite::ReaderPool::Lease> lease = readers_->Acquire();
    if (!lease.ok()) {
      result.emplace(std::move(lease).error());
    } else {
      result.emplace(std::forward<Read>(read)(**lease));
    }
  }
  done(std::move(*result));
}

}  // namespace pcustomer
