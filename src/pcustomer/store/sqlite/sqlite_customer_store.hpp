#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/customer_store.hpp"

namespace pcustomer {

namespace sqlite {
class GroupCommitWriter;
class ReaderPool;
}  // namespace sqlite

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
  // Source of ids' milliseconds (and createAt); the system clock when empty. For tests.
  CustomerIdGenerator::Clock clock;
};

// The embedded store: one SQLite file that several processes may share. Reads run on the
// calling thread on pooled read-only connections and answer before returning. Writes go to
// a single writer thread that commits them in groups (one fsync per group) and runs their
// callbacks on that thread once the group is durable. A write's callback may also run on the
// calling thread, with kUnavailable, when the queue is full.
class SqliteCustomerStore final : public CustomerStore {
 public:
  // Opens or creates `<data_dir>/pcustomer.db`, checks its integrity and migrates its
  // schema. kInternal when the file is corrupt or from a newer build (an operator must
  // act); kUnavailable when it cannot be opened or read.
  static Result<std::unique_ptr<SqliteCustomerStore>> Open(const SqliteOptions& options);

  // Refuses new writes, commits every queued write (running its callback), joins the
  // writer thread. No other call may be running or start.
  ~SqliteCustomerStore() override;

  SqliteCustomerStore(const SqliteCustomerStore&) = delete;
  SqliteCustomerStore& operator=(const SqliteCustomerStore&) = delete;

  void Create(NewCustomer customer, Done<Customer> done) override;
  void Get(std::string id, Done<Customer> done) override;
  void Update(std::string id, CustomerPatch patch, Done<Customer> done) override;
  void Delete(std::string id, Done<Ok> done) override;
  void List(PageRequest request, Done<CustomerPage> done) override;
  void FindByPhone(std::string phone, Done<std::optional<Customer>> done) override;
  void CheckReady(Done<Ok> done) override;
  Result<std::string> LoadOrCreateSecret(std::string_view name) override;

  // Write transactions committed so far; fewer than writes when grouping works.
  uint64_t CommitCount() const;

  // The database file of a store opened on `data_dir`.
  static std::filesystem::path DatabasePath(const std::filesystem::path& data_dir);

 private:
  SqliteCustomerStore(std::string path, const SqliteOptions& options,
                      std::unique_ptr<sqlite::ReaderPool> readers);

  const std::string path_;
  const int busy_timeout_ms_;
  CustomerIdGenerator ids_;  // used by the writer thread only, via queued creates
  std::unique_ptr<sqlite::ReaderPool> readers_;
  std::unique_ptr<sqlite::GroupCommitWriter> writer_;
};

}  // namespace pcustomer
