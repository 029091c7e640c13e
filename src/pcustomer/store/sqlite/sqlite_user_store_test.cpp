#include "pcustomer/store/sqlite/sqlite_user_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "pcustomer/store/sqlite/connection.hpp"
#include "pcustomer/store/sqlite/refresh_token_queries.hpp"
#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"
#include "pcustomer/store/sqlite/test_support.hpp"

namespace pcustomer {
namespace {

using test::Await;
using test::Collector;

constexpr const char* kReuse = "Refresh token reuse detected; sign in again";
constexpr const char* kInvalid = "Refresh token is invalid or expired";
constexpr int64_t kNow = 1'800'000'000;
constexpr int64_t kLifetime = 30 * 24 * 60 * 60;

User MakeUser(std::string username, std::string role = "employee", std::string team = "sales") {
  return {std::move(username),
          "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA",
          std::move(role),
          std::move(team),
          false,
          kNow};
}

RefreshTokenRecord Token(std::string hash, std::string family, std::string username,
                         int64_t issued_at = kNow) {
  return {std::move(hash), std::move(family), std::move(username), issued_at,
          issued_at + kLifetime};
}

// The tests below use the UserStore interface only, so another backend can run them too.
class SqliteUserStoreTest : public ::testing::Test {
 protected:
  SqliteUserStoreTest() {
    SqliteOptions options;
    options.data_dir = dir_.path() / "data";
    auto database = SqliteDatabase::Open(options);
    EXPECT_TRUE(database.ok()) << database.error().message;
    database_ = std::move(database).value();
    sqlite_store_ = std::make_unique<SqliteUserStore>(database_);
  }

  UserStore& store() { return *sqlite_store_; }

  Status CreateUser(User user) {
    return Await<Ok>([&](Done<Ok> done) { store().CreateUser(std::move(user), done); });
  }
  Result<std::optional<User>> FindUser(std::string username) {
    return Await<std::optional<User>>(
        [&](Done<std::optional<User>> done) { store().FindUser(std::move(username), done); });
  }
  Result<std::vector<User>> ListUsers() {
    return Await<std::vector<User>>([&](Done<std::vector<User>> done) { store().ListUsers(done); });
  }
  Status UpdateUser(User user) {
    return Await<Ok>([&](Done<Ok> done) { store().UpdateUser(std::move(user), done); });
  }
  Result<int64_t> CountUsers() {
    return Await<int64_t>([&](Done<int64_t> done) { store().CountUsers(done); });
  }
  Status Save(RefreshTokenRecord record) {
    return Await<Ok>([&](Done<Ok> done) { store().SaveRefreshToken(std::move(record), done); });
  }
  // Presents `presented` and asks for a new token `next_hash` at `now`. The family and
  // username given for the new token are wrong on purpose: the store must take the
  // presented token's.
  Result<RefreshTokenRecord> Rotate(std::string presented, std::string next_hash,
                                    int64_t now = kNow + 60) {
    return Await<RefreshTokenRecord>([&](Done<RefreshTokenRecord> done) {
      store().RotateRefreshToken(std::move(presented),
                                 Token(std::move(next_hash), "wrong-family", "wrong-user", now),
                                 now, done);
    });
  }
  Status SignOut(std::string presented) {
    return Await<Ok>(
        [&](Done<Ok> done) { store().RevokeRefreshFamily(std::move(presented), done); });
  }
  Status RevokeUserTokens(std::string username) {
    return Await<Ok>([&](Done<Ok> done) { store().RevokeUserTokens(std::move(username), done); });
  }

  static void ExpectRefused(const Result<RefreshTokenRecord>& result, const char* message) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kUnauthorized);
    EXPECT_EQ(result.error().message, message);
  }

  test::TempDirectory dir_;
  std::shared_ptr<SqliteDatabase> database_;
  std::unique_ptr<SqliteUserStore> sqlite_store_;
};

