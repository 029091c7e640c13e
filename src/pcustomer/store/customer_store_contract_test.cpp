// The CustomerStore contract, run against every backend: SQLite on a temporary directory,
// DynamoDB on the in-memory fake, and DynamoDB through the real client against DynamoDB
// Local (AWS's emulator; the CTest entry customer_store_contract_dynamodb_local starts it).
// What only one backend has to get right (its layout, its retries, its limits) stays in its
// own test file. Every store operation enters this suite first.

#include "pcustomer/store/customer_store_contract_test.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/customer_store.hpp"
#include "pcustomer/store/testing/store_calls.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {
namespace {

using test::Await;
using test::Collector;
using test::CreateNow;
using test::FindByPhoneNow;
using test::GetNow;
using test::Lead;
using test::ListNow;
using test::TrashNow;
using test::UpdateNow;

using test::BackendNames;
using test::Backends;
using test::CustomerStoreContract;
using test::kPhoneTaken;

TYPED_TEST_SUITE(CustomerStoreContract, Backends, BackendNames);

TYPED_TEST(CustomerStoreContract, CreateGetUpdateDeleteRoundTrip) {
  const int64_t before = NowUnixMillis();
  auto created = CreateNow(this->store(), {"Nguyễn Văn An", "0912345678", 30, "household_tool"});
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

  auto got = GetNow(this->store(), created->id);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, *created);

  CustomerPatch patch;
  patch.age = 41;
  patch.product_code = "garden_tool";
  auto updated = UpdateNow(this->store(), created->id, patch);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  Customer expected = *created;
  expected.age = 41;
  expected.product_code = "garden_tool";
  expected.version = 2;
  expected.updated_at = updated->updated_at;
  EXPECT_EQ(*updated, expected);
  EXPECT_EQ(*GetNow(this->store(), created->id), expected);

  ASSERT_TRUE(TrashNow(this->store(), created->id).ok());
  auto gone = GetNow(this->store(), created->id);
  ASSERT_FALSE(gone.ok());
  this->ExpectNotFound(gone.error());
  EXPECT_FALSE(FindByPhoneNow(this->store(), "0912345678")->has_value());
}

