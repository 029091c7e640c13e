#include "pcustomer/store/dynamodb/dynamodb_user_store.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"
#include "pcustomer/store/testing/user_store_calls.hpp"

namespace pcustomer {
namespace {

using dynamodb::AttributeValue;
using dynamodb::testing::FakeDynamoDb;
using namespace test;  // NOLINT: the shared test vocabulary

// What only a store without transactions has to get right; the shared contract is in
// user_store_contract_test.cpp.
class DynamoDbUserStoreTest : public ::testing::Test, public test::UserStoreCalls {
 protected:
  UserStore& store() override { return store_; }

  FakeDynamoDb fake_;
  DynamoDbUserStore store_{fake_, "pcustomers"};
};

TEST_F(DynamoDbUserStoreTest, CountAndListFollowEveryPage) {
  fake_.set_max_query_items(2);
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(CreateUser(MakeUser("user" + std::to_string(i))).ok());
  EXPECT_EQ(*CountUsers(), 7);
  EXPECT_EQ(ListUsers()->size(), 7u);
}

TEST_F(DynamoDbUserStoreTest, RetriedCreateWhoseFirstAttemptLandedSucceeds) {
  fake_.Schedule("PutItem", FakeDynamoDb::Fault::kReplay);
  EXPECT_TRUE(CreateUser(MakeUser("Alice")).ok());
  EXPECT_EQ(*CountUsers(), 1);
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

TEST_F(DynamoDbUserStoreTest, TokensAndFamiliesCarryTheTimeDynamoDbMayForgetThem) {
  ASSERT_TRUE(Save(Token("A", "family-1", "alice")).ok());
  ASSERT_TRUE(Rotate("A", "D").ok());
  auto d = fake_.GetRaw(kRefreshTokenType, "D");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->at("ttl"), AttributeValue::N(kNow + 60 + kLifetime + 24 * 60 * 60));
  EXPECT_EQ(fake_.GetRaw(kRefreshFamilyType, "family-1")->at("ttl"), d->at("ttl"));
}

TEST_F(DynamoDbUserStoreTest, RevokeUserTokensFollowsEveryPageOfFamilies) {
  fake_.set_max_query_items(1);  // the families come one page at a time
  ASSERT_TRUE(Save(Token("A", "family-1", "Alice")).ok());
  ASSERT_TRUE(Save(Token("B", "family-2", "alice")).ok());
  ASSERT_TRUE(Save(Token("C", "family-3", "bob")).ok());
  ASSERT_TRUE(RevokeUserTokens("ALICE").ok());
  ExpectRefused(Rotate("A", "A2"), kInvalid);
  ExpectRefused(Rotate("B", "B2"), kInvalid);
  EXPECT_TRUE(Rotate("C", "C2").ok());
}

}  // namespace
}  // namespace pcustomer
