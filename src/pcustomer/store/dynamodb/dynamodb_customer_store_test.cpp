#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <set>
#include <thread>
#include <vector>

#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/dynamodb_secret_store.hpp"
#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"
#include "pcustomer/store/testing/store_calls.hpp"
#include "pcustomer/util/clock.hpp"
#include "pcustomer/validation/search_text.hpp"

namespace pcustomer {
namespace {

using dynamodb::AttributeValue;
using dynamodb::Item;
using dynamodb::RestoreStoredPhone;
using dynamodb::testing::FakeDynamoDb;
using test::Await;
using test::CreateNow;
using test::FindByPhoneNow;
using test::GetNow;
using test::Lead;
using test::ListNow;
using test::TrashNow;
using test::UpdateNow;

constexpr const char* kPhoneTaken = "Phone number is already used by another potential customer";
constexpr int64_t kStart = 1'795'545'750'000;  // 2026-11-24T...

class DynamoDbCustomerStoreTest : public ::testing::Test {
 protected:
  DynamoDbCustomerStoreTest() {
    fake_.AddServiceIndexes();
    store_ = MakeStore();
  }

  std::unique_ptr<DynamoDbCustomerStore> MakeStore() {
    DynamoDbStoreOptions options;
    options.clock = [this] { return now_.load(); };
    return std::make_unique<DynamoDbCustomerStore>(fake_, "pcustomers", options);
  }

  CustomerStore& store() { return *store_; }

  std::optional<Item> Claim(const std::string& phone) {
    return fake_.GetRaw(kPhoneClaimType, std::string(kPhoneClaimPrefix) + phone);
  }
  // The sort keys of the items of partition `type`, in order.
  std::vector<std::string> EntryIds(const std::string& type) {
    std::vector<std::string> ids;
    for (const Item& item : fake_.Partition(type))
      ids.push_back(dynamodb::StringAttribute(item, "id").value_or("?"));
    return ids;
  }
  std::string ClaimHolder(const std::string& phone) {
    auto claim = Claim(phone);
    return claim ? dynamodb::StringAttribute(*claim, "customerId").value_or("?") : "";
  }

  static void ExpectPhoneConflict(const Result<Customer>& result, const std::string& holder) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kConflict);
    EXPECT_EQ(result.error().message, kPhoneTaken);
    EXPECT_EQ(result.error().reasons, (std::vector<Reason>{{"phone", holder}}));
  }

  // An item exactly as the reference application writes it.
  static Item ReferenceItem(const std::string& id, AttributeValue phone) {
    return {{"type", AttributeValue::S("potential_customer")},
            {"id", AttributeValue::S(id)},
            {"fullName", AttributeValue::S("Nguyen Anh Tuan")},
            {"phone", std::move(phone)},
            {"age", AttributeValue::NumberText("30")},
            {"productCode", AttributeValue::S("household_tool")},
            {"createAt", AttributeValue::S("2026-11-24T17:00:00.123456")}};
  }

  std::atomic<int64_t> now_{kStart};
  FakeDynamoDb fake_;
  std::unique_ptr<DynamoDbCustomerStore> store_;
};