TEST_F(SqliteUserStoreTest, CreateFindListUpdateCount) {
  EXPECT_EQ(*CountUsers(), 0);
  for (const char* name : {"carol", "Alice", "dave.x", "Bob_1"}) {
    ASSERT_TRUE(CreateUser(MakeUser(name)).ok()) << name;
  }
  EXPECT_EQ(*CountUsers(), 4);

  for (const char* spelling : {"Alice", "alice", "ALICE", "aLiCe"}) {
    auto found = FindUser(spelling);
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(found->has_value()) << spelling;
    EXPECT_EQ(**found, MakeUser("Alice"));
  }
  auto missing = FindUser("alicia");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  auto listed = ListUsers();
  ASSERT_TRUE(listed.ok());
  std::vector<std::string> names;
  for (const auto& user : *listed) names.push_back(user.username);
  EXPECT_EQ(names, (std::vector<std::string>{"Alice", "Bob_1", "carol", "dave.x"}));

  User changed = MakeUser("ALICE", "admin", "marketing");
  changed.password_hash = "$argon2id$v=19$m=64,t=1,p=1$bmV3$bmV3";
  changed.disabled = true;
  changed.created_at = 5;  // not replaced
  ASSERT_TRUE(UpdateUser(changed).ok());
  auto updated = FindUser("alice");
  ASSERT_TRUE(updated.ok() && updated->has_value());
  EXPECT_EQ((*updated)->username, "Alice");  // the spelling stays
  EXPECT_EQ((*updated)->password_hash, changed.password_hash);
  EXPECT_EQ((*updated)->role, "admin");
  EXPECT_EQ((*updated)->team, "marketing");
  EXPECT_TRUE((*updated)->disabled);
  EXPECT_EQ((*updated)->created_at, kNow);
  EXPECT_EQ(*CountUsers(), 4);
}

TEST_F(SqliteUserStoreTest, CreatingATakenUsernameIgnoringCaseIsAConflict) {
  ASSERT_TRUE(CreateUser(MakeUser("Alice")).ok());
  for (const char* name : {"Alice", "alice", "ALICE"}) {
    Status again = CreateUser(MakeUser(name, "admin"));
    ASSERT_FALSE(again.ok()) << name;
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_EQ(again.error().reasons, (std::vector<Reason>{{"username", "Alice"}}));
  }
  EXPECT_EQ(*CountUsers(), 1);
  EXPECT_EQ((*FindUser("alice"))->role, "employee");  // not overwritten
}

TEST_F(SqliteUserStoreTest, UpdatingAMissingUserIsNotFoundAndCreatesNothing) {
  Status updated = UpdateUser(MakeUser("ghost"));
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*CountUsers(), 0);
}

TEST_F(SqliteUserStoreTest, RotationWalksTheChainAndKeepsTheFamily) {
  ASSERT_TRUE(CreateUser(MakeUser("Alice")).ok());
  ASSERT_TRUE(Save(Token("A", "family-1", "alice")).ok());

  auto first = Rotate("A", "B");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->token_hash, "A");
  EXPECT_EQ(first->family_id, "family-1");
  EXPECT_EQ(first->username, "Alice");  // the user's spelling
  EXPECT_EQ(first->issued_at, kNow);
  EXPECT_EQ(first->expires_at, kNow + kLifetime);

  auto second = Rotate("B", "C");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->token_hash, "B");
  EXPECT_EQ(second->family_id, "family-1");  // not the "wrong-family" B was given
  EXPECT_EQ(second->username, "Alice");
  EXPECT_EQ(second->issued_at, kNow + 60);

  EXPECT_TRUE(Rotate("C", "D").ok());
}

TEST_F(SqliteUserStoreTest, ReplayingARotatedTokenRevokesTheWholeFamily) {
  ASSERT_TRUE(CreateUser(MakeUser("alice")).ok());
  ASSERT_TRUE(Save(Token("A", "family-1", "alice")).ok());
  ASSERT_TRUE(Save(Token("X", "family-2", "alice")).ok());
  ASSERT_TRUE(Rotate("A", "B").ok());
  ASSERT_TRUE(Rotate("B", "C").ok());

  ExpectRefused(Rotate("A", "D"), kReuse);
  // No token of the family works any more, the current one included.
  ExpectRefused(Rotate("C", "E"), kInvalid);
  ExpectRefused(Rotate("B", "F"), kInvalid);
  ExpectRefused(Rotate("D", "G"), kInvalid);  // the replay stored nothing
  // Another sign-in of the same user is not affected.
  EXPECT_TRUE(Rotate("X", "Y").ok());
}