TYPED_TEST(CustomerStoreContract, EachFieldCanBeUpdatedAloneAndOnlyItChanges) {
  int64_t now = 1'795'000'000'000;
  auto store = this->OpenAnother([&now] { return now; });
  auto created = CreateNow(*store, Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  Customer expected = *created;
  // Each change is the next version, stamped with the store's clock.
  auto next = [&](Customer& lead) {
    ++lead.version;
    now += 1000;
    lead.updated_at = FormatIsoMillis(now);
  };

  CustomerPatch name;
  name.full_name = "Đặng Thị Thủy";
  expected.full_name = "Đặng Thị Thủy";
  next(expected);
  EXPECT_EQ(*UpdateNow(*store, created->id, name), expected);

  CustomerPatch phone;
  phone.phone = Lead(2).phone;
  expected.phone = Lead(2).phone;
  next(expected);
  EXPECT_EQ(*UpdateNow(*store, created->id, phone), expected);

  CustomerPatch age;
  age.age = 77;
  expected.age = 77;
  next(expected);
  EXPECT_EQ(*UpdateNow(*store, created->id, age), expected);

  CustomerPatch product;
  product.product_code = "credit_card";
  expected.product_code = "credit_card";
  next(expected);
  EXPECT_EQ(*UpdateNow(*store, created->id, product), expected);
  EXPECT_EQ(expected.version, 5);

  EXPECT_EQ(*GetNow(this->store(), created->id), expected);
  EXPECT_EQ(**FindByPhoneNow(this->store(), Lead(2).phone), expected);
}

TYPED_TEST(CustomerStoreContract, MissingIdsAreNotFoundAndNothingIsCreated) {
  const std::string missing = "CUSTOMER#1795545750015000";
  auto got = GetNow(this->store(), missing);
  ASSERT_FALSE(got.ok());
  this->ExpectNotFound(got.error());

  CustomerPatch patch;
  patch.age = 20;
  auto updated = UpdateNow(this->store(), missing, patch);
  ASSERT_FALSE(updated.ok());
  this->ExpectNotFound(updated.error());
  patch.phone = "0912345678";
  updated = UpdateNow(this->store(), missing, patch);
  ASSERT_FALSE(updated.ok());
  this->ExpectNotFound(updated.error());
  // Update never creates, and the phone it named stays free.
  EXPECT_FALSE(GetNow(this->store(), missing).ok());
  EXPECT_FALSE(FindByPhoneNow(this->store(), "0912345678")->has_value());
  EXPECT_TRUE(CreateNow(this->store(), {"Lê Văn Tám", "0912345678", 30, "household_tool"}).ok());

  auto deleted = TrashNow(this->store(), missing);
  ASSERT_FALSE(deleted.ok());
  this->ExpectNotFound(deleted.error());
  EXPECT_EQ(ListNow(this->store(), {std::nullopt, 10})->items.size(), 1u);
}

TYPED_TEST(CustomerStoreContract, CreateWithTakenPhoneNamesItsHolder) {
  auto first = CreateNow(this->store(), Lead(1));
  ASSERT_TRUE(first.ok()) << first.error().message;
  NewCustomer same_phone = Lead(1);
  same_phone.full_name = "Trần Thị Bình";
  this->ExpectPhoneConflict(CreateNow(this->store(), same_phone), first->id);
  // The holder is untouched and nothing else was stored.
  EXPECT_EQ(*GetNow(this->store(), first->id), *first);
  EXPECT_EQ(ListNow(this->store(), {std::nullopt, 10})->items.size(), 1u);
}

TYPED_TEST(CustomerStoreContract, UpdateToTakenPhoneNamesItsHolderAndChangesNothing) {
  auto holder = CreateNow(this->store(), Lead(1));
  auto other = CreateNow(this->store(), Lead(2));
  ASSERT_TRUE(holder.ok() && other.ok());
  CustomerPatch patch;
  patch.phone = holder->phone;
  patch.age = 50;
  this->ExpectPhoneConflict(UpdateNow(this->store(), other->id, patch), holder->id);
  EXPECT_EQ(*GetNow(this->store(), other->id), *other);
  EXPECT_EQ(**FindByPhoneNow(this->store(), holder->phone), *holder);
  EXPECT_EQ(**FindByPhoneNow(this->store(), other->phone), *other);
}

TYPED_TEST(CustomerStoreContract, UpdateKeepingItsOwnPhoneIsNoConflict) {
  auto created = CreateNow(this->store(), Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  CustomerPatch patch;
  patch.phone = created->phone;
  patch.full_name = "Ngô Ý";
  auto updated = UpdateNow(this->store(), created->id, patch);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->full_name, "Ngô Ý");
  EXPECT_EQ(updated->phone, created->phone);
  EXPECT_EQ(**FindByPhoneNow(this->store(), created->phone), *updated);
}

TYPED_TEST(CustomerStoreContract, PhoneFreedByDeleteOrUpdateCanBeReused) {
  auto first = CreateNow(this->store(), Lead(1));
  ASSERT_TRUE(first.ok()) << first.error().message;
  CustomerPatch patch;
  patch.phone = Lead(2).phone;
  ASSERT_TRUE(UpdateNow(this->store(), first->id, patch).ok());
  EXPECT_FALSE(FindByPhoneNow(this->store(), Lead(1).phone)->has_value());
  auto second = CreateNow(this->store(), Lead(1));
  ASSERT_TRUE(second.ok()) << second.error().message;
  ASSERT_TRUE(TrashNow(this->store(), first->id).ok());
  auto third = CreateNow(this->store(), Lead(2));
  ASSERT_TRUE(third.ok()) << third.error().message;
  EXPECT_EQ(**FindByPhoneNow(this->store(), Lead(2).phone), *third);
}

TYPED_TEST(CustomerStoreContract, FindByPhoneAnswersTheHolderOrNone) {
  auto created = CreateNow(this->store(), Lead(7));
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto found = FindByPhoneNow(this->store(), Lead(7).phone);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, *created);
  auto none = FindByPhoneNow(this->store(), Lead(8).phone);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TYPED_TEST(CustomerStoreContract, CheckReadyIsOk) {
  EXPECT_TRUE(Await<Ok>([&](Done<Ok> done) { this->store().CheckReady(done); }).ok());
}

TYPED_TEST(CustomerStoreContract, ListPagesReturnEveryCustomerOnceInIdOrder) {
  std::vector<std::string> created;
  for (int i = 0; i < 250; ++i) {
    auto customer = CreateNow(this->store(), Lead(i));
    ASSERT_TRUE(customer.ok()) << customer.error().message;
    created.push_back(customer->id);
  }
  std::vector<std::string> listed;
  PageRequest request;
  request.limit = 7;
  int pages = 0;
  for (;;) {
    auto page = ListNow(this->store(), request);
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

TYPED_TEST(CustomerStoreContract, AFullLastPageHasNoLastId) {
  for (int i = 0; i < 14; ++i) ASSERT_TRUE(CreateNow(this->store(), Lead(i)).ok());
  auto first = ListNow(this->store(), {std::nullopt, 7});
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->last_id.has_value());
  auto second = ListNow(this->store(), {first->last_id, 7});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->items.size(), 7u);
  EXPECT_FALSE(second->last_id.has_value());
  auto none = ListNow(this->store(), {second->items.back().id, 10});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->items.empty());
  EXPECT_FALSE(none->last_id.has_value());
}