TEST_F(DynamoDbCustomerStoreTest, CreateGetUpdateDeleteRoundTripInTheReferenceLayout) {
  auto created = CreateNow(store(), {"Nguyễn Văn An", "0912345678", 30, "household_tool"});
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(IsCustomerId(created->id));
  EXPECT_EQ(*CustomerIdValue(created->id) / kIdsPerMilli, kStart);
  EXPECT_EQ(created->create_at, FormatIsoMillis(kStart));
  EXPECT_EQ(created->phone, "0912345678");

  // Exactly the reference's attributes and types, and the two indexes' sort keys.
  auto raw = fake_.GetRaw("potential_customer", created->id);
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(*raw,
            (Item{{"type", AttributeValue::S("potential_customer")},
                  {"id", AttributeValue::S(created->id)},
                  {"fullName", AttributeValue::S("Nguyễn Văn An")},
                  {"phone", AttributeValue::S("0912345678")},
                  {"age", AttributeValue::N(30)},
                  {"productCode", AttributeValue::S("household_tool")},
                  {"createAt", AttributeValue::S(FormatIsoMillis(kStart))},
                  {"nameKey", AttributeValue::B(VietnameseSortKey("Nguyễn Văn An") +
                                                std::string(1, '\0') + created->id)},
                  {"ageKey", AttributeValue::S("030#" + created->id)},
                  {"updatedKey", AttributeValue::S(FormatIsoMillis(kStart) + "#" + created->id)},
                  {"status", AttributeValue::S("new")},
                  {"source", AttributeValue::S("other")},
                  {"version", AttributeValue::N(1)},
                  {"updatedAt", AttributeValue::S(FormatIsoMillis(kStart))}}));
  EXPECT_EQ(ClaimHolder("0912345678"), created->id);
  // Its index entries: a name word each, and each phone suffix of three digits or more.
  EXPECT_EQ(EntryIds("pcustomer_name_word"),
            (std::vector<std::string>{"an#" + created->id, "nguyen#" + created->id,
                                      "van#" + created->id}));
  EXPECT_EQ(EntryIds("pcustomer_phone_digits").size(), 8u);
  EXPECT_TRUE(fake_.GetRaw("pcustomer_phone_digits", "345678#" + created->id).has_value());

  auto got = GetNow(store(), created->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, *created);

  CustomerPatch patch;
  patch.age = 41;
  patch.product_code = "garden_tool";
  auto updated = UpdateNow(store(), created->id, patch);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  Customer expected = *created;
  expected.age = 41;
  expected.product_code = "garden_tool";
  expected.version = 2;
  EXPECT_EQ(*updated, expected);
  EXPECT_EQ(*GetNow(store(), created->id), expected);
  EXPECT_EQ(fake_.GetRaw("potential_customer", created->id)->at("version"), AttributeValue::N(2));

  ASSERT_TRUE(TrashNow(store(), created->id).ok());
  auto gone = GetNow(store(), created->id);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(Claim("0912345678").has_value());
  EXPECT_TRUE(EntryIds("pcustomer_name_word").empty());
  EXPECT_TRUE(EntryIds("pcustomer_phone_digits").empty());
}

TEST_F(DynamoDbCustomerStoreTest, MissingIdsAreNotFoundAndNothingIsCreated) {
  const std::string missing = "CUSTOMER#1795545750015000";
  auto got = GetNow(store(), missing);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(got.error().message, "Potential customer not found");

  CustomerPatch patch;
  patch.age = 20;
  auto updated = UpdateNow(store(), missing, patch);
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, ErrorCode::kNotFound);
  patch.phone = "0912345678";
  updated = UpdateNow(store(), missing, patch);
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(fake_.Partition("potential_customer").empty());  // never an upsert
  EXPECT_FALSE(Claim("0912345678").has_value());

  auto deleted = TrashNow(store(), missing);
  ASSERT_FALSE(deleted.ok());
  EXPECT_EQ(deleted.error().code, ErrorCode::kNotFound);
}

