// Leads' history (CONTRACT.md section 8) on every backend of the contract suite: every change
// writes its entry in the same atomic write, named by the version it brought the lead to, with
// the caller and the fields it changed; a refused change writes none; pages run newest first.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "pcustomer/store/customer_store_contract_test.hpp"
#include "pcustomer/store/testing/store_calls.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer::test {
namespace {

constexpr int64_t kEpoch = 1'795'000'000'000;  // November 2026
const Actor kLan{"sub-lan", "lan.sales"};
const Actor kMinh{"sub-minh", "minh.sales"};

CustomerPatch AgeOf(int age) {
  CustomerPatch patch;
  patch.age = age;
  return patch;
}

HistoryRequest Newest(const std::string& id, int limit = 100) {
  HistoryRequest request;
  request.lead_id = id;
  request.limit = limit;
  return request;
}

TYPED_TEST_SUITE(CustomerStoreContract, Backends, BackendNames);

TYPED_TEST(CustomerStoreContract, ACreateIsItsLeadsFirstEntryWithEveryField) {
  int64_t now = kEpoch;
  auto store = this->OpenAnother([&now] { return now; });
  auto created = CreateNow(*store, Lead(1), kLan);
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto history = HistoryNow(*store, Newest(created->id));
  ASSERT_TRUE(history.ok()) << history.error().message;
  ASSERT_EQ(history->items.size(), 1u);
  EXPECT_FALSE(history->more);
  const HistoryEntry& entry = history->items[0];
  EXPECT_EQ(entry.lead_id, created->id);
  EXPECT_EQ(entry.version, 1);
  EXPECT_EQ(entry.at, FormatIsoMillis(kEpoch));
  EXPECT_EQ(entry.by, kLan);
  EXPECT_EQ(entry.action, HistoryAction::kCreated);
  EXPECT_EQ(entry.changes,
            R"({"fullName":{"from":null,"to":"Nguyễn Văn An"},)"
            R"("phone":{"from":null,"to":"0900000001"},"age":{"from":null,"to":30},)"
            R"("productCode":{"from":null,"to":"household_tool"},)"
            R"("status":{"from":null,"to":"new"},"source":{"from":null,"to":"other"}})");
}

TYPED_TEST(CustomerStoreContract, AnUpdateRecordsWhoChangedWhichFieldsFromWhatToWhat) {
  int64_t now = kEpoch;
  auto store = this->OpenAnother([&now] { return now; });
  auto created = CreateNow(*store, Lead(1), kLan);
  ASSERT_TRUE(created.ok()) << created.error().message;
  now += 60'000;
  CustomerPatch patch;
  patch.phone = "0911222333";
  patch.age = 30;  // as stored: not a change
  patch.product_code = "car";
  ASSERT_TRUE(UpdateNow(*store, created->id, patch, {}, kMinh).ok());
  now += 60'000;
  ASSERT_TRUE(UpdateNow(*store, created->id, AgeOf(41), 2, kLan).ok());

  auto history = HistoryNow(*store, Newest(created->id));
  ASSERT_TRUE(history.ok()) << history.error().message;
  ASSERT_EQ(history->items.size(), 3u);
  EXPECT_EQ(history->items[0].version, 3);
  EXPECT_EQ(history->items[0].by, kLan);
  EXPECT_EQ(history->items[0].action, HistoryAction::kUpdated);
  EXPECT_EQ(history->items[0].at, FormatIsoMillis(kEpoch + 120'000));
  EXPECT_EQ(history->items[0].changes, R"({"age":{"from":30,"to":41}})");
  EXPECT_EQ(history->items[1].version, 2);
  EXPECT_EQ(history->items[1].by, kMinh);
  EXPECT_EQ(history->items[1].changes, R"({"phone":{"from":"0900000001","to":"0911222333"},)"
                                       R"("productCode":{"from":"household_tool","to":"car"}})");
  EXPECT_EQ(history->items[2].action, HistoryAction::kCreated);
}

TYPED_TEST(CustomerStoreContract, ARefusedChangeWritesNoEntry) {
  auto created = CreateNow(this->store(), Lead(1));
  auto other = CreateNow(this->store(), Lead(2));
  ASSERT_TRUE(created.ok() && other.ok());
  EXPECT_FALSE(UpdateNow(this->store(), created->id, AgeOf(50), 7).ok());  // 412
  CustomerPatch taken;
  taken.phone = other->phone;
  EXPECT_FALSE(UpdateNow(this->store(), created->id, taken).ok());  // 409
  auto history = HistoryNow(this->store(), Newest(created->id));
  ASSERT_TRUE(history.ok()) << history.error().message;
  ASSERT_EQ(history->items.size(), 1u);
  EXPECT_EQ(history->items[0].action, HistoryAction::kCreated);
}

TYPED_TEST(CustomerStoreContract, HistoryPagesRunNewestFirstAndMeetEachEntryOnce) {
  auto created = CreateNow(this->store(), Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  constexpr int kUpdates = 20;
  for (int n = 0; n < kUpdates; ++n) {
    ASSERT_TRUE(UpdateNow(this->store(), created->id, AgeOf(20 + n)).ok());
  }
  std::vector<int64_t> seen;
  HistoryRequest request = Newest(created->id, 7);
  for (int page = 0; page < 10; ++page) {
    auto history = HistoryNow(this->store(), request);
    ASSERT_TRUE(history.ok()) << history.error().message;
    for (const HistoryEntry& entry : history->items) seen.push_back(entry.version);
    if (!history->more) break;
    request.before_version = history->items.back().version;
  }
  std::vector<int64_t> expected;
  for (int64_t version = kUpdates + 1; version >= 1; --version) expected.push_back(version);
  EXPECT_EQ(seen, expected);
}

TYPED_TEST(CustomerStoreContract, RacingUpdatesLeaveAChainOfEntriesOnePerVersion) {
  auto created = CreateNow(this->store(), Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  constexpr int kWriters = 12;
  Collector<Customer> results;
  for (int n = 0; n < kWriters; ++n) {
    this->store().Update(created->id, AgeOf(40 + n), {}, TestActor(), results.Callback());
  }
  for (const Result<Customer>& result : results.WaitFor(kWriters)) {
    ASSERT_TRUE(result.ok()) << result.error().message;
  }
  auto history = HistoryNow(this->store(), Newest(created->id));
  ASSERT_TRUE(history.ok()) << history.error().message;
  ASSERT_EQ(history->items.size(), static_cast<size_t>(kWriters + 1));
  // Each entry's "from" is the "to" of the one before it: no change went unrecorded.
  int previous_age = 30;
  for (auto entry = history->items.rbegin() + 1; entry != history->items.rend(); ++entry) {
    const std::string from = R"("from":)" + std::to_string(previous_age) + ",";
    EXPECT_NE(entry->changes.find(from), std::string::npos) << entry->changes;
    const size_t to = entry->changes.find(R"("to":)");
    ASSERT_NE(to, std::string::npos);
    previous_age = std::stoi(entry->changes.substr(to + 5));
  }
  EXPECT_EQ(previous_age, GetNow(this->store(), created->id)->age);
}

TYPED_TEST(CustomerStoreContract, AMissingOrErasedLeadHasNoHistory) {
  auto missing = HistoryNow(this->store(), Newest("CUSTOMER#1795000000000999"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto created = CreateNow(this->store(), Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_TRUE(UpdateNow(this->store(), created->id, AgeOf(44)).ok());
  ASSERT_TRUE(TrashNow(this->store(), created->id).ok());
  ASSERT_TRUE(EraseNow(this->store(), created->id).ok());
  auto erased = HistoryNow(this->store(), Newest(created->id));
  ASSERT_FALSE(erased.ok());
  EXPECT_EQ(erased.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace pcustomer::test
