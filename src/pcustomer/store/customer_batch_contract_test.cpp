// Batches (CONTRACT.md section 8) on every backend of the contract suite: each item judged on
// its own and in order (an earlier item's phone is taken for the later ones), upsert updating
// the lead that holds the phone, every result in the items' order.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pcustomer/store/customer_store_contract_test.hpp"
#include "pcustomer/store/testing/store_calls.hpp"

namespace pcustomer::test {
namespace {

Result<std::vector<BatchItemResult>> BatchNow(CustomerStore& store, std::vector<NewCustomer> items,
                                              BatchMode mode) {
  return Await<std::vector<BatchItemResult>>([&](Done<std::vector<BatchItemResult>> done) {
    store.CreateBatch(std::move(items), mode, TestActor(), std::move(done));
  });
}

TYPED_TEST_SUITE(CustomerStoreContract, Backends, BackendNames);

TYPED_TEST(CustomerStoreContract, ABatchJudgesEachItemInOrder) {
  auto existing = CreateNow(this->store(), Lead(9));
  ASSERT_TRUE(existing.ok()) << existing.error().message;
  auto results =
      BatchNow(this->store(), {Lead(1), Lead(2), Lead(1), Lead(9), Lead(3)}, BatchMode::kCreate);
  ASSERT_TRUE(results.ok()) << results.error().message;
  ASSERT_EQ(results->size(), 5u);
  const auto& r = *results;
  for (size_t i : {0u, 1u, 4u}) {
    ASSERT_TRUE(r[i].outcome.ok()) << i << ": " << r[i].outcome.error().message;
    EXPECT_TRUE(r[i].created);
    EXPECT_EQ(*GetNow(this->store(), r[i].outcome->id), *r[i].outcome);
  }
  EXPECT_EQ(r[0].outcome->phone, Lead(1).phone);
  EXPECT_EQ(r[4].outcome->phone, Lead(3).phone);
  ASSERT_FALSE(r[2].outcome.ok());
  EXPECT_EQ(r[2].outcome.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r[2].outcome.error().reasons.at(0).desc, r[0].outcome->id);
  ASSERT_FALSE(r[3].outcome.ok());
  EXPECT_EQ(r[3].outcome.error().reasons.at(0).desc, existing->id);
  auto history =
      HistoryNow(this->store(), HistoryRequest{r[1].outcome->id, std::nullopt, 10, std::nullopt});
  ASSERT_TRUE(history.ok()) << history.error().message;
  ASSERT_EQ(history->items.size(), 1u);
  EXPECT_EQ(history->items[0].action, HistoryAction::kCreated);
}

TYPED_TEST(CustomerStoreContract, AnUpsertUpdatesTheLeadHoldingThePhoneOnlyWhenItDiffers) {
  auto existing = CreateNow(this->store(), Lead(1));
  ASSERT_TRUE(existing.ok()) << existing.error().message;
  NewCustomer older = Lead(1);
  older.age = 44;
  older.product_code = "car";
  auto results = BatchNow(this->store(), {older, Lead(2), older}, BatchMode::kUpsert);
  ASSERT_TRUE(results.ok()) << results.error().message;
  ASSERT_EQ(results->size(), 3u);
  const auto& r = *results;
  ASSERT_TRUE(r[0].outcome.ok()) << r[0].outcome.error().message;
  EXPECT_FALSE(r[0].created);
  EXPECT_EQ(r[0].outcome->id, existing->id);
  EXPECT_EQ(r[0].outcome->age, 44);
  EXPECT_EQ(r[0].outcome->product_code, "car");
  EXPECT_EQ(r[0].outcome->version, 2);
  ASSERT_TRUE(r[1].outcome.ok()) << r[1].outcome.error().message;
  EXPECT_TRUE(r[1].created);
  // The same fields again change nothing: the lead stays at its version.
  ASSERT_TRUE(r[2].outcome.ok()) << r[2].outcome.error().message;
  EXPECT_FALSE(r[2].created);
  EXPECT_EQ(*r[2].outcome, *r[0].outcome);
  EXPECT_EQ(*GetNow(this->store(), existing->id), *r[0].outcome);
  auto history =
      HistoryNow(this->store(), HistoryRequest{existing->id, std::nullopt, 10, std::nullopt});
  ASSERT_TRUE(history.ok()) << history.error().message;
  ASSERT_EQ(history->items.size(), 2u);
  EXPECT_EQ(history->items[0].changes,
            R"({"age":{"from":30,"to":44},"productCode":{"from":"household_tool","to":"car"}})");
}

TYPED_TEST(CustomerStoreContract, AFullBatchOfAHundredLands) {
  std::vector<NewCustomer> items;
  for (int n = 1; n <= static_cast<int>(kMaxBatchItems); ++n) items.push_back(Lead(n));
  auto results = BatchNow(this->store(), items, BatchMode::kCreate);
  ASSERT_TRUE(results.ok()) << results.error().message;
  ASSERT_EQ(results->size(), kMaxBatchItems);
  for (const BatchItemResult& result : *results) {
    ASSERT_TRUE(result.outcome.ok()) << result.outcome.error().message;
  }
  PageRequest all;
  all.limit = 100;
  EXPECT_EQ(ListNow(this->store(), all)->items.size(), kMaxBatchItems);
}

}  // namespace
}  // namespace pcustomer::test