TYPED_TEST(CustomerStoreContract, OfConcurrentCreatesWithOnePhoneExactlyOneWins) {
  constexpr int kThreads = 8;
  std::vector<std::optional<Result<Customer>>> results(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      results[t].emplace(CreateNow(this->store(), Lead(1)));
    });
  }
  for (auto& thread : threads) thread.join();
  std::string winner;
  for (const auto& result : results) {
    if (result->ok()) {
      EXPECT_TRUE(winner.empty()) << "two creates of one phone succeeded";
      winner = (*result)->id;
    }
  }
  ASSERT_FALSE(winner.empty());
  for (const auto& result : results) {
    if (!result->ok()) this->ExpectPhoneConflict(*result, winner);
  }
  EXPECT_EQ(ListNow(this->store(), {std::nullopt, 10})->items.size(), 1u);
}

TYPED_TEST(CustomerStoreContract, TwoStoresOnOneBackendNeverCollideOrOverwrite) {
  // Both "processes" read the same frozen clock, so they issue the same ids and every
  // create but the first collides with the other's.
  auto frozen = [] { return int64_t{1'795'545'750'015}; };
  auto first = this->OpenAnother(frozen);
  auto second = this->OpenAnother(frozen);
  constexpr int kEach = 300;
  Collector<Customer> from_first;
  Collector<Customer> from_second;
  std::thread a([&] {
    for (int i = 0; i < kEach; ++i)
      first->Create(Lead(i), test::TestActor(), from_first.Callback());
  });
  std::thread b([&] {
    for (int i = 0; i < kEach; ++i)
      second->Create(Lead(kEach + i), test::TestActor(), from_second.Callback());
  });
  a.join();
  b.join();

  std::vector<Customer> created;
  for (auto* collector : {&from_first, &from_second}) {
    for (const auto& result : collector->WaitFor(kEach)) {
      ASSERT_TRUE(result.ok()) << result.error().message << " (" << result.error().detail << ")";
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

}  // namespace
}  // namespace pcustomer
