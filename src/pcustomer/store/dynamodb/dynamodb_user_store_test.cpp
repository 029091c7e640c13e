#include "pcustomer/store/dynamodb/dynamodb_user_store.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"
#include "pcustomer/store/sqlite/test_support.hpp"

namespace pcustomer {
namespace {

using dynamodb::AttributeValue;
using dynamodb::testing::FakeDynamoDb;
using test::Await;

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

// The cases of the SQLite store's suite (sqlite_user_store_test.cpp), through the UserStore
// interface, plus what only a store without transactions has to get right.
class DynamoDbUserStoreTest : public ::testing::Test {
 protected:
  UserStore& store() { return store_; }

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
  // The family and username given for the new token are wrong on purpose: the store must
  // take the presented token's.
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

  FakeDynamoDb fake_;
  DynamoDbUserStore store_{fake_, "pcustomers"};
};

TEST_F(DynamoDbUserStoreTest, CreateFindListUpdateCount) {
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

TEST_F(DynamoDbUserStoreTest, CountAndListFollowEveryPage) {
  fake_.set_max_query_items(2);
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(CreateUser(MakeUser("user" + std::to_string(i))).ok());
  EXPECT_EQ(*CountUsers(), 7);
  EXPECT_EQ(ListUsers()->size(), 7u);
}

TEST_F(DynamoDbUserStoreTest, CreatingATakenUsernameIgnoringCaseIsAConflict) {
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

TEST_F(DynamoDbUserStoreTest, RetriedCreateWhoseFirstAttemptLandedSucceeds) {
  fake_.Schedule("PutItem", FakeDynamoDb::Fault::kReplay);
  EXPECT_TRUE(CreateUser(MakeUser("Alice")).ok());
  EXPECT_EQ(*CountUsers(), 1);
}

TEST_F(DynamoDbUserStoreTest, UpdatingAMissingUserIsNotFoundAndCreatesNothing) {
  Status updated = UpdateUser(MakeUser("ghost"));
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*CountUsers(), 0);
}

TEST_F(DynamoDbUserStoreTest, RotationWalksTheChainAndKeepsTheFamily) {
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
  // Tokens and the family carry the time DynamoDB may forget them.
  auto d = fake_.GetRaw(kRefreshTokenType, "D");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->at("ttl"), AttributeValue::N(kNow + 60 + kLifetime + 24 * 60 * 60));
  EXPECT_EQ(fake_.GetRaw(kRefreshFamilyType, "family-1")->at("ttl"), d->at("ttl"));
}

TEST_F(DynamoDbUserStoreTest, ReplayingARotatedTokenRevokesTheWholeFamily) {
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

TEST_F(DynamoDbUserStoreTest, UnknownAndExpiredTokensAreRefused) {
  ExpectRefused(Rotate("nope", "B"), kInvalid);
  ASSERT_TRUE(Save({"A", "family-1", "alice", kNow, kNow + 100}).ok());
  ExpectRefused(Rotate("A", "B", kNow + 100), kInvalid);
  ExpectRefused(Rotate("A", "B", kNow + 5000), kInvalid);
  ExpectRefused(Rotate("B", "C"), kInvalid);  // nothing was stored for the refusals
  // Refusing an expired token neither rotated nor revoked it: one second earlier it works.
  EXPECT_TRUE(Rotate("A", "B", kNow + 99).ok());
}

TEST_F(DynamoDbUserStoreTest, SignOutRevokesTheFamilyAndIsIdempotent) {
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

TEST_F(DynamoDbUserStoreTest, RevokeUserTokensEndsEveryFamilyOfThatUserOnly) {
  ASSERT_TRUE(Save(Token("A", "family-1", "Alice")).ok());
  ASSERT_TRUE(Save(Token("B", "family-2", "alice")).ok());
  ASSERT_TRUE(Save(Token("C", "family-3", "bob")).ok());
  ASSERT_TRUE(Rotate("B", "B2").ok());
  fake_.set_max_query_items(1);  // the families come one page at a time
  ASSERT_TRUE(RevokeUserTokens("ALICE").ok());
  ExpectRefused(Rotate("A", "A2"), kInvalid);
  ExpectRefused(Rotate("B2", "B3"), kInvalid);
  EXPECT_TRUE(Rotate("C", "C2").ok());
  EXPECT_TRUE(RevokeUserTokens("nobody").ok());
}

TEST_F(DynamoDbUserStoreTest, OfConcurrentRotationsOfOneTokenExactlyOneSucceeds) {
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
    // Without transactions the losers may all find the token rotated (reuse) or, after a
    // loser revoked the family, refused; either way every other one is refused.
    EXPECT_EQ(result.error().code, ErrorCode::kUnauthorized) << result.error().message;
    if (result.error().message == kReuse) ++reuses;
  }
  EXPECT_EQ(succeeded, 1);
  EXPECT_GE(reuses, 1);
  ExpectRefused(Rotate(winner, "after"), kInvalid);
}

TEST_F(DynamoDbUserStoreTest, RetriedRotationWhoseFirstAttemptLandedIsNoReuse) {
  ASSERT_TRUE(Save(Token("A", "family-1", "alice")).ok());
  // The current -> rotated update is applied but its answer lost; the retry fails its
  // condition and must be recognised as ours, not as a replay.
  fake_.ScheduleFor("UpdateItem", kRefreshTokenType, FakeDynamoDb::Fault::kReplay);
  auto rotated = Rotate("A", "B");
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  // The same for the successor's put.
  fake_.ScheduleFor("PutItem", kRefreshTokenType, FakeDynamoDb::Fault::kReplay);
  rotated = Rotate("B", "C");
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_TRUE(Rotate("C", "D").ok());
}

TEST_F(DynamoDbUserStoreTest, SuccessorThatCannotBeStoredLeavesThePresentedTokenUsable) {
  ASSERT_TRUE(Save(Token("A", "family-1", "alice")).ok());
  fake_.ScheduleFor("PutItem", kRefreshTokenType, FakeDynamoDb::Fault::kFailBefore);
  auto failed = Rotate("A", "B");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  // Not a reuse: the session goes on once the store is back.
  auto again = Rotate("A", "B2");
  ASSERT_TRUE(again.ok()) << again.error().message;
}

TEST_F(DynamoDbUserStoreTest, RotatingIntoATakenHashIsAConflictThatChangesNothing) {
  ASSERT_TRUE(Save(Token("A", "family-1", "alice")).ok());
  ASSERT_TRUE(Save(Token("X", "family-2", "bob")).ok());
  auto taken = Rotate("A", "X");
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(Rotate("A", "B").ok());
  EXPECT_TRUE(Rotate("X", "Y").ok());
  Status duplicate = Save(Token("A", "family-3", "carol"));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace pcustomer