TEST_F(DynamoDbCustomerStoreTest, IdsThatCannotBeCustomerIdsAreNotFoundWithoutAsking) {
  for (const std::string& id : std::vector<std::string>{
           "", "CUSTOMER#", "CUSTOMER#12a", std::string(2000, 'x'), "CUSTOMER#\xff\xfe"}) {
    EXPECT_EQ(GetNow(store(), id).error().code, ErrorCode::kNotFound);
    CustomerPatch patch;
    patch.age = 20;
    EXPECT_EQ(UpdateNow(store(), id, patch).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(TrashNow(store(), id).error().code, ErrorCode::kNotFound);
  }
  EXPECT_EQ(fake_.calls("GetItem") + fake_.calls("UpdateItem") + fake_.calls("DeleteItem"), 0);
}

TEST_F(DynamoDbCustomerStoreTest, CreateWithTakenPhoneNamesItsHolder) {
  auto first = CreateNow(store(), Lead(1));
  ASSERT_TRUE(first.ok());
  NewCustomer same_phone = Lead(1);
  same_phone.full_name = "Trần Thị Bình";
  ExpectPhoneConflict(CreateNow(store(), same_phone), first->id);
  EXPECT_EQ(*GetNow(store(), first->id), *first);
  EXPECT_EQ(fake_.Partition("potential_customer").size(), 1u);
  // Long after, the holder still holds it.
  now_ += 24 * 60 * 60 * 1000;
  ExpectPhoneConflict(CreateNow(store(), same_phone), first->id);
}

TEST_F(DynamoDbCustomerStoreTest, UpdateToTakenPhoneNamesItsHolderAndChangesNothing) {
  auto holder = CreateNow(store(), Lead(1));
  auto other = CreateNow(store(), Lead(2));
  ASSERT_TRUE(holder.ok() && other.ok());
  CustomerPatch patch;
  patch.phone = holder->phone;
  patch.age = 50;
  ExpectPhoneConflict(UpdateNow(store(), other->id, patch), holder->id);
  EXPECT_EQ(*GetNow(store(), other->id), *other);
  EXPECT_EQ(ClaimHolder(holder->phone), holder->id);
  EXPECT_EQ(ClaimHolder(other->phone), other->id);
}

TEST_F(DynamoDbCustomerStoreTest, UpdateKeepingItsOwnPhoneIsNoConflict) {
  auto created = CreateNow(store(), Lead(1));
  ASSERT_TRUE(created.ok());
  CustomerPatch patch;
  patch.phone = created->phone;
  patch.full_name = "Ngô Ý";
  auto updated = UpdateNow(store(), created->id, patch);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->full_name, "Ngô Ý");
  EXPECT_EQ(updated->phone, created->phone);
  EXPECT_EQ(ClaimHolder(created->phone), created->id);
}

TEST_F(DynamoDbCustomerStoreTest, PhoneChangeMovesTheClaimAndFreesTheOldPhone) {
  auto first = CreateNow(store(), Lead(1));
  ASSERT_TRUE(first.ok());
  CustomerPatch patch;
  patch.phone = Lead(2).phone;
  auto updated = UpdateNow(store(), first->id, patch);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->phone, Lead(2).phone);
  EXPECT_FALSE(Claim(Lead(1).phone).has_value());
  EXPECT_EQ(ClaimHolder(Lead(2).phone), first->id);

  auto second = CreateNow(store(), Lead(1));
  ASSERT_TRUE(second.ok()) << second.error().message;
  ASSERT_TRUE(TrashNow(store(), first->id).ok());
  EXPECT_FALSE(Claim(Lead(2).phone).has_value());
  EXPECT_TRUE(CreateNow(store(), Lead(2)).ok());
  EXPECT_EQ(fake_.Partition(kPhoneClaimType).size(), 2u);
}

TEST_F(DynamoDbCustomerStoreTest, FindByPhoneAnswersTheHolderOrNone) {
  auto created = CreateNow(store(), Lead(7));
  ASSERT_TRUE(created.ok());
  auto found = FindByPhoneNow(store(), Lead(7).phone);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, *created);
  auto none = FindByPhoneNow(store(), Lead(8).phone);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // A claim whose customer is gone finds nobody.
  fake_.EraseRaw("potential_customer", created->id);
  EXPECT_FALSE(FindByPhoneNow(store(), Lead(7).phone)->has_value());
}

TEST_F(DynamoDbCustomerStoreTest, ClaimOfADeletedCustomerIsTakenOverOnceItIsStale) {
  auto first = CreateNow(store(), Lead(1));
  ASSERT_TRUE(first.ok());
  // A crash between deleting the customer and deleting its claim.
  fake_.EraseRaw("potential_customer", first->id);
  // While fresh, the claim may belong to a write still in progress.
  ExpectPhoneConflict(CreateNow(store(), Lead(1)), first->id);
  now_ += kDefaultClaimGraceMillis;
  auto second = CreateNow(store(), Lead(1));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(ClaimHolder(Lead(1).phone), second->id);
  ExpectPhoneConflict(CreateNow(store(), Lead(1)), second->id);
}

