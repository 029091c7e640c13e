#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/sqlite/connection.hpp"
#include "pcustomer/store/sqlite/test_support.hpp"
#include "pcustomer/store/sqlite/testing/fault_vfs.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {
namespace {

using test::Await;
using test::Collector;
using test::CreateNow;
using test::DeleteNow;
using test::FindByPhoneNow;
using test::GetNow;
using test::Lead;
using test::ListNow;
using test::UpdateNow;

constexpr const char* kPhoneTaken = "Phone number is already used by another potential customer";

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

TEST_F(SqliteCustomerStoreTest, CreateGetUpdateDeleteRoundTrip) {
  auto store = OpenStore();
  const int64_t before = NowUnixMillis();
  auto created = CreateNow(*store, {"Nguyễn Văn An", "0912345678", 30, "household_tool"});
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(IsCustomerId(created->id));
  EXPECT_EQ(created->full_name, "Nguyễn Văn An");
  EXPECT_EQ(created->phone, "0912345678");
  EXPECT_EQ(created->age, 30);
  EXPECT_EQ(created->product_code, "household_tool");
  // createAt is the millisecond the id stands for.
  const int64_t millis = *CustomerIdValue(created->id) / kIdsPerMilli;
  EXPECT_GE(millis, before);
  EXPECT_EQ(created->create_at, FormatIsoMillis(millis));

  auto got = GetNow(*store, created->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, *created);

  CustomerPatch patch;
  patch.age = 41;
  patch.product_code = "garden_tool";
  auto updated = UpdateNow(*store, created->id, patch);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  Customer expected = *created;
  expected.age = 41;
  expected.product_code = "garden_tool";
  EXPECT_EQ(*updated, expected);
  EXPECT_EQ(*GetNow(*store, created->id), expected);

  ASSERT_TRUE(DeleteNow(*store, created->id).ok());
  auto gone = GetNow(*store, created->id);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

TEST_F(SqliteCustomerStoreTest, MissingIdsAreNotFound) {
  auto store = OpenStore();
  const std::string missing = "CUSTOMER#1795545750015000";
  auto got = GetNow(*store, missing);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(got.error().message, "Potential customer not found");

  CustomerPatch patch;
  patch.age = 20;
  auto updated = UpdateNow(*store, missing, patch);
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, ErrorCode::kNotFound);
  // Update never creates.
  EXPECT_FALSE(GetNow(*store, missing).ok());

  auto deleted = DeleteNow(*store, missing);
  ASSERT_FALSE(deleted.ok());
  EXPECT_EQ(deleted.error().code, ErrorCode::kNotFound);
}

TEST_F(SqliteCustomerStoreTest, CreateWithTakenPhoneNamesItsHolder) {
  auto store = OpenStore();
  auto first = CreateNow(*store, Lead(1));
  ASSERT_TRUE(first.ok());
  NewCustomer same_phone = Lead(1);
  same_phone.full_name = "Trần Thị Bình";
  auto second = CreateNow(*store, same_phone);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  EXPECT_EQ(second.error().message, kPhoneTaken);
  EXPECT_EQ(second.error().reasons, (std::vector<Reason>{{"phone", first->id}}));
  // The holder is untouched.
  EXPECT_EQ(*GetNow(*store, first->id), *first);
}

TEST_F(SqliteCustomerStoreTest, UpdateToTakenPhoneNamesItsHolder) {
  auto store = OpenStore();
  auto holder = CreateNow(*store, Lead(1));
  auto other = CreateNow(*store, Lead(2));
  ASSERT_TRUE(holder.ok() && other.ok());
  CustomerPatch patch;
  patch.phone = holder->phone;
  patch.age = 50;
  auto updated = UpdateNow(*store, other->id, patch);
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, ErrorCode::kConflict);
  EXPECT_EQ(updated.error().message, kPhoneTaken);
  EXPECT_EQ(updated.error().reasons, (std::vector<Reason>{{"phone", holder->id}}));
  // Nothing of the failed update was written.
  EXPECT_EQ(*GetNow(*store, other->id), *other);
}

TEST_F(SqliteCustomerStoreTest, UpdateKeepingItsOwnPhoneIsNoConflict) {
  auto store = OpenStore();
  auto created = CreateNow(*store, Lead(1));
  ASSERT_TRUE(created.ok());
  CustomerPatch patch;
  patch.phone = created->phone;
  patch.full_name = "Ngô Ý";
  auto updated = UpdateNow(*store, created->id, patch);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->full_name, "Ngô Ý");
  EXPECT_EQ(updated->phone, created->phone);
}

TEST_F(SqliteCustomerStoreTest, PhoneFreedByDeleteOrUpdateCanBeReused) {
  auto store = OpenStore();
  auto first = CreateNow(*store, Lead(1));
  ASSERT_TRUE(first.ok());
  CustomerPatch patch;
  patch.phone = Lead(2).phone;
  ASSERT_TRUE(UpdateNow(*store, first->id, patch).ok());
  auto second = CreateNow(*store, Lead(1));
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(DeleteNow(*store, first->id).ok());
  EXPECT_TRUE(CreateNow(*store, Lead(2)).ok());
}

