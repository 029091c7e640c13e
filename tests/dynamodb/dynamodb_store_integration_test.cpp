// The DynamoDB stores through the real client (SigV4 over HTTP) against a DynamoDB-compatible
// endpoint, normally dynalite started by tests/dynamodb/with-dynalite.mjs:
//   node tests/dynamodb/with-dynalite.mjs <this test binary>
// Skipped unless AWS_ENDPOINT_URL_DYNAMODB is set, so that it never touches real AWS by
// accident. Each run works in a table of its own.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"
#include "pcustomer/store/dynamodb/dynamodb_secret_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_table.hpp"
#include "pcustomer/store/dynamodb/dynamodb_user_store.hpp"
#include "pcustomer/store/dynamodb/testing/emulator_endpoint.hpp"
#include "pcustomer/store/testing/store_calls.hpp"

namespace pcustomer {
namespace {

using dynamodb::AttributeValue;
using dynamodb::Item;
using test::Await;
using test::CreateNow;
using test::FindByPhoneNow;
using test::GetNow;
using test::Lead;
using test::ListNow;
using test::TrashNow;
using test::UpdateNow;

constexpr const char* kPhoneTaken = "Phone number is already used by another potential customer";

// One client and one table for the whole binary.
class Endpoint {
 public:
  static Endpoint& Get() {
    static Endpoint* endpoint = new Endpoint();
    return *endpoint;
  }

  bool available() const { return !table_.empty(); }
  DynamoDbClient& client() { return emulator().client(); }
  const std::string& table() const { return table_; }

  DynamoDbResult Call(std::string_view operation, const dynamodb::Request& request) {
    return emulator().Call(operation, dynamodb::ToJson(request));
  }

 private:
  static dynamodb::testing::EmulatorEndpoint& emulator() {
    return dynamodb::testing::EmulatorEndpoint::Get();
  }

  Endpoint() {
    if (!emulator().available()) return;
    auto table = emulator().CreateFreshTable("pcustomers_it");
    if (table.ok()) {
      table_ = *table;
    } else {
      ADD_FAILURE() << "CreateTable: " << table.error().message;
    }
  }

  std::string table_;
};

class DynamoDbIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Endpoint::Get().available()) GTEST_SKIP() << "AWS_ENDPOINT_URL_DYNAMODB is not set";
  }

  Endpoint& endpoint() { return Endpoint::Get(); }
  std::unique_ptr<DynamoDbCustomerStore> Customers(DynamoDbStoreOptions options = {}) {
    return std::make_unique<DynamoDbCustomerStore>(endpoint().client(), endpoint().table(),
                                                   std::move(options));
  }
  std::unique_ptr<DynamoDbSecretStore> Secrets() {
    return std::make_unique<DynamoDbSecretStore>(endpoint().client(), endpoint().table());
  }
  // A phone no other test of this run uses.
  static std::string Phone(int n) {
    static const int base = static_cast<int>(getpid() % 1000) * 10000;
    return Lead(base + n).phone;
  }
  static NewCustomer Customer(int n) {
    NewCustomer customer = Lead(0);
    customer.phone = Phone(n);
    return customer;
  }
};

TEST_F(DynamoDbIntegrationTest, TableIsInTheReferenceLayoutAndCreatingItAgainIsOk) {
  auto problems = dynamodb::CheckTable(endpoint().client(), endpoint().table());
  ASSERT_TRUE(problems.ok()) << problems.error().message;
  EXPECT_TRUE(problems->empty());
  auto again = dynamodb::CreateTable(endpoint().client(), endpoint().table());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->created);
  auto missing = dynamodb::CheckTable(endpoint().client(), "pcustomers_absent_table");
  ASSERT_TRUE(missing.ok()) << missing.error().message;
  EXPECT_EQ(*missing, std::vector<std::string>{"Table pcustomers_absent_table does not exist"});
}

