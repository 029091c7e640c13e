// The UserStore contract, run against every backend: SQLite on a temporary directory and
// DynamoDB on an in-memory fake. What only one backend has to get right stays in its own
// test file.

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "pcustomer/store/dynamodb/dynamodb_user_store.hpp"
#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"
#include "pcustomer/store/sqlite/sqlite_database.hpp"
#include "pcustomer/store/sqlite/sqlite_user_store.hpp"
#include "pcustomer/store/testing/user_store_calls.hpp"

namespace pcustomer {
namespace {

using namespace test;  // NOLINT: the shared test vocabulary

// A backend under test: it owns whatever the store needs.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual UserStore& store() = 0;
};

class SqliteBackend final : public Backend {
 public:
  SqliteBackend() {
    SqliteOptions options;
    options.data_dir = dir_.path() / "data";
    auto database = SqliteDatabase::Open(options);
    EXPECT_TRUE(database.ok()) << database.error().message;
    store_ = std::make_unique<SqliteUserStore>(std::move(database).value());
  }
  UserStore& store() override { return *store_; }

 private:
  TempDirectory dir_;
  std::unique_ptr<SqliteUserStore> store_;
};

class DynamoDbBackend final : public Backend {
 public:
  UserStore& store() override { return store_; }

 private:
  dynamodb::testing::FakeDynamoDb fake_;
  DynamoDbUserStore store_{fake_, "pcustomers"};
};

struct BackendFactory {
  const char* name;
  std::function<std::unique_ptr<Backend>()> make;
};

class UserStoreContractTest : public ::testing::TestWithParam<BackendFactory>,
                              public UserStoreCalls {
 protected:
  UserStore& store() override { return backend_->store(); }

  std::unique_ptr<Backend> backend_ = GetParam().make();
};

TEST_P(UserStoreContractTest, CreateFindListUpdateCount) {
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

TEST_P(UserStoreContractTest, CreatingATakenUsernameIgnoringCaseIsAConflict) {
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

TEST_P(UserStoreContractTest, UpdatingAMissingUserIsNotFoundAndCreatesNothing) {
  Status updated = UpdateUser(MakeUser("ghost"));
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*CountUsers(), 0);
}

TEST_P(UserStoreContractTest, RotationWalksTheChainAndKeepsTheFamily) {
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

TEST_P(UserStoreContractTest, ReplayingARotatedTokenRevokesTheWholeFamily) {
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

TEST_P(UserStoreContractTest, UnknownAndExpiredTokensAreRefused) {
  ExpectRefused(Rotate("nope", "B"), kInvalid);
  ASSERT_TRUE(Save({"A", "family-1", "alice", kNow, kNow + 100}).ok());
  ExpectRefused(Rotate("A", "B", kNow + 100), kInvalid);
  ExpectRefused(Rotate("A", "B", kNow + 5000), kInvalid);
  ExpectRefused(Rotate("B", "C"), kInvalid);  // nothing was stored for the refusals
  // Refusing an expired token neither rotated nor revoked it: one second earlier it works.
  EXPECT_TRUE(Rotate("A", "B", kNow + 99).ok());
}

TEST_P(UserStoreContractTest, SignOutRevokesTheFamilyAndIsIdempotent) {
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

TEST_P(UserStoreContractTest, RevokeUserTokensEndsEveryFamilyOfThatUserOnly) {
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

TEST_P(UserStoreContractTest, OfConcurrentRotationsOfOneTokenExactlyOneSucceeds) {
  ASSERT_TRUE(Save(Token("A", "family-1", "alice")).ok());
  RotationRace race = RaceRotationsOfA(8);
  EXPECT_EQ(race.succeeded, 1);
  EXPECT_EQ(race.unexpected, 0);
  // At least one loser presents a token rotated by then: a replay, which revokes the family.
  EXPECT_GE(race.reuses, 1);
  ExpectRefused(Rotate(race.winner, "after"), kInvalid);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, UserStoreContractTest,
    ::testing::Values(
        BackendFactory{"Sqlite", [] { return std::unique_ptr<Backend>(new SqliteBackend()); }},
        BackendFactory{"DynamoDb", [] { return std::unique_ptr<Backend>(new DynamoDbBackend()); }}),
    [](const ::testing::TestParamInfo<BackendFactory>& backend) {
      return std::string(backend.param.name);
    });

}  // namespace
}  // namespace pcustomer
