#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

namespace pcustomer::sqlite {

// One queued change. The writer runs Apply inside the group's transaction, then calls
// Finish exactly once, after the group's fate is known.
class WriteOp {
 public:
  virtual ~WriteOp() = default;
  // Makes the change inside its own savepoint. False rolls back this op's savepoint only;
  // the rest of the group still commits.
  virtual bool Apply(Connection& db) = 0;
  // Delivers the outcome: the op's own result when `failure` is null (its group committed,
  // or it failed by itself), else `failure`. Runs on the writer thread, no lock held.
  virtual void Finish(const Error* failure) = 0;
};

// A WriteOp from a function of the writer's connection and the callback for its result.
template <class T>
std::unique_ptr<WriteOp> MakeWriteOp(std::function<Result<T>(Connection&)> body,
                                     std::function<void(Result<T>)> done) {
  class TypedOp final : public WriteOp {
   public:
    TypedOp(std::function<Result<T>(Connection&)> b, std::function<void(Result<T>)> d)
        : body_(std::move(b)), done_(std::move(d)) {}
    bool Apply(Connection& db) override {
      result_.emplace(body_(db));
      return result_->ok();
    }
    void Finish(const Error* failure) override {
      if (failure != nullptr || !result_) {
        done_(failure != nullptr ? *failure : Error::Internal("write was never applied"));
      } else {
        done_(std::move(*result_));
      }
    }

   private:
    std::function<Result<T>(Connection&)> body_;
    std::function<void(Result<T>)> done_;
    std::optional<Result<T>> result_;
  };
  return std::make_unique<TypedOp>(std::move(body), std::move(done));
}

struct WriterOptions {
  // Queued ops beyond which Submit refuses (kUnavailable). When the disk cannot keep up, a
  // prompt 503 that the client may retry beats a queue whose wait outlasts its timeout.
  size_t max_queued = 1024;
  // Ops per transaction. Bounds how long one group holds the write lock and how much work a
  // failing COMMIT throws away.
  size_t max_batch = 256;
};

// The single thread that writes to the database, committing queued ops in groups: it takes
// every queued op (up to max_batch), runs BEGIN IMMEDIATE, each op in its own SAVEPOINT, and
// one COMMIT (one fsync for the group), and only then finishes the ops. When the transaction
// cannot begin or commit, every op of the group gets kUnavailable. Thread-safe.
class GroupCommitWriter {
 public:
  GroupCommitWriter(Connection db, WriterOptions options);
  // Stop(), then closes the connection.
  ~GroupCommitWriter();

  // Stops accepting ops, commits and finishes every op already queued, and joins the
  // thread; the connection stays open. Idempotent; not to be called from an op's callback.
  void Stop();

  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Queues `op`, or finishes it at once on the calling thread with kUnavailable when the
  // queue is full or the writer is stopping.
  void Submit(std::unique_ptr<WriteOp> op);

  // Transactions committed so far (how well writes are grouped; for tests and metrics).
  uint64_t CommitCount() const { return commits_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    std::unique_ptr<WriteOp> op;
    std::optional<Error> failure;  // the op's own, when its savepoint could not be used
  };
  using Batch = std::vector<Entry>;

  void Run();
  // Takes the next batch; empty only when stopping and drained.
  Batch TakeBatch();
  void WriteBatch(Batch& batch);
  // Applies batch[begin, end) in one transaction and finishes those ops; returns where it
  // stopped (before `end` when SQLite abandoned the transaction midway).
  size_t WriteGroup(Batch& batch, size_t begin);
  void ApplyInSavepoint(Entry& entry);
  static void FinishAll(Batch& batch, size_t begin, size_t end, const Error* failure);

  Connection db_;  // used by the writer thread only
  const WriterOptions options_;
  std::atomic<uint64_t> commits_{0};

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::unique_ptr<WriteOp>> queue_;  // guarded by mutex_
  bool stopping_ = false;                       // guarded by mutex_

  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace pcustomer::sqlite