TEST_F(SqliteUserStoreTest, UnknownAndExpiredTokensAreRefused) {
  ExpectRefused(Rotate("nope", "B"), kInvalid);
  ASSERT_TRUE(Save({"A", "family-1", "alice", kNow, kNow + 100}).ok());
  ExpectRefused(Rotate("A", "B", kNow + 100), kInvalid);
  ExpectRefused(Rotate("A", "B", kNow + 5000), kInvalid);
  ExpectRefused(Rotate("B", "C"), kInvalid);  // nothing was stored for the refusals
  // Refusing an expired token neither rotated nor revoked it: one second earlier it works.
  EXPECT_TRUE(Rotate("A", "B", kNow + 99).ok());
}

TEST_F(SqliteUserStoreTest, SignOutRevokesTheFamilyAndIsIdempotent) {
  ASSERT_TRUE(Save(Token("A", "family-1", "alice")).ok());
  ASSERT_TRUE(Save(Token("X", "family-2", "alice")).ok());
  ASSERT_TRUE(Rotate("A", "B").ok());
  ASSERT_TRUE(SignOut("B").ok());
  ExpectRefused(Rotate("B", "C"), kInvalid);
  ExpectRefused(Rotate("A", "C"), kInvalid);  // revoked, so no longer a reuse
  EXPECT_TRUE(SignOut("B").ok());
  EXPECT_TRUE(SignOut("never-issued").ok());
  EXPECT_TRUE(Rotate("X", "Y").ok());
}

TEST_F(SqliteUserStoreTest, RevokeUserTokensEndsEveryFamilyOfThatUserOnly) {
  ASSERT_TRUE(Save(Token("A", "family-1", "Alice")).ok());
  ASSERT_TRUE(Save(Token("B", "family-2", "alice")).ok());
  ASSERT_TRUE(Save(Token("C", "family-3", "bob")).ok());
  ASSERT_TRUE(Rotate("B", "B2").ok());
  ASSERT_TRUE(RevokeUserTokens("ALICE").ok());
  ExpectRefused(Rotate("A", "A2"), kInvalid);
  ExpectRefused(Rotate("B2", "B3"), kInvalid);
  EXPECT_TRUE(Rotate("C", "C2").ok());
  EXPECT_TRUE(RevokeUserTokens("nobody").ok());
}

TEST_F(SqliteUserStoreTest, OfConcurrentRotationsOfOneTokenExactlyOneSucceeds) {
  ASSERT_TRUE(Save(Token("A", "family-1", "alice")).ok());
  constexpr int kThreads = 8;
  std::vector<std::optional<Result<RefreshTokenRecord>>> results(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      results[t].emplace(Rotate("A", "next-" + std::to_string(t)));
    });
  }
  for (auto& thread : threads) thread.join();
  int succeeded = 0;
  int reuses = 0;
  std::string winner;
  for (int t = 0; t < kThreads; ++t) {
    const auto& result = *results[t];
    if (result.ok()) {
      ++succeeded;
      winner = "next-" + std::to_string(t);
      continue;
    }
    // The next one presents a token rotated by then, a replay that revokes the family; the
    // ones after it find the token revoked.
    EXPECT_EQ(result.error().code, ErrorCode::kUnauthorized);
    if (result.error().message == kReuse) ++reuses;
  }
  EXPECT_EQ(succeeded, 1);
  EXPECT_EQ(reuses, 1);
  ExpectRefused(Rotate(winner, "after"), kInvalid);
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
    customers.Create(test::Lead(i), customer_results.Callback());
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
