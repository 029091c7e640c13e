// The trash (CONTRACT.md section 8) on every backend of the contract suite: a trashed lead
// leaves get, list, search and its phone; the trash lists it newest deletion first with who
// and when; a restore brings it back unless its phone was taken meanwhile; an erasure, or the
// sweep of old deletions, removes it and its history for good.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pcustomer/store/customer_store_contract_test.hpp"
#include "pcustomer/store/testing/store_calls.hpp"
#include "pcustomer/store/trash_sweep.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer::test {
namespace {

constexpr int64_t kEpoch = 1'795'000'000'000;  // November 2026
const Actor kLan{"sub-lan", "lan.sales"};

TrashPageRequest FirstTrashPage(int limit = 100) {
  TrashPageRequest request;
  request.limit = limit;
  return request;
}

SearchRequest NameSearch(std::string word) {
  SearchRequest request;
  request.limit = 100;
  request.filter.name_prefixes.push_back(std::move(word));
  return request;
}

CustomerPatch AgeOf(int age) {
  CustomerPatch patch;
  patch.age = age;
  return patch;
}

CustomerPatch PhoneOf(std::string phone) {
  CustomerPatch patch;
  patch.phone = std::move(phone);
  return patch;
}

void ExpectCode(const Error& error, ErrorCode code) {
  EXPECT_EQ(error.code, code) << error.message;
}

TYPED_TEST_SUITE(CustomerStoreContract, Backends, BackendNames);

TYPED_TEST(CustomerStoreContract, ATrashedLeadLeavesEveryReadAndFreesItsPhone) {
  int64_t now = kEpoch;
  auto store = this->OpenAnother([&now] { return now; });
  auto created = CreateNow(*store, Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  now += 60'000;
  ASSERT_TRUE(TrashNow(*store, created->id, 1, kLan).ok());

  ExpectCode(GetNow(*store, created->id).error(), ErrorCode::kNotFound);
  EXPECT_TRUE(ListNow(*store, PageRequest{})->items.empty());
  EXPECT_TRUE(SearchNow(*store, NameSearch("nguyen"))->items.empty());
  EXPECT_FALSE(FindByPhoneNow(*store, created->phone)->has_value());
  ExpectCode(UpdateNow(*store, created->id, AgeOf(40)).error(), ErrorCode::kNotFound);
  ExpectCode(TrashNow(*store, created->id).error(), ErrorCode::kNotFound);

  auto trash = ListTrashNow(*store, FirstTrashPage());
  ASSERT_TRUE(trash.ok()) << trash.error().message;
  ASSERT_EQ(trash->items.size(), 1u);
  const TrashedCustomer& trashed = trash->items[0];
  EXPECT_EQ(trashed.deleted_at, FormatIsoMillis(now));
  EXPECT_EQ(trashed.deleted_by, kLan);
  Customer expected = *created;
  expected.version = 2;
  expected.updated_at = FormatIsoMillis(now);
  EXPECT_EQ(trashed.customer, expected);

  auto history = HistoryNow(*store, HistoryRequest{created->id, std::nullopt, 10, std::nullopt});
  ASSERT_TRUE(history.ok()) << history.error().message;
  ASSERT_EQ(history->items.size(), 2u);
  EXPECT_EQ(history->items[0].action, HistoryAction::kTrashed);
  EXPECT_EQ(history->items[0].version, 2);
  EXPECT_EQ(history->items[0].by, kLan);
  EXPECT_EQ(history->items[0].changes, "{}");

  // The phone is free: another lead may take it.
  EXPECT_TRUE(CreateNow(*store, Lead(1)).ok());
}

TYPED_TEST(CustomerStoreContract, TrashAtAnotherVersionIsRefusedAndMovesNothing) {
  auto created = CreateNow(this->store(), Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto refused = TrashNow(this->store(), created->id, 5);
  ASSERT_FALSE(refused.ok());
  ExpectCode(refused.error(), ErrorCode::kPreconditionFailed);
  EXPECT_EQ(refused.error().current_version, 1);
  EXPECT_TRUE(GetNow(this->store(), created->id).ok());
  EXPECT_TRUE(ListTrashNow(this->store(), FirstTrashPage())->items.empty());
  ExpectCode(TrashNow(this->store(), "CUSTOMER#1795000000000999").error(), ErrorCode::kNotFound);
}

TYPED_TEST(CustomerStoreContract, ARestoreBringsTheLeadBackAtTheNextVersion) {
  int64_t now = kEpoch;
  auto store = this->OpenAnother([&now] { return now; });
  auto created = CreateNow(*store, Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  now += 1'000;
  ASSERT_TRUE(TrashNow(*store, created->id).ok());
  now += 1'000;
  ExpectCode(RestoreNow(*store, created->id, 1).error(), ErrorCode::kPreconditionFailed);
  auto restored = RestoreNow(*store, created->id, 2, kLan);
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(restored->version, 3);
  EXPECT_EQ(restored->updated_at, FormatIsoMillis(now));
  EXPECT_EQ(restored->create_at, created->create_at);
  EXPECT_EQ(restored->phone, created->phone);
  EXPECT_EQ(*GetNow(*store, created->id), *restored);
  EXPECT_EQ(SearchNow(*store, NameSearch("nguyen"))->items.size(), 1u);
  EXPECT_EQ(FindByPhoneNow(*store, created->phone)->value_or(Customer{}).id, created->id);
  EXPECT_TRUE(ListTrashNow(*store, FirstTrashPage())->items.empty());
  ExpectCode(RestoreNow(*store, created->id).error(), ErrorCode::kNotFound);
  auto history = HistoryNow(*store, HistoryRequest{created->id, std::nullopt, 10, std::nullopt});
  ASSERT_TRUE(history.ok()) << history.error().message;
  ASSERT_EQ(history->items.size(), 3u);
  EXPECT_EQ(history->items[0].action, HistoryAction::kRestored);
  EXPECT_EQ(history->items[0].by, kLan);
  // Its phone is its own again.
  ExpectCode(CreateNow(*store, Lead(1)).error(), ErrorCode::kConflict);
}

TYPED_TEST(CustomerStoreContract, ARestoreWhosePhoneWasTakenIsRefusedNamingTheHolder) {
  auto created = CreateNow(this->store(), Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_TRUE(TrashNow(this->store(), created->id).ok());
  auto holder = CreateNow(this->store(), Lead(1));
  ASSERT_TRUE(holder.ok()) << holder.error().message;
  auto refused = RestoreNow(this->store(), created->id);
  ASSERT_FALSE(refused.ok());
  ExpectCode(refused.error(), ErrorCode::kConflict);
  ASSERT_EQ(refused.error().reasons.size(), 1u);
  EXPECT_EQ(refused.error().reasons[0].source, "phone");
  EXPECT_EQ(refused.error().reasons[0].desc, holder->id);
  EXPECT_EQ(ListTrashNow(this->store(), FirstTrashPage())->items.size(), 1u);
  // Once the holder moves to another phone, the restore goes through.
  ASSERT_TRUE(UpdateNow(this->store(), holder->id, PhoneOf("0987654321")).ok());
  EXPECT_TRUE(RestoreNow(this->store(), created->id).ok());
}

TYPED_TEST(CustomerStoreContract, TheTrashPagesNewestDeletionFirstAndMeetsEachLeadOnce) {
  int64_t now = kEpoch;
  auto store = this->OpenAnother([&now] { return now; });
  std::vector<std::string> expected;  // newest deletion first
  for (int n = 1; n <= 9; ++n) {
    auto created = CreateNow(*store, Lead(n));
    ASSERT_TRUE(created.ok()) << created.error().message;
    // Pairs trashed in the same millisecond: ties go by id, descending.
    if (n % 2 == 1) now += 1'000;
    ASSERT_TRUE(TrashNow(*store, created->id).ok());
    expected.insert(expected.begin(), created->id);
  }
  std::vector<std::string> seen;
  TrashPageRequest request = FirstTrashPage(4);
  for (int page = 0; page < 10; ++page) {
    auto trash = ListTrashNow(*store, request);
    ASSERT_TRUE(trash.ok()) << trash.error().message;
    for (const TrashedCustomer& trashed : trash->items) seen.push_back(trashed.customer.id);
    if (!trash->more) break;
    request.after = TrashPosition{trash->items.back().deleted_at, trash->items.back().customer.id};
  }
  EXPECT_EQ(seen, expected);
}

TYPED_TEST(CustomerStoreContract, AnErasureRemovesTheLeadAndItsHistoryForGood) {
  auto created = CreateNow(this->store(), Lead(1));
  auto live = CreateNow(this->store(), Lead(2));
  ASSERT_TRUE(created.ok() && live.ok());
  ExpectCode(EraseNow(this->store(), live->id).error(), ErrorCode::kNotFound);
  ASSERT_TRUE(TrashNow(this->store(), created->id).ok());
  ASSERT_TRUE(EraseNow(this->store(), created->id).ok());
  ExpectCode(EraseNow(this->store(), created->id).error(), ErrorCode::kNotFound);
  ExpectCode(RestoreNow(this->store(), created->id).error(), ErrorCode::kNotFound);
  ExpectCode(HistoryNow(this->store(), HistoryRequest{created->id, std::nullopt, 10, std::nullopt})
                 .error(),
             ErrorCode::kNotFound);
  EXPECT_TRUE(ListTrashNow(this->store(), FirstTrashPage())->items.empty());
  EXPECT_TRUE(GetNow(this->store(), live->id).ok());
}

TYPED_TEST(CustomerStoreContract, TheSweepErasesLeadsTrashedBeforeTheCutoffOldestFirst) {
  int64_t now = kEpoch;
  auto store = this->OpenAnother([&now] { return now; });
  std::vector<std::string> ids;
  for (int n = 1; n <= 4; ++n) {
    auto created = CreateNow(*store, Lead(n));
    ASSERT_TRUE(created.ok()) << created.error().message;
    now += 60'000;
    ASSERT_TRUE(TrashNow(*store, created->id).ok());
    ids.push_back(created->id);
  }
  // Trashed at +1, +2, +3 and +4 minutes; the cutoff is +3 minutes (exclusive).
  const std::string cutoff = FormatIsoMillis(kEpoch + 180'000);
  auto first = EraseTrashedBeforeNow(*store, cutoff, 1);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, 1);
  ExpectCode(RestoreNow(*store, ids[0]).error(), ErrorCode::kNotFound);
  EXPECT_EQ(*EraseTrashedBeforeNow(*store, cutoff, 10), 1);
  EXPECT_EQ(*EraseTrashedBeforeNow(*store, cutoff, 10), 0);
  auto left = ListTrashNow(*store, FirstTrashPage());
  ASSERT_EQ(left->items.size(), 2u);
  EXPECT_EQ(left->items[0].customer.id, ids[3]);
  EXPECT_EQ(left->items[1].customer.id, ids[2]);
  ExpectCode(HistoryNow(*store, HistoryRequest{ids[1], std::nullopt, 10, std::nullopt}).error(),
             ErrorCode::kNotFound);
}

TYPED_TEST(CustomerStoreContract, ASweepErasesTheWholeBacklogBatchAfterBatch) {
  int64_t now = kEpoch;
  auto store = this->OpenAnother([&now] { return now; });
  constexpr int kTrashed = kTrashSweepBatch + 5;
  for (int n = 1; n <= kTrashed; ++n) {
    auto created = CreateNow(*store, Lead(n));
    ASSERT_TRUE(created.ok()) << created.error().message;
    ASSERT_TRUE(TrashNow(*store, created->id).ok());
  }
  // 30 days later to the millisecond nothing is due; a millisecond after, everything is.
  const int64_t due = kEpoch + int64_t{30} * 24 * 60 * 60 * 1000;
  EXPECT_EQ(TrashCutoff(due, 30), FormatIsoMillis(kEpoch));
  auto nothing = Await<int>(
      [&](Done<int> done) { SweepTrash(*store, TrashCutoff(due, 30), std::move(done)); });
  ASSERT_TRUE(nothing.ok()) << nothing.error().message;
  EXPECT_EQ(*nothing, 0);
  auto all = Await<int>(
      [&](Done<int> done) { SweepTrash(*store, TrashCutoff(due + 1, 30), std::move(done)); });
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(*all, kTrashed);
  EXPECT_TRUE(ListTrashNow(*store, FirstTrashPage())->items.empty());
}

TYPED_TEST(CustomerStoreContract, OfRacingRestoresExactlyOneBringsTheLeadBack) {
  auto created = CreateNow(this->store(), Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_TRUE(TrashNow(this->store(), created->id).ok());
  constexpr int kRacers = 8;
  Collector<Customer> results;
  for (int n = 0; n < kRacers; ++n) {
    this->store().Restore(created->id, {}, TestActor(), results.Callback());
  }
  int restored = 0;
  for (const Result<Customer>& result : results.WaitFor(kRacers)) {
    if (result.ok()) {
      ++restored;
      EXPECT_EQ(result->version, 3);
    } else {
      ExpectCode(result.error(), ErrorCode::kNotFound);
    }
  }
  EXPECT_EQ(restored, 1);
  auto history =
      HistoryNow(this->store(), HistoryRequest{created->id, std::nullopt, 10, std::nullopt});
  ASSERT_TRUE(history.ok()) << history.error().message;
  EXPECT_EQ(history->items.size(), 3u);
}

}  // namespace
}  // namespace pcustomer::test
