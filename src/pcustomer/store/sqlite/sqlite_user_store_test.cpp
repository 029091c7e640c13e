#include "pcustomer/store/sqlite/sqlite_user_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "pcustomer/store/sqlite/connection.hpp"
#include "pcustomer/store/sqlite/refresh_token_queries.hpp"
#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"
#include "pcustomer/store/testing/store_calls.hpp"
#include "pcustomer/store/testing/user_store_calls.hpp"

namespace pcustomer {
namespace {

using namespace test;  // NOLINT: the shared test vocabulary

// What only the SQLite backend has to get right; the shared contract is in
// user_store_contract_test.cpp.
class SqliteUserStoreTest : public ::testing::Test, public test::UserStoreCalls {
 protected:
  SqliteUserStoreTest() {
    SqliteOptions options;
    options.data_dir = dir_.path() / "data";
    auto database = SqliteDatabase::Open(options);
    EXPECT_TRUE(database.ok()) << database.error().message;
    database_ = std::move(database).value();
    sqlite_store_ = std::make_unique<SqliteUserStore>(database_);
  }

  UserStore& store() override { return *sqlite_store_; }

  test::TempDirectory dir_;
  std::shared_ptr<SqliteDatabase> database_;
  std::unique_ptr<SqliteUserStore> sqlite_store_;
};

TEST_F(SqliteUserStoreTest, ConcurrentRotationsSeeExactlyOneReplay) {
  // Rotations are serialised by the single writer: the first one wins, the next presents a
  // token rotated by then (the one replay, which revokes the family), the rest find it revoked.
  ASSERT_TRUE(Save(Token("A", "family-1", "alice")).ok());
  RotationRace race = RaceRotationsOfA(8);
  EXPECT_EQ(race.succeeded, 1);
  EXPECT_EQ(race.reuses, 1);
  EXPECT_EQ(race.other_refusals, 6);
}

// SQLite only from here: how rows are kept and written.

TEST_F(SqliteUserStoreTest, TokensArePurgedADayAfterTheyExpire) {
  auto rows = [&] {
    auto db = sqlite::Connection::Open(SqliteDatabase::DatabasePath(dir_.path() / "data").string(),
                                       SQLITE_OPEN_READONLY, 1000);
    EXPECT_TRUE(db.ok());
    auto query = db->Prepare("SELECT COUNT(*) FROM refresh_tokens");
    EXPECT_TRUE(query.ok() && query->Step() == SQLITE_ROW);
    return query->Int64(0);
  };
  constexpr int64_t kExpiry = kNow + 100;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(
        Save({"old-" + std::to_string(i), "f" + std::to_string(i), "a", kNow, kExpiry}).ok());
  }
  const int64_t later = kExpiry + sqlite::kRefreshTokenRetentionSeconds;
  // At the end of the retention the rows are still there.
  ASSERT_TRUE(Save(Token("new-1", "g1", "a", later)).ok());
  EXPECT_EQ(rows(), 101);
  // Past it, each write purges a bounded number of them.
  ASSERT_TRUE(Save(Token("new-2", "g2", "a", later + 1)).ok());
  EXPECT_EQ(rows(), 101 - sqlite::kMaxPurgedPerWrite + 1);
  ASSERT_TRUE(Rotate("new-2", "new-3", later + 2).ok());
  EXPECT_EQ(rows(), 3);  // new-1, new-2 (rotated) and new-3: nothing old
}

TEST_F(SqliteUserStoreTest, UserAndCustomerWritesShareGroupCommits) {
  SqliteCustomerStore customers(database_);
  // While another process holds the write lock, every write below queues up behind it.
  auto other = sqlite::Connection::Open(SqliteDatabase::DatabasePath(dir_.path() / "data").string(),
                                        SQLITE_OPEN_READWRITE, 0);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->Execute("BEGIN IMMEDIATE"), SQLITE_OK);
  const uint64_t before = database_->CommitCount();
  constexpr int kEach = 50;
  Collector<Ok> user_results;
  Collector<Customer> customer_results;
  for (int i = 0; i < kEach; ++i) {
    store().CreateUser(MakeUser("user" + std::to_string(i)), user_results.Callback());
    customers.Create(test::Lead(i), test::TestActor(), customer_results.Callback());
  }
  ASSERT_EQ(other->Execute("COMMIT"), SQLITE_OK);
  for (const auto& result : user_results.WaitFor(kEach)) EXPECT_TRUE(result.ok());
  for (const auto& result : customer_results.WaitFor(kEach)) EXPECT_TRUE(result.ok());
  // The group the writer held while waiting, then the rest of the queue in one.
  EXPECT_LE(database_->CommitCount() - before, 2u);
  EXPECT_EQ(*CountUsers(), kEach);
}

}  // namespace
}  // namespace pcustomer
