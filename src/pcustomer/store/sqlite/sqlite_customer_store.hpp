#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/customer_store.hpp"
#include "pcustomer/store/sqlite/sqlite_database.hpp"

namespace pcustomer {

// The embedded customer store on a SqliteDatabase: one SQLite file that several processes
// may share. Reads run on the calling thread on pooled read-only connections and answer
// before returning. Writes go to the database's single writer thread that commits them in
// groups (one fsync per group) and runs their callbacks on that thread once the group is
// durable. A write's callback may also run on the calling thread, with kUnavailable, when
// the queue is full.
class SqliteCustomerStore final : public CustomerStore {
 public:
  // Opens a database of its own (see SqliteDatabase::Open), with the ids' clock of
  // `options`; database() shares it with the other SQLite stores.
  static Result<std::unique_ptr<SqliteCustomerStore>> Open(const SqliteOptions& options);

  // A store on an open database. `clock` gives ids' milliseconds and updatedAt; the system
  // clock when empty.
  explicit SqliteCustomerStore(std::shared_ptr<SqliteDatabase> database,
                               CustomerIdGenerator::Clock clock = {});

  // Lets go of the database. When this store held the last reference, the database drains:
  // it refuses new writes, commits every queued write (running its callback) and joins the
  // writer thread; otherwise queued writes finish when the database closes. No other call
  // may be running or start.
  ~SqliteCustomerStore() override;

  SqliteCustomerStore(const SqliteCustomerStore&) = delete;
  SqliteCustomerStore& operator=(const SqliteCustomerStore&) = delete;

  void Create(NewCustomer customer, Actor by, Done<Customer> done) override;
  // The whole batch is one write of the writer's group: one commit, one fsync.
  void CreateBatch(std::vector<NewCustomer> items, BatchMode mode, Actor by,
                   Done<std::vector<BatchItemResult>> done) override;
  void Get(std::string id, Done<Customer> done) override;
  void Update(std::string id, CustomerPatch patch, ExpectedVersion expected, Actor by,
              Done<Customer> done) override;
  void Trash(std::string id, ExpectedVersion expected, Actor by, Done<Ok> done) override;
  void ListTrash(TrashPageRequest request, Done<TrashPage> done) override;
  void Restore(std::string id, ExpectedVersion expected, Actor by, Done<Customer> done) override;
  void Erase(std::string id, Done<Ok> done) override;
  void EraseTrashedBefore(std::string cutoff, int limit, Done<int> done) override;
  void List(PageRequest request, Done<CustomerPage> done) override;
  void Search(SearchRequest request, Done<SearchPage> done) override;
  void History(HistoryRequest request, Done<HistoryPage> done) override;
  void AddNote(std::string id, std::string text, Actor by, Done<HistoryEntry> done) override;
  void Counts(std::string first_day, Done<LeadCounts> done) override;
  void FindByPhone(std::string phone, Done<std::optional<Customer>> done) override;
  void CheckReady(Done<Ok> done) override;

  // Write transactions committed so far by the database (every store's writes).
  uint64_t CommitCount() const;

  // The database under this store, to open the other SQLite stores on.
  const std::shared_ptr<SqliteDatabase>& database() const { return database_; }

  // The database file of a store opened on `data_dir`.
  static std::filesystem::path DatabasePath(const std::filesystem::path& data_dir);

 private:
  std::shared_ptr<SqliteDatabase> database_;
  // Shared with queued creates, which may run after this store is gone when the database
  // outlives it; used by the writer thread only.
  std::shared_ptr<CustomerIdGenerator> ids_;
  CustomerIdGenerator::Clock clock_;
};

}  // namespace pcustomer