TEST_F(DynamoDbIntegrationTest, CustomersRoundTripWithUniquePhones) {
  auto store = Customers();
  auto created = CreateNow(*store, Customer(1));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(*GetNow(*store, created->id), *created);

  auto taken = CreateNow(*store, Customer(1));
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().message, kPhoneTaken);
  EXPECT_EQ(taken.error().reasons, (std::vector<Reason>{{"phone", created->id}}));

  CustomerPatch patch;
  patch.phone = Phone(2);
  patch.full_name = "Ngô Ý";
  auto updated = UpdateNow(*store, created->id, patch);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->phone, Phone(2));
  EXPECT_EQ((*FindByPhoneNow(*store, Phone(2)))->id, created->id);
  EXPECT_FALSE(FindByPhoneNow(*store, Phone(1))->has_value());
  ASSERT_TRUE(CreateNow(*store, Customer(1)).ok());  // the old phone is free again

  CustomerPatch missing_patch;
  missing_patch.age = 20;
  EXPECT_EQ(UpdateNow(*store, "CUSTOMER#1", missing_patch).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(TrashNow(*store, created->id).ok());
  EXPECT_EQ(TrashNow(*store, created->id).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(FindByPhoneNow(*store, Phone(2))->has_value());
  EXPECT_TRUE(Await<Ok>([&](Done<Ok> done) { store->CheckReady(done); }).ok());
}

TEST_F(DynamoDbIntegrationTest, ReferenceItemsReadBackAndTakenIdsAreSkipped) {
  // A clock of our own so that the ids are known in advance; taken by "another process".
  const int64_t millis = 1'500'000'000'000 + getpid() % 100000;
  DynamoDbStoreOptions options;
  options.clock = [millis] { return millis; };
  for (int i = 0; i < 3; ++i) {
    dynamodb::Request put;
    put.table = endpoint().table();
    put.item = Item{{"type", AttributeValue::S("potential_customer")},
                    {"id", AttributeValue::S(FormatCustomerId(millis * kIdsPerMilli + i))},
                    {"fullName", AttributeValue::S("Nguyen Anh Tuan")},
                    {"phone", AttributeValue::NumberText(Phone(10 + i).substr(1))},
                    {"age", AttributeValue::NumberText("30")},
                    {"productCode", AttributeValue::S("household_tool")},
                    {"createAt", AttributeValue::S("2017-07-14T02:40:00.000000")}};
    ASSERT_TRUE(endpoint().Call("PutItem", put).ok());
  }
  auto store = Customers(options);
  auto read = GetNow(*store, FormatCustomerId(millis * kIdsPerMilli));
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->phone, Phone(10));  // the leading zero restored
  auto created = CreateNow(*store, Customer(20));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_GT(*CustomerIdValue(created->id), millis * kIdsPerMilli + 2);
  EXPECT_EQ(*CustomerIdValue(created->id) / kIdsPerMilli, millis);
  EXPECT_EQ(GetNow(*store, FormatCustomerId(millis * kIdsPerMilli + 2))->full_name,
            "Nguyen Anh Tuan");

  auto report = BackfillPhoneClaims(endpoint().client(), endpoint().table());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->problems.empty());
  auto duplicate = CreateNow(*store, Customer(10));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
}

TEST_F(DynamoDbIntegrationTest, ListingPagesVisitEveryCustomerOnce) {
  auto store = Customers();
  std::set<std::string> before;
  std::optional<std::string> after;
  do {
    auto page = ListNow(*store, {after, 100});
    ASSERT_TRUE(page.ok()) << page.error().message;
    for (const auto& customer : page->items) before.insert(customer.id);
    after = page->last_id;
  } while (after);
  for (int i = 0; i < 23; ++i) ASSERT_TRUE(CreateNow(*store, Customer(100 + i)).ok());
  std::vector<std::string> seen;
  do {
    auto page = ListNow(*store, {after, 7});
    ASSERT_TRUE(page.ok()) << page.error().message;
    if (page->last_id) {
      EXPECT_EQ(page->items.size(), 7u);
    }
    for (const auto& customer : page->items) seen.push_back(customer.id);
    after = page->last_id;
  } while (after);
  EXPECT_EQ(seen.size(), before.size() + 23);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST_F(DynamoDbIntegrationTest, SecretsAreSharedAndStoredAsBinary) {
  auto first = Secrets()->LoadOrCreateSecret("cursor");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->size(), 32u);
  EXPECT_EQ(*Secrets()->LoadOrCreateSecret("cursor"), *first);
}

TEST_F(DynamoDbIntegrationTest, UserStoreRotatesRevokesAndCounts) {
  DynamoDbUserStore users(endpoint().client(), endpoint().table());
  const int64_t now = 1'800'000'000;
  auto user = [&](std::string name) {
    return User{
        std::move(name), "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "admin", "sales", false, now};
  };
  auto token = [&](std::string hash, std::string family) {
    return RefreshTokenRecord{std::move(hash), std::move(family), "alice", now, now + 3600};
  };
  auto rotate = [&](std::string presented, std::string next) {
    return Await<RefreshTokenRecord>([&](Done<RefreshTokenRecord> done) {
      users.RotateRefreshToken(presented, token(next, "x"), now + 1, done);
    });
  };
  ASSERT_TRUE(Await<Ok>([&](Done<Ok> done) { users.CreateUser(user("Alice"), done); }).ok());
  ASSERT_TRUE(Await<Ok>([&](Done<Ok> done) { users.CreateUser(user("bob"), done); }).ok());
  auto again = Await<Ok>([&](Done<Ok> done) { users.CreateUser(user("ALICE"), done); });
  EXPECT_EQ(again.error().reasons, (std::vector<Reason>{{"username", "Alice"}}));
  EXPECT_EQ(*Await<int64_t>([&](Done<int64_t> done) { users.CountUsers(done); }), 2);
  EXPECT_EQ(Await<std::vector<User>>([&](Done<std::vector<User>> done) { users.ListUsers(done); })
                ->front()
                .username,
            "Alice");

  ASSERT_TRUE(
      Await<Ok>([&](Done<Ok> done) { users.SaveRefreshToken(token("A", "f1"), done); }).ok());
  ASSERT_TRUE(
      Await<Ok>([&](Done<Ok> done) { users.SaveRefreshToken(token("X", "f2"), done); }).ok());
  auto rotated = rotate("A", "B");
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_EQ(rotated->username, "Alice");
  EXPECT_EQ(rotate("A", "C").error().message, "Refresh token reuse detected; sign in again");
  EXPECT_EQ(rotate("B", "D").error().message, "Refresh token is invalid or expired");
  ASSERT_TRUE(rotate("X", "Y").ok());
  ASSERT_TRUE(Await<Ok>([&](Done<Ok> done) { users.RevokeUserTokens("ALICE", done); }).ok());
  EXPECT_EQ(rotate("Y", "Z").error().message, "Refresh token is invalid or expired");
}

}  // namespace
}  // namespace pcustomer
