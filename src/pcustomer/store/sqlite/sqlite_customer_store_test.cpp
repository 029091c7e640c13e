#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "pcustomer/store/sqlite/connection.hpp"
#include "pcustomer/store/sqlite/sqlite_secret_store.hpp"
#include "pcustomer/store/sqlite/testing/fault_vfs.hpp"
#include "pcustomer/store/testing/store_calls.hpp"

namespace pcustomer {
namespace {

using test::Await;
using test::Collector;
using test::CreateNow;
using test::GetNow;
using test::Lead;
using test::ListNow;

class SqliteCustomerStoreTest : public ::testing::Test {
 protected:
  SqliteOptions Options() const {
    SqliteOptions options;
    options.data_dir = dir_.path() / "data";
    return options;
  }

  std::unique_ptr<SqliteCustomerStore> OpenStore(const SqliteOptions& options) {
    auto store = SqliteCustomerStore::Open(options);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }
  std::unique_ptr<SqliteCustomerStore> OpenStore() { return OpenStore(Options()); }

  // A connection standing for another process; BEGIN IMMEDIATE on it holds the write lock.
  sqlite::Connection OtherProcess() {
    auto db = sqlite::Connection::Open(SqliteCustomerStore::DatabasePath(Options().data_dir),
                                       SQLITE_OPEN_READWRITE, 0);
    EXPECT_TRUE(db.ok());
    return std::move(db).value();
  }

  test::TempDirectory dir_;
};

// Reads kept answering on a full disk, so a read probe said ready while no write committed.
TEST_F(SqliteCustomerStoreTest, RegressionReadyWhileNoWriteCouldCommit) {
  using sqlite::testing::FaultOp;
  using sqlite::testing::FaultVfs;
  FaultVfs& faults = FaultVfs::Get();  // registers the VFS
  SqliteOptions options = Options();
  options.vfs = FaultVfs::kName;
  auto store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  faults.Arm(FaultOp::kWrite, 1, SQLITE_FULL, /*persistent=*/true);
  auto ready = Await<Ok>([&](Done<Ok> done) { store->CheckReady(done); });
  faults.Reset();
  ASSERT_FALSE(ready.ok());
  EXPECT_EQ(ready.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(ready.error().message, "The store is unavailable; retry shortly");
  EXPECT_NE(ready.error().detail.find("SQLite"), std::string::npos) << ready.error().detail;
  EXPECT_TRUE(Await<Ok>([&](Done<Ok> done) { store->CheckReady(done); }).ok()) << "recovers";
}

TEST_F(SqliteCustomerStoreTest, ThousandConcurrentCreatesGetUniqueIdsIncreasingPerThread) {
  auto store = OpenStore();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 125;
  std::vector<std::vector<Result<Customer>>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        results[t].push_back(CreateNow(*store, Lead(t * kPerThread + i)));
      }
    });
  }
  for (auto& thread : threads) thread.join();

  std::set<std::string> ids;
  for (int t = 0; t < kThreads; ++t) {
    std::string previous;
    for (const auto& result : results[t]) {
      ASSERT_TRUE(result.ok()) << result.error().message;
      EXPECT_LT(previous, result->id);
      previous = result->id;
      ids.insert(result->id);
    }
  }
  EXPECT_EQ(ids.size(), size_t{kThreads * kPerThread});
  EXPECT_LE(store->CommitCount(), uint64_t{kThreads * kPerThread});
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(*GetNow(*store, results[t].back()->id), *results[t].back());
  }
}

TEST_F(SqliteCustomerStoreTest, WritesQueuedTogetherCommitInOneGroupEach) {
  SqliteOptions options = Options();
  options.max_batch = 256;
  options.max_queued_writes = 2000;
  options.busy_timeout_ms = 60'000;
  auto store = OpenStore(options);
  // While another process holds the write lock, the writer waits with at most one group in
  // hand, so nearly every write below queues up behind it.
  auto other = OtherProcess();
  ASSERT_EQ(other.Execute("BEGIN IMMEDIATE"), SQLITE_OK);

  constexpr int kThreads = 8;
  constexpr int kPerThread = 125;
  constexpr int kWrites = kThreads * kPerThread;
  std::vector<Collector<Customer>> collectors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        store->Create(Lead(t * kPerThread + i), test::TestActor(), collectors[t].Callback());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(other.Execute("COMMIT"), SQLITE_OK);

  std::set<std::string> ids;
  for (auto& collector : collectors) {
    std::string previous;
    for (const auto& result : collector.WaitFor(kPerThread)) {
      ASSERT_TRUE(result.ok()) << result.error().message;
      EXPECT_LT(previous, result->id);  // callbacks of one submitter arrive in its order
      previous = result->id;
      ids.insert(result->id);
    }
  }
  EXPECT_EQ(ids.size(), size_t{kWrites});
  // The group in hand, then the queue in batches of 256.
  EXPECT_LE(store->CommitCount(), 1u + (kWrites + 255) / 256);
}