TEST_F(SqliteCustomerStoreTest, FindByPhoneAnswersTheHolderOrNone) {
  auto store = OpenStore();
  auto created = CreateNow(*store, Lead(7));
  ASSERT_TRUE(created.ok());
  auto found = FindByPhoneNow(*store, Lead(7).phone);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, *created);
  auto none = FindByPhoneNow(*store, Lead(8).phone);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(SqliteCustomerStoreTest, CheckReadyIsOk) {
  auto store = OpenStore();
  EXPECT_TRUE(Await<Ok>([&](Done<Ok> done) { store->CheckReady(done); }).ok());
}

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
        store->Create(Lead(t * kPerThread + i), collectors[t].Callback());
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

TEST_F(SqliteCustomerStoreTest, ListPagesReturnEveryCustomerOnceInIdOrder) {
  auto store = OpenStore();
  std::vector<std::string> created;
  for (int i = 0; i < 250; ++i) {
    auto customer = CreateNow(*store, Lead(i));
    ASSERT_TRUE(customer.ok());
    created.push_back(customer->id);
  }
  std::vector<std::string> listed;
  PageRequest request;
  request.limit = 7;
  int pages = 0;
  for (;;) {
    auto page = ListNow(*store, request);
    ASSERT_TRUE(page.ok()) << page.error().message;
    ++pages;
    ASSERT_LE(page->items.size(), 7u);
    for (const auto& item : page->items) listed.push_back(item.id);
    if (!page->last_id) break;
    EXPECT_EQ(*page->last_id, page->items.back().id);
    EXPECT_EQ(page->items.size(), 7u);
    request.after_id = page->last_id;
    ASSERT_LT(pages, 100) << "listing does not end";
  }
  EXPECT_EQ(pages, 36);  // 35 full pages and one of 5
  EXPECT_EQ(listed, created);
  EXPECT_TRUE(std::is_sorted(listed.begin(), listed.end()));
}

TEST_F(SqliteCustomerStoreTest, ListEndsWithoutLastIdWhenTheLastPageIsFull) {
  auto store = OpenStore();
  for (int i = 0; i < 14; ++i) ASSERT_TRUE(CreateNow(*store, Lead(i)).ok());
  PageRequest request;
  request.limit = 7;
  auto first = ListNow(*store, request);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->last_id.has_value());
  request.after_id = first->last_id;
  auto second = ListNow(*store, request);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->items.size(), 7u);
  EXPECT_FALSE(second->last_id.has_value());

  auto empty = ListNow(*store, {second->items.back().id, 10});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->items.empty());
  EXPECT_FALSE(empty->last_id.has_value());
}

TEST_F(SqliteCustomerStoreTest, TwoStoresOnOneFileNeverCollideOrOverwrite) {
  // Both "processes" read the same frozen clock, so they issue the same ids and every
  // create but the first collides with the other's.
  SqliteOptions options = Options();
  options.clock = [] { return int64_t{1'795'545'750'015}; };
  options.max_queued_writes = 1000;
  auto first = OpenStore(options);
  auto second = OpenStore(options);
  ASSERT_TRUE(first && second);

  constexpr int kEach = 300;
  Collector<Customer> from_first;
  Collector<Customer> from_second;
  std::thread a([&] {
    for (int i = 0; i < kEach; ++i) first->Create(Lead(i), from_first.Callback());
  });
  std::thread b([&] {
    for (int i = 0; i < kEach; ++i) second->Create(Lead(kEach + i), from_second.Callback());
  });
  a.join();
  b.join();

  std::vector<Customer> created;
  for (auto* collector : {&from_first, &from_second}) {
    for (const auto& result : collector->WaitFor(kEach)) {
      ASSERT_TRUE(result.ok()) << result.error().message;
      created.push_back(*result);
    }
  }
  std::set<std::string> ids;
  for (const auto& customer : created) {
    ids.insert(customer.id);
    // Each store sees exactly what it was told it wrote, through either store.
    EXPECT_EQ(*GetNow(*first, customer.id), customer);
    EXPECT_EQ(*GetNow(*second, customer.id), customer);
  }
  EXPECT_EQ(ids.size(), size_t{2 * kEach});
}

TEST_F(SqliteCustomerStoreTest, ReopenKeepsCustomersAndSecrets) {
  Customer created;
  std::string secret;
  {
    auto store = OpenStore();
    auto customer = CreateNow(*store, Lead(1));
    ASSERT_TRUE(customer.ok());
    created = *customer;
    auto loaded = store->LoadOrCreateSecret("cursor");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    secret = *loaded;
    EXPECT_EQ(secret.size(), 32u);
    EXPECT_EQ(*store->LoadOrCreateSecret("cursor"), secret);
    auto other = store->LoadOrCreateSecret("other");
    ASSERT_TRUE(other.ok());
    EXPECT_NE(*other, secret);
  }
  auto store = OpenStore();
  EXPECT_EQ(*GetNow(*store, created.id), created);
  EXPECT_EQ(*store->LoadOrCreateSecret("cursor"), secret);
  // New ids still sort after the old ones.
  auto later = CreateNow(*store, Lead(2));
  ASSERT_TRUE(later.ok());
  EXPECT_LT(created.id, later->id);
}

TEST_F(SqliteCustomerStoreTest, TwoStoresShareOneSecret) {
  auto first = OpenStore();
  auto second = OpenStore();
  auto a = first->LoadOrCreateSecret("cursor");
  auto b = second->LoadOrCreateSecret("cursor");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
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
    store->Create(Lead(i), results.Callback());
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
    for (int i = 0; i < kWrites; ++i) store->Create(Lead(i), results.Callback());
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
