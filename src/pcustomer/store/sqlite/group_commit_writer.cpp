#include "pcustomer/store/sqlite/group_commit_writer.hpp"

#include <sqlite3.h>

#include <algorithm>

#include "pcustomer/store/sqlite/sqlite_error.hpp"
#include "pcustomer/util/escaped_exceptions.hpp"

namespace pcustomer::sqlite {

GroupCommitWriter::GroupCommitWriter(Connection db, WriterOptions options)
    : db_(std::move(db)),
      options_{std::max<size_t>(options.max_queued, 1), std::max<size_t>(options.max_batch, 1)},
      thread_([this] { Run(); }) {}

GroupCommitWriter::~GroupCommitWriter() { Stop(); }

void GroupCommitWriter::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void GroupCommitWriter::Submit(std::unique_ptr<WriteOp> op) {
  bool accepted = false;
  bool stopping = false;
  {
    std::lock_guard lock(mutex_);
    stopping = stopping_;
    if (!stopping && queue_.size() < options_.max_queued) {
      queue_.push_back(std::move(op));
      accepted = true;
    }
  }
  if (accepted) {
    queued_.notify_one();
    return;
  }
  const Error refused = stopping ? Error::Unavailable("Store is shutting down")
                                 : Error::Unavailable("Store is overloaded");
  op->Finish(&refused);
}

void GroupCommitWriter::Run() {
  for (;;) {
    Batch batch = TakeBatch();
    if (batch.empty()) return;
    size_t next = 0;
    while (next < batch.size()) next = WriteGroup(batch, next);
  }
}

GroupCommitWriter::Batch GroupCommitWriter::TakeBatch() {
  std::unique_lock lock(mutex_);
  queued_.wait(lock, [&] { return !queue_.empty() || stopping_; });
  Batch batch;
  const size_t count = std::min(queue_.size(), options_.max_batch);
  batch.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    batch.push_back({std::move(queue_.front()), std::nullopt});
    queue_.pop_front();
  }
  return batch;
}

size_t GroupCommitWriter::WriteGroup(Batch& batch, size_t begin) {
  if (int rc = db_.ExecuteCached("BEGIN IMMEDIATE"); rc != SQLITE_OK) {
    // Usually another process held the write lock for the whole busy timeout.
    const Error failure = StoreUnavailable(rc);
    FinishAll(batch, begin, batch.size(), &failure);
    return batch.size();
  }
  size_t end = begin;
  while (end < batch.size()) {
    ApplyInSavepoint(batch[end++]);
    if (!db_.InTransaction()) {
      // SQLite rolled the whole transaction back (I/O error, full disk): the ops applied so
      // far are lost with it. The rest of the batch gets a transaction of its own.
      const Error failure = StoreUnavailable(SQLITE_ABORT_ROLLBACK, "SQLite rolled the group back");
      FinishAll(batch, begin, end, &failure);
      return end;
    }
  }
  if (int rc = db_.ExecuteCached("COMMIT"); rc != SQLITE_OK) {
    if (db_.InTransaction()) db_.ExecuteCached("ROLLBACK");
    const Error failure = StoreUnavailable(rc);
    FinishAll(batch, begin, end, &failure);
    return end;
  }
  commits_.fetch_add(1, std::memory_order_relaxed);
  FinishAll(batch, begin, end, nullptr);
  return end;
}

void GroupCommitWriter::ApplyInSavepoint(Entry& entry) {
  if (int rc = db_.ExecuteCached("SAVEPOINT op"); rc != SQLITE_OK) {
    entry.failure = StoreUnavailable(rc);
    return;
  }
  bool applied = false;
  try {
    applied = entry.op->Apply(db_);
  } catch (...) {
    // A bug in one op fails that op alone (500); the group and the writer thread go on.
    RecordEscapedException("SQLite writer", std::current_exception());
    entry.failure = Error::Internal("a write failed unexpectedly");
  }
  if (!db_.InTransaction()) return;
  // Keep a successful op; undo whatever a failed one did and go on with the group.
  int rc = SQLITE_OK;
  if (!applied) rc = db_.ExecuteCached("ROLLBACK TO op");
  if (rc == SQLITE_OK) rc = db_.ExecuteCached("RELEASE op");
  if (rc != SQLITE_OK) {
    // What the transaction holds is no longer known, so none of it may commit.
    entry.failure = StoreUnavailable(rc);
    db_.ExecuteCached("ROLLBACK");
  }
}

void GroupCommitWriter::FinishAll(Batch& batch, size_t begin, size_t end, const Error* failure) {
  for (size_t i = begin; i < end; ++i) {
    Entry& entry = batch[i];
    const Error* own = failure != nullptr ? failure : (entry.failure ? &*entry.failure : nullptr);
    try {
      entry.op->Finish(own);
    } catch (...) {
      RecordEscapedException("SQLite writer callback", std::current_exception());
    }
    entry.op.reset();  // frees what the callback captured as soon as it has run
  }
}

}  // namespace pcustomer::sqlite
