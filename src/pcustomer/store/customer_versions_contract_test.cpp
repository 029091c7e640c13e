// Versions and conditional writes (CONTRACT.md section 8) on every backend of the contract
// suite: a write conditioned on a version is checked in the same atomic write as the change,
// so of racing writers on one version exactly one wins.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pcustomer/store/customer_store_contract_test.hpp"
#include "pcustomer/store/testing/store_calls.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer::test {
namespace {

constexpr int64_t kEpoch = 1'795'000'000'000;  // November 2026

CustomerPatch AgeOf(int age) {
  CustomerPatch patch;
  patch.age = age;
  return patch;
}

void ExpectVersionMismatch(const Error& error, int64_t current) {
  EXPECT_EQ(error.code, ErrorCode::kPreconditionFailed) << error.message;
  EXPECT_EQ(error.current_version, current);
}

TYPED_TEST_SUITE(CustomerStoreContract, Backends, BackendNames);

TYPED_TEST(CustomerStoreContract, ANewLeadIsAtVersionOneChangedWhenCreated) {
  int64_t now = kEpoch;
  auto store = this->OpenAnother([&now] { return now; });
  auto created = CreateNow(*store, Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->updated_at, FormatIsoMillis(kEpoch));
  EXPECT_EQ(created->updated_at, created->create_at);
  EXPECT_EQ(*GetNow(*store, created->id), *created);
}

TYPED_TEST(CustomerStoreContract, AWriteAtTheExpectedVersionPassesAndAnyOtherIsRefused) {
  int64_t now = kEpoch;
  auto store = this->OpenAnother([&now] { return now; });
  auto created = CreateNow(*store, Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  now += 60'000;
  auto updated = UpdateNow(*store, created->id, AgeOf(40), 1);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->updated_at, FormatIsoMillis(now));
  EXPECT_EQ(updated->create_at, created->create_at);

  // Version 1 is gone: the update and the delete are refused, naming version 2, and nothing
  // changes.
  for (int64_t stale : {int64_t{1}, int64_t{3}, int64_t{0}}) {
    auto refused = UpdateNow(*store, created->id, AgeOf(50), stale);
    ASSERT_FALSE(refused.ok());
    ExpectVersionMismatch(refused.error(), 2);
    Status not_deleted = TrashNow(*store, created->id, stale);
    ASSERT_FALSE(not_deleted.ok());
    ExpectVersionMismatch(not_deleted.error(), 2);
  }
  EXPECT_EQ(*GetNow(*store, created->id), *updated);
  // The phone changes under a condition too, and the old one is free again.
  CustomerPatch phone;
  phone.phone = Lead(2).phone;
  auto moved = UpdateNow(*store, created->id, phone, 2);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->version, 3);
  EXPECT_TRUE(CreateNow(*store, Lead(1)).ok());

  ASSERT_TRUE(TrashNow(*store, created->id, 3).ok());
  this->ExpectNotFound(GetNow(*store, created->id).error());
}

TYPED_TEST(CustomerStoreContract, AMissingLeadIsNotFoundWhateverTheExpectedVersion) {
  const std::string missing = "CUSTOMER#1000000000000001";
  this->ExpectNotFound(UpdateNow(this->store(), missing, AgeOf(40), 1).error());
  this->ExpectNotFound(TrashNow(this->store(), missing, 1).error());
}

TYPED_TEST(CustomerStoreContract, OfRacingWritesOnOneVersionExactlyOneWins) {
  auto created = CreateNow(this->store(), Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  constexpr int kWriters = 20;
  Collector<Customer> results;
  for (int n = 0; n < kWriters; ++n) {
    this->store().Update(created->id, AgeOf(20 + n), 1, test::TestActor(), results.Callback());
  }
  std::vector<Customer> winners;
  for (const Result<Customer>& result : results.WaitFor(kWriters)) {
    if (result.ok()) {
      winners.push_back(*result);
    } else {
      ExpectVersionMismatch(result.error(), 2);
    }
  }
  ASSERT_EQ(winners.size(), 1u);
  EXPECT_EQ(winners[0].version, 2);
  EXPECT_EQ(*GetNow(this->store(), created->id), winners[0]);
}

}  // namespace
}  // namespace pcustomer::test