TEST_F(DynamoDbCustomerStoreTest, ClaimOfACustomerThatMovedOnIsTakenOverOnceItIsStale) {
  auto first = CreateNow(store(), Lead(1));
  ASSERT_TRUE(first.ok());
  // A crash after the customer's phone changed, before its old claim was deleted.
  Item moved = *fake_.GetRaw("potential_customer", first->id);
  moved["phone"] = AttributeValue::S(Lead(2).phone);
  fake_.PutRaw(moved);
  ExpectPhoneConflict(CreateNow(store(), Lead(1)), first->id);
  now_ += kDefaultClaimGraceMillis + 1;
  auto second = CreateNow(store(), Lead(1));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(ClaimHolder(Lead(1).phone), second->id);
}

TEST_F(DynamoDbCustomerStoreTest, ReferenceItemsReadBackWithTheirPhoneRestored) {
  // The reference's update stored the phone as a number, losing its leading zero.
  fake_.PutRaw(ReferenceItem("CUSTOMER#1795545750015", AttributeValue::NumberText("912345678")));
  fake_.PutRaw(ReferenceItem("CUSTOMER#1795545750016", AttributeValue::S("0987654321")));
  // Its update was an upsert: PATCH on a missing id left half items.
  fake_.PutRaw({{"type", AttributeValue::S("potential_customer")},
                {"id", AttributeValue::S("CUSTOMER#1795545750017")},
                {"age", AttributeValue::NumberText("28")}});

  auto numeric = GetNow(store(), "CUSTOMER#1795545750015");
  ASSERT_TRUE(numeric.ok()) << numeric.error().message;
  // Without a version: at its first, changed when it was created.
  EXPECT_EQ(*numeric, (Customer{"CUSTOMER#1795545750015", "Nguyen Anh Tuan", "0912345678", 30,
                                "household_tool", "2026-11-24T17:00:00.123456", 1,
                                "2026-11-24T17:00:00.123456"}));
  EXPECT_EQ(GetNow(store(), "CUSTOMER#1795545750016")->phone, "0987654321");
  auto half = GetNow(store(), "CUSTOMER#1795545750017");
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(half->age, 28);
  EXPECT_EQ(half->phone, "");

  auto page = ListNow(store(), {std::nullopt, 10});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].phone, "0912345678");
  EXPECT_FALSE(page->last_id.has_value());

  // Updating another field leaves the stored number alone; updating the phone stores text.
  CustomerPatch age;
  age.age = 31;
  ASSERT_TRUE(UpdateNow(store(), "CUSTOMER#1795545750015", age).ok());
  EXPECT_EQ(fake_.GetRaw("potential_customer", "CUSTOMER#1795545750015")->at("phone"),
            AttributeValue::NumberText("912345678"));
  CustomerPatch phone;
  phone.phone = "0912345679";
  auto moved = UpdateNow(store(), "CUSTOMER#1795545750015", phone);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->phone, "0912345679");
  EXPECT_EQ(fake_.GetRaw("potential_customer", "CUSTOMER#1795545750015")->at("phone"),
            AttributeValue::S("0912345679"));
  EXPECT_EQ(ClaimHolder("0912345679"), "CUSTOMER#1795545750015");
  CustomerPatch first_phone;
  first_phone.phone = "0900000001";
  ASSERT_TRUE(UpdateNow(store(), "CUSTOMER#1795545750017", first_phone).ok());
  EXPECT_EQ(ClaimHolder("0900000001"), "CUSTOMER#1795545750017");
}

TEST_F(DynamoDbCustomerStoreTest, RestoreStoredPhoneGivesTheNationalForm) {
  EXPECT_EQ(RestoreStoredPhone("912345678"), "0912345678");
  EXPECT_EQ(RestoreStoredPhone("912345678.0"), "0912345678");
  EXPECT_EQ(RestoreStoredPhone("84912345678"), "0912345678");
  EXPECT_EQ(RestoreStoredPhone("+84912345678"), "0912345678");
  EXPECT_EQ(RestoreStoredPhone("0912345678"), "0912345678");
  EXPECT_EQ(RestoreStoredPhone("12345"), "12345");
  EXPECT_EQ(RestoreStoredPhone("091 234 5678"), "091 234 5678");
  EXPECT_EQ(RestoreStoredPhone(""), "");
}

