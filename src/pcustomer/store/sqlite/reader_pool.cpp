#include "pcustomer/store/sqlite/reader_pool.hpp"

#include <algorithm>
#include <utility>

#include "pcustomer/store/sqlite/database.hpp"

namespace pcustomer::sqlite {

ReaderPool::Lease::Lease(ReaderPool* pool, std::unique_ptr<Connection> connection)
    : pool_(pool), connection_(std::move(connection)) {}

ReaderPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {}

ReaderPool::Lease::~Lease() {
  if (connection_) pool_->Release(std::move(connection_));
}

ReaderPool::ReaderPool(std::string path, size_t max_connections, int busy_timeout_ms,
                       std::string vfs)
    : path_(std::move(path)),
      max_connections_(std::max<size_t>(max_connections, 1)),
      busy_timeout_ms_(busy_timeout_ms),
      vfs_(std::move(vfs)) {}

Result<ReaderPool::Lease> ReaderPool::Acquire() {
  {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [&] { return !idle_.empty() || open_count_ < max_connections_; });
    if (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(connection));
    }
    // Reserve the slot, then open outside the lock so other readers are not held up.
    ++open_count_;
  }
  Result<Connection> opened = OpenReaderConnection(path_, busy_timeout_ms_, vfs_);
  if (!opened.ok()) {
    {
      std::lock_guard lock(mutex_);
      --open_count_;
    }
    returned_.notify_one();
    return std::move(opened).error();
  }
  return Lease(this, std::make_unique<Connection>(std::move(opened).value()));
}

size_t ReaderPool::OpenCount() const {
  std::lock_guard lock(mutex_);
  return open_count_;
}

void ReaderPool::Release(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  returned_.notify_one();
}

}  // namespace pcustomer::sqlite
