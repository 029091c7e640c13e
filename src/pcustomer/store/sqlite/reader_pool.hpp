#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

namespace pcustomer::sqlite {

// Read-only connections for queries on the calling thread. In WAL mode each reads its own
// snapshot in parallel with the writer and with each other. Connections open on demand, up
// to a bound; when all are busy, a caller waits for one (reads take microseconds). Each keeps
// its prepared statements, so they are prepared once per connection. Thread-safe.
class ReaderPool {
 public:
  // Returns its connection to the pool when destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() { return *connection_; }
    Connection* operator->() { return connection_.get(); }

   private:
    friend class ReaderPool;
    Lease(ReaderPool* pool, std::unique_ptr<Connection> connection);
    ReaderPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // `max_connections` at least 1; `vfs` names the SQLite VFS (the default when empty). The
  // pool must outlive its leases.
  ReaderPool(std::string path, size_t max_connections, int busy_timeout_ms, std::string vfs = {});

  // An idle connection, a new one while under the bound, or the next one returned.
  // kUnavailable when a new connection cannot be opened.
  Result<Lease> Acquire();

  // Connections opened so far (for tests).
  size_t OpenCount() const;

 private:
  void Release(std::unique_ptr<Connection> connection);

  const std::string path_;
  const size_t max_connections_;
  const int busy_timeout_ms_;
  const std::string vfs_;

  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
  size_t open_count_ = 0;                          // guarded by mutex_; idle or leased
};

}  // namespace pcustomer::sqlite