TEST_F(DynamoDbCustomerStoreTest, ShortQueryAnswersStillFillPages) {
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(CreateNow(store(), Lead(i)).ok());
  // As when 1 MB of items ends a Query before its Limit.
  fake_.set_max_query_items(3);
  const int before = fake_.calls("Query");
  std::vector<std::string> seen;
  std::optional<std::string> after;
  do {
    auto page = ListNow(store(), {after, 7});
    ASSERT_TRUE(page.ok()) << page.error().message;
    if (page->last_id) {
      EXPECT_EQ(page->items.size(), 7u);
    }
    for (const auto& customer : page->items) seen.push_back(customer.id);
    after = page->last_id;
  } while (after);
  EXPECT_EQ(seen.size(), 30u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 30u);
  EXPECT_GT(fake_.calls("Query") - before, 10);
}

TEST_F(DynamoDbCustomerStoreTest, ListingSkipsClaimsSecretsAndOtherPartitions) {
  ASSERT_TRUE(CreateNow(store(), Lead(1)).ok());
  ASSERT_TRUE(DynamoDbSecretStore(fake_, "pcustomers").LoadOrCreateSecret("cursor").ok());
  auto page = ListNow(store(), {std::nullopt, 100});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 1u);
}

TEST_F(DynamoDbCustomerStoreTest, RetriedCreateWhoseFirstAttemptLandedSucceedsOnce) {
  // The first attempt of the customer's PutItem is applied but its answer lost; the
  // client's retry then fails attribute_not_exists(id).
  fake_.ScheduleFor("TransactWriteItems", "potential_customer", FakeDynamoDb::Fault::kReplay);
  auto created = CreateNow(store(), Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(fake_.Partition("potential_customer").size(), 1u);
  EXPECT_EQ(ClaimHolder(Lead(1).phone), created->id);

  // The same for the claim.
  fake_.ScheduleFor("PutItem", kPhoneClaimType, FakeDynamoDb::Fault::kReplay);
  auto second = CreateNow(store(), Lead(2));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(ClaimHolder(Lead(2).phone), second->id);
  EXPECT_EQ(fake_.Partition("potential_customer").size(), 2u);
}

TEST_F(DynamoDbCustomerStoreTest, AmbiguousCreateFailureKeepsThePhoneProtected) {
  // Applied, then the connection failed and the client gave up: the caller hears
  // kUnavailable, but the customer exists and keeps its claim.
  fake_.ScheduleFor("TransactWriteItems", "potential_customer", FakeDynamoDb::Fault::kFailAfter);
  auto created = CreateNow(store(), Lead(1));
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, ErrorCode::kUnavailable);
  auto items = fake_.Partition("potential_customer");
  ASSERT_EQ(items.size(), 1u);
  const std::string id = *dynamodb::StringAttribute(items[0], "id");
  ExpectPhoneConflict(CreateNow(store(), Lead(1)), id);
  now_ += kDefaultClaimGraceMillis;
  ExpectPhoneConflict(CreateNow(store(), Lead(1)), id);
}