TEST_F(SqliteCustomerStoreTest, ABatchIsOneCommitAndARefusedItemLeavesNothing) {
  auto store = OpenStore();
  std::vector<NewCustomer> items;
  for (int i = 0; i < 100; ++i) items.push_back(Lead(i));
  items[50] = Lead(3);  // the phone of an earlier item
  const uint64_t before = store->CommitCount();
  auto results = Await<std::vector<BatchItemResult>>([&](Done<std::vector<BatchItemResult>> done) {
    store->CreateBatch(items, BatchMode::kCreate, test::TestActor(), std::move(done));
  });
  ASSERT_TRUE(results.ok()) << results.error().message;
  EXPECT_EQ(store->CommitCount(), before + 1);
  int created = 0;
  for (const BatchItemResult& result : *results) created += result.outcome.ok() ? 1 : 0;
  EXPECT_EQ(created, 99);
  // The refused item left no row and no history; the lead of the phone is the first one.
  auto holder = test::FindByPhoneNow(*store, Lead(3).phone);
  ASSERT_TRUE(holder.ok() && holder->has_value());
  EXPECT_EQ((*holder)->id, (*results)[3].outcome->id);
  auto other = OtherProcess();
  for (const char* table : {"customers", "history"}) {
    auto count = other.Prepare(std::string("SELECT count(*) FROM ") + table);
    ASSERT_TRUE(count.ok());
    ASSERT_EQ(count->Step(), SQLITE_ROW);
    EXPECT_EQ(count->Int64(0), 99) << table;
  }
}

TEST_F(SqliteCustomerStoreTest, ReopenKeepsCustomersAndSecrets) {
  Customer created;
  std::string secret;
  {
    auto store = OpenStore();
    auto customer = CreateNow(*store, Lead(1));
    ASSERT_TRUE(customer.ok());
    created = *customer;
    SqliteSecretStore secrets(store->database());
    auto loaded = secrets.LoadOrCreateSecret("cursor");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    secret = *loaded;
    EXPECT_EQ(secret.size(), 32u);
    EXPECT_EQ(*secrets.LoadOrCreateSecret("cursor"), secret);
    auto other = secrets.LoadOrCreateSecret("other");
    ASSERT_TRUE(other.ok());
    EXPECT_NE(*other, secret);
  }
  auto store = OpenStore();
  EXPECT_EQ(*GetNow(*store, created.id), created);
  EXPECT_EQ(*SqliteSecretStore(store->database()).LoadOrCreateSecret("cursor"), secret);
  // New ids still sort after the old ones.
  auto later = CreateNow(*store, Lead(2));
  ASSERT_TRUE(later.ok());
  EXPECT_LT(created.id, later->id);
}

TEST_F(SqliteCustomerStoreTest, WritesBeyondAFullQueueAreUnavailable) {
  SqliteOptions options = Options();
  options.max_queued_writes = 2;
  options.max_batch = 1;
  options.busy_timeout_ms = 60'000;
  auto store = OpenStore(options);
  auto other = OtherProcess();
  ASSERT_EQ(other.Execute("BEGIN IMMEDIATE"), SQLITE_OK);

  // The writer holds at most one op (blocked on the lock) and the queue two more; every
  // write beyond those is refused before Create returns.
  constexpr int kWrites = 10;
  Collector<Customer> results;
  int refused_at_once = 0;
  for (int i = 0; i < kWrites; ++i) {
    const size_t before = results.Count();
    store->Create(Lead(i), test::TestActor(), results.Callback());
    if (results.Count() > before) ++refused_at_once;
  }
  EXPECT_GE(refused_at_once, kWrites - 3);
  ASSERT_EQ(other.Execute("COMMIT"), SQLITE_OK);

  int created = 0;
  int unavailable = 0;
  for (const auto& result : results.WaitFor(kWrites)) {
    if (result.ok()) {
      ++created;
    } else {
      EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
      EXPECT_GT(result.error().retry_after_seconds, 0);
      ++unavailable;
    }
  }
  EXPECT_EQ(unavailable, refused_at_once);
  EXPECT_EQ(created, kWrites - refused_at_once);
  EXPECT_GE(created, 1);
}

TEST_F(SqliteCustomerStoreTest, WriteIsUnavailableWhileAnotherProcessKeepsTheLock) {
  SqliteOptions options = Options();
  options.busy_timeout_ms = 50;
  auto store = OpenStore(options);
  auto other = OtherProcess();
  ASSERT_EQ(other.Execute("BEGIN IMMEDIATE"), SQLITE_OK);
  auto blocked = CreateNow(*store, Lead(1));
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kUnavailable);
  // Reads go on beside the lock holder.
  auto page = ListNow(*store, {std::nullopt, 10});
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
  ASSERT_EQ(other.Execute("ROLLBACK"), SQLITE_OK);
  EXPECT_TRUE(CreateNow(*store, Lead(1)).ok());
}

TEST_F(SqliteCustomerStoreTest, ClosingCommitsEveryQueuedWrite) {
  constexpr int kWrites = 200;
  Collector<Customer> results;
  {
    auto store = OpenStore();
    for (int i = 0; i < kWrites; ++i) store->Create(Lead(i), test::TestActor(), results.Callback());
  }
  // Every callback ran before the store was gone.
  ASSERT_EQ(results.Count(), size_t{kWrites});
  auto store = OpenStore();
  for (const auto& result : results.WaitFor(kWrites)) {
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(*GetNow(*store, result->id), *result);
  }
}

TEST_F(SqliteCustomerStoreTest, ReadersRunInParallelUpToTheBound) {
  SqliteOptions options = Options();
  options.max_readers = 3;
  auto store = OpenStore(options);
  auto created = CreateNow(*store, Lead(1));
  ASSERT_TRUE(created.ok());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto got = GetNow(*store, created->id);
        if (!got.ok() || *got != *created) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace pcustomer