TEST_F(DynamoDbCustomerStoreTest, IdsTakenByAnotherProcessAreSkippedNeverOverwritten) {
  // Another process created customers in this millisecond with the ids ours would issue.
  const int64_t first_value = kStart * kIdsPerMilli;
  for (int i = 0; i < 5; ++i) {
    fake_.PutRaw(ReferenceItem(FormatCustomerId(first_value + i),
                               AttributeValue::S("09100000" + std::to_string(10 + i))));
  }
  auto created = CreateNow(store(), Lead(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  // Past the taken ones, by a random stretch that keeps it in the same millisecond.
  const int64_t value = *CustomerIdValue(created->id);
  EXPECT_GE(value, first_value + 5);
  EXPECT_LE(value, first_value + 5 + 63);
  EXPECT_EQ(ClaimHolder(Lead(1).phone), created->id);
  EXPECT_EQ(fake_.Partition(kPhoneClaimType).size(), 1u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(GetNow(store(), FormatCustomerId(first_value + i))->full_name, "Nguyen Anh Tuan");
  }
  EXPECT_EQ(fake_.calls("Query"), 1);  // one look at the taken millisecond
}

TEST_F(DynamoDbCustomerStoreTest, RetriedDeleteWhoseFirstAttemptLandedAnswersOk) {
  auto created = CreateNow(store(), Lead(1));
  ASSERT_TRUE(created.ok());
  fake_.ScheduleFor("TransactWriteItems", "potential_customer", FakeDynamoDb::Fault::kReplay);
  EXPECT_TRUE(TrashNow(store(), created->id).ok());
  EXPECT_FALSE(Claim(Lead(1).phone).has_value());
  EXPECT_EQ(TrashNow(store(), created->id).error().code, ErrorCode::kNotFound);
}

TEST_F(DynamoDbCustomerStoreTest, RetriedUpdatesAreHarmless) {
  auto created = CreateNow(store(), Lead(1));
  ASSERT_TRUE(created.ok());
  fake_.Schedule("UpdateItem", FakeDynamoDb::Fault::kReplay);
  CustomerPatch patch;
  patch.age = 33;
  EXPECT_EQ(UpdateNow(store(), created->id, patch)->age, 33);
  // A phone change retried: its condition names the phone before the change, so the retry
  // fails; the store reads the customer again and finds the change made.
  fake_.Schedule("TransactWriteItems", FakeDynamoDb::Fault::kReplay);
  patch.phone = Lead(2).phone;
  auto moved = UpdateNow(store(), created->id, patch);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->phone, Lead(2).phone);
  EXPECT_EQ(ClaimHolder(Lead(2).phone), created->id);
}

TEST_F(DynamoDbCustomerStoreTest, PhoneChangedByARacingUpdateLeavesNoClaimBehind) {
  auto created = CreateNow(store(), Lead(1));
  ASSERT_TRUE(created.ok());
  // Between our read and our write, another update moves the customer to Lead(3)'s phone.
  std::atomic<bool> raced{false};
  auto racer = MakeStore();
  fake_.set_before_call([&](std::string_view operation, const dynamodb::Request& request) {
    if (operation != "UpdateItem" || raced.exchange(true)) return;
    (void)request;
    CustomerPatch other;
    other.phone = Lead(3).phone;
    // On a thread of its own: this hook runs inside one of our update's steps, and a step
    // must never block on another store operation of its thread (that one's answers would
    // wait for this step to end; see ResumeWithoutNesting).
    std::thread([&] { EXPECT_TRUE(UpdateNow(*racer, created->id, other).ok()); }).join();
  });
  CustomerPatch patch;
  patch.phone = Lead(2).phone;
  auto updated = UpdateNow(store(), created->id, patch);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->phone, Lead(2).phone);
  EXPECT_FALSE(Claim(Lead(1).phone).has_value());
  EXPECT_FALSE(Claim(Lead(3).phone).has_value());
  EXPECT_EQ(ClaimHolder(Lead(2).phone), created->id);
}

TEST_F(DynamoDbCustomerStoreTest, OfConcurrentCreatesWithOnePhoneExactlyOneWins) {
  constexpr int kThreads = 8;
  std::vector<std::optional<Result<Customer>>> results(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      results[t].emplace(CreateNow(store(), Lead(1)));
    });
  }
  for (auto& thread : threads) thread.join();
  std::string winner;
  for (const auto& result : results) {
    if (result->ok()) {
      EXPECT_TRUE(winner.empty());
      winner = (*result)->id;
    }
  }
  ASSERT_FALSE(winner.empty());
  for (const auto& result : results) {
    if (!result->ok()) ExpectPhoneConflict(*result, winner);
  }
  EXPECT_EQ(fake_.Partition("potential_customer").size(), 1u);
}

TEST_F(DynamoDbCustomerStoreTest, ConcurrentCreatesGetUniqueIds) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> ids(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread a store of its own: separate processes whose id sequences collide.
      auto own = MakeStore();
      for (int i = 0; i < kPerThread; ++i) {
        auto created = CreateNow(*own, Lead(t * kPerThread + i));
        ASSERT_TRUE(created.ok()) << created.error().message;
        ids[t].push_back(created->id);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> unique;
  for (const auto& list : ids) unique.insert(list.begin(), list.end());
  EXPECT_EQ(unique.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(fake_.Partition("potential_customer").size(), size_t{kThreads * kPerThread});
}

TEST_F(DynamoDbCustomerStoreTest, RefusalsAndOutagesAreUnavailableNeverBadRequest) {
  auto created = CreateNow(store(), Lead(1));
  ASSERT_TRUE(created.ok());
  fake_.Schedule("GetItem", FakeDynamoDb::Fault::kFailBefore,
                 DynamoDbCallError::Validation("ValidationException: The provided key element "
                                               "does not match the schema"));
  auto got = GetNow(store(), created->id);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kUnavailable);

  fake_.Schedule("Query", FakeDynamoDb::Fault::kFailBefore);
  auto page = ListNow(store(), {std::nullopt, 5});
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().code, ErrorCode::kUnavailable);

  fake_.DropTable("pcustomers");
  auto ready = Await<Ok>([&](Done<Ok> done) { store().CheckReady(done); });
  ASSERT_FALSE(ready.ok());
  EXPECT_EQ(ready.error().code, ErrorCode::kUnavailable);
}

TEST_F(DynamoDbCustomerStoreTest, RegressionReadyWhileEveryWriteFailed) {
  // Reads still answer; only the write shows that nothing can be stored.
  fake_.Schedule("PutItem", FakeDynamoDb::Fault::kFailBefore);
  auto ready = Await<Ok>([&](Done<Ok> done) { store().CheckReady(done); });
  ASSERT_FALSE(ready.ok());
  EXPECT_EQ(ready.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(ready.error().message.find("connection reset"), std::string::npos)
      << "the peer's words stay in the log: " << ready.error().message;
  EXPECT_TRUE(Await<Ok>([&](Done<Ok> done) { store().CheckReady(done); }).ok());
}

TEST_F(DynamoDbCustomerStoreTest, BackfillClaimsThePhonesOfTheReferencesCustomers) {
  fake_.PutRaw(ReferenceItem("CUSTOMER#1795545750015", AttributeValue::NumberText("912345678")));
  fake_.PutRaw(ReferenceItem("CUSTOMER#1795545750016", AttributeValue::S("0987654321")));
  // The reference never checked phones: two customers may share one.
  fake_.PutRaw(ReferenceItem("CUSTOMER#1795545750017", AttributeValue::S("0987654321")));
  DynamoDbStoreOptions options;
  options.clock = [this] { return now_.load(); };
  auto report = BackfillPhoneClaims(fake_, "pcustomers", options);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->customers, 3);
  EXPECT_EQ(report->claimed, 2);
  EXPECT_EQ(report->problems,
            std::vector<std::string>{"Phone 0987654321 of CUSTOMER#1795545750017 is already "
                                     "claimed by CUSTOMER#1795545750016"});
  EXPECT_EQ(ClaimHolder("0912345678"), "CUSTOMER#1795545750015");
  ExpectPhoneConflict(CreateNow(store(), {"Nguyễn Văn An", "0912345678", 30, "book"}),
                      "CUSTOMER#1795545750015");
  // Running it again changes nothing.
  report = BackfillPhoneClaims(fake_, "pcustomers", options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->claimed, 2);
  EXPECT_EQ(report->problems.size(), 1u);
}

TEST_F(DynamoDbCustomerStoreTest, AReferenceItemIsAtVersionOneForAConditionalWrite) {
  fake_.PutRaw(ReferenceItem("CUSTOMER#1795545750015", AttributeValue::S("0912345678")));
  CustomerPatch patch;
  patch.age = 31;
  EXPECT_EQ(UpdateNow(store(), "CUSTOMER#1795545750015", patch, 2).error().current_version, 1);
  auto updated = UpdateNow(store(), "CUSTOMER#1795545750015", patch, 1);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(fake_.GetRaw("potential_customer", "CUSTOMER#1795545750015")->at("version"),
            AttributeValue::N(2));
}

}  // namespace
}  // namespace pcustomer
