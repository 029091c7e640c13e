#include "pcustomer/store/dynamodb/dynamodb_table.hpp"

#include <gtest/gtest.h>

#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"
#include "pcustomer/store/dynamodb/testing/table_endpoints.hpp"

namespace pcustomer::dynamodb {
namespace {

using testing::FakeDynamoDb;

const std::string kMissingByName =
    "Table pcustomers has no global secondary index by_name (type HASH (S), nameKey RANGE (B), "
    "projection ALL): run pcustomer dynamodb migrate";
const std::string kMissingByAge =
    "Table pcustomers has no global secondary index by_age (type HASH (S), ageKey RANGE (S), "
    "projection ALL): run pcustomer dynamodb migrate";
const std::string kMissingByUpdated =
    "Table pcustomers has no global secondary index by_updated (type HASH (S), updatedKey RANGE "
    "(S), projection ALL): run pcustomer dynamodb migrate";

TableWaitOptions Fast() {
  TableWaitOptions options;
  options.poll_interval = std::chrono::milliseconds(1);
  options.timeout = std::chrono::milliseconds(5000);
  return options;
}

TEST(DynamoDbTableTest, CreateTableWaitsUntilActiveAndEnablesTimeToLive) {
  FakeDynamoDb fake("");
  fake.set_create_polls(3);
  auto setup = CreateTable(fake, "pcustomers", Fast());
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  EXPECT_TRUE(setup->created);
  EXPECT_TRUE(setup->notes.empty());
  EXPECT_EQ(fake.calls("DescribeTable"), 4);
  fake.WithTable("pcustomers", [](FakeDynamoDb::TableState& table) {
    EXPECT_EQ(table.status, "ACTIVE");
    EXPECT_EQ(table.key_schema, (std::vector<std::pair<std::string, std::string>>{
                                    {"type", "HASH"}, {"id", "RANGE"}}));
    EXPECT_EQ(
        table.attribute_types,
        (std::map<std::string, std::string>{
            {"type", "S"}, {"id", "S"}, {"nameKey", "B"}, {"ageKey", "S"}, {"updatedKey", "S"}}));
    EXPECT_EQ(table.ttl_attribute, "ttl");
    ASSERT_EQ(table.indexes.size(), 3u);
    EXPECT_EQ(table.indexes[0].name, "by_name");
    EXPECT_EQ(table.indexes[0].partition, "type");
    EXPECT_EQ(table.indexes[0].sort, "nameKey");
    EXPECT_EQ(table.indexes[0].sort_type, "B");
    EXPECT_EQ(table.indexes[1].name, "by_age");
    EXPECT_EQ(table.indexes[1].sort, "ageKey");
    EXPECT_EQ(table.indexes[1].sort_type, "S");
    EXPECT_EQ(table.indexes[1].status, "ACTIVE");
    EXPECT_EQ(table.indexes[2].name, "by_updated");
    EXPECT_EQ(table.indexes[2].sort, "updatedKey");
  });
  auto checked = CheckTable(fake, "pcustomers");
  ASSERT_TRUE(checked.ok());
  EXPECT_TRUE(checked->empty()) << checked->front();
}

TEST(DynamoDbTableTest, CreateTableOnAnExistingTableIsOkAndNotesMissingIndexes) {
  FakeDynamoDb fake("pcustomers");
  auto setup = CreateTable(fake, "pcustomers", Fast());
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  EXPECT_FALSE(setup->created);
  EXPECT_EQ(setup->notes,
            std::vector<std::string>{"Table pcustomers has no global secondary index by_name, "
                                     "by_age, by_updated: run pcustomer dynamodb migrate"});
}

TEST(DynamoDbTableTest, AnEndpointThatRefusesTheIndexesGetsTheTableWithoutThemAndANote) {
  FakeDynamoDb fake("");
  fake.Schedule("CreateTable", FakeDynamoDb::Fault::kFailBefore,
                DynamoDbCallError::Validation("GlobalSecondaryIndexes are not supported"));
  auto setup = CreateTable(fake, "pcustomers", Fast());
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  EXPECT_TRUE(setup->created);
  EXPECT_EQ(setup->notes,
            std::vector<std::string>{"The global secondary indexes could not be created "
                                     "(GlobalSecondaryIndexes are not supported): the table "
                                     "has none"});
  fake.WithTable("pcustomers",
                 [](FakeDynamoDb::TableState& table) { EXPECT_TRUE(table.indexes.empty()); });
}

TEST(DynamoDbTableTest, MigrateAddsEachMissingIndexInTurnAndWaitsUntilItIsActive) {
  FakeDynamoDb fake("pcustomers");
  fake.set_create_polls(2);
  auto migration = MigrateTable(fake, "pcustomers", Fast());
  ASSERT_TRUE(migration.ok()) << migration.error().message;
  EXPECT_EQ(migration->added, (std::vector<std::string>{"by_name", "by_age", "by_updated"}));
  EXPECT_EQ(fake.calls("UpdateTable"), 3);
  // One Describe before, then per index: two while CREATING and the one that sees it ACTIVE.
  EXPECT_EQ(fake.calls("DescribeTable"), 1 + 3 * 3);
  auto checked = CheckTable(fake, "pcustomers");
  ASSERT_TRUE(checked.ok());
  EXPECT_TRUE(checked->empty()) << checked->front();

  auto again = MigrateTable(fake, "pcustomers", Fast());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->added.empty());
  EXPECT_EQ(fake.calls("UpdateTable"), 3);
}

TEST(DynamoDbTableTest, MigrateWaitsForAnIndexStillBeingMadeAndAddsOnlyTheRest) {
  FakeDynamoDb fake("pcustomers");
  fake.AddIndex("by_name", "type", "nameKey", "B");
  fake.WithTable("pcustomers", [](FakeDynamoDb::TableState& table) {
    table.indexes[0].status = "CREATING";
    table.indexes[0].creating_polls = 2;
  });
  auto checked = CheckTable(fake, "pcustomers");
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(*checked, (std::vector<std::string>{"Index by_name of table pcustomers is CREATING, "
                                                "not ACTIVE",
                                                kMissingByAge, kMissingByUpdated}));
  auto migration = MigrateTable(fake, "pcustomers", Fast());
  ASSERT_TRUE(migration.ok()) << migration.error().message;
  EXPECT_EQ(migration->added, (std::vector<std::string>{"by_age", "by_updated"}));
}

TEST(DynamoDbTableTest, MigrateRefusesWhatItCannotRepair) {
  FakeDynamoDb fake("pcustomers");
  auto missing = MigrateTable(fake, "other", Fast());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(missing.error().message, "Table other does not exist");

  fake.AddIndex("by_age", "type", "ageKey", "B");
  auto other_layout = MigrateTable(fake, "pcustomers", Fast());
  ASSERT_FALSE(other_layout.ok());
  EXPECT_EQ(other_layout.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(other_layout.error().message,
            "Table pcustomers has index by_age as type HASH (S), ageKey RANGE (B), projection "
            "ALL; expected type HASH (S), ageKey RANGE (S), projection ALL");
  EXPECT_EQ(fake.calls("UpdateTable"), 0);
}

// dynalite answers UpdateTable's index creation with success and creates nothing.
class IgnoresUpdateTable final : public DynamoDbClient {
 public:
  explicit IgnoresUpdateTable(FakeDynamoDb& fake) : fake_(fake) {}
  void Call(std::string_view operation, std::string request_json, DynamoDbDone done) override {
    if (operation == "UpdateTable") {
      done(std::string(R"({"TableDescription":{}})"));
      return;
    }
    fake_.Call(operation, std::move(request_json), std::move(done));
  }

 private:
  FakeDynamoDb& fake_;
};

TEST(DynamoDbTableTest, MigrateFailsWhenTheEndpointDoesNotCreateTheIndex) {
  FakeDynamoDb fake("pcustomers");
  IgnoresUpdateTable endpoint(fake);
  auto migration = MigrateTable(endpoint, "pcustomers", Fast());
  ASSERT_FALSE(migration.ok());
  EXPECT_EQ(migration.error().code, ErrorCode::kBadRequest);
  EXPECT_NE(migration.error().message.find("did not create it"), std::string::npos)
      << migration.error().message;
}

TEST(DynamoDbTableTest, CreateTableGivesUpWhenTheTableStaysCreating) {
  FakeDynamoDb fake("");
  fake.set_create_polls(1'000'000);
  TableWaitOptions options = Fast();
  options.timeout = std::chrono::milliseconds(30);
  auto setup = CreateTable(fake, "pcustomers", options);
  ASSERT_FALSE(setup.ok());
  EXPECT_EQ(setup.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(setup.error().message.find("not ACTIVE"), std::string::npos);
}

TEST(DynamoDbTableTest, CreateTableRefusesAnExistingTableOfAnotherLayout) {
  FakeDynamoDb fake("pcustomers");
  fake.WithTable("pcustomers", [](FakeDynamoDb::TableState& table) {
    table.key_schema = {{"pk", "HASH"}, {"sk", "RANGE"}};
    table.attribute_types = {{"pk", "S"}, {"sk", "S"}};
  });
  auto setup = CreateTable(fake, "pcustomers", Fast());
  ASSERT_FALSE(setup.ok());
  EXPECT_EQ(setup.error().code, ErrorCode::kBadRequest);
  EXPECT_NE(setup.error().message.find("pk (HASH)"), std::string::npos) << setup.error().message;
}

TEST(DynamoDbTableTest, TimeToLiveTheEndpointLacksIsANote) {
  FakeDynamoDb fake("");
  fake.Schedule("UpdateTimeToLive", FakeDynamoDb::Fault::kFailBefore,
                DynamoDbCallError::UnknownOperation("UnknownOperationException"));
  auto setup = CreateTable(fake, "pcustomers", Fast());
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  ASSERT_EQ(setup->notes.size(), 1u);
  EXPECT_NE(setup->notes[0].find("expired refresh tokens are kept"), std::string::npos);

  fake.Schedule(
      "UpdateTimeToLive", FakeDynamoDb::Fault::kFailBefore,
      DynamoDbCallError::Validation("ValidationException: TimeToLive is already enabled"));
  setup = CreateTable(fake, "pcustomers", Fast());
  ASSERT_TRUE(setup.ok());
  EXPECT_TRUE(setup->notes.empty());
}

TEST(DynamoDbTableTest, CheckTableNamesEachProblem) {
  FakeDynamoDb fake("pcustomers");
  auto missing = CheckTable(fake, "other");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, std::vector<std::string>{"Table other does not exist"});

  fake.WithTable("pcustomers", [](FakeDynamoDb::TableState& table) {
    table.key_schema = {{"id", "HASH"}, {"type", "RANGE"}};
  });
  auto swapped = CheckTable(fake, "pcustomers");
  ASSERT_TRUE(swapped.ok());
  ASSERT_EQ(swapped->size(), 5u);
  EXPECT_EQ((*swapped)[0],
            "Table pcustomers has id (HASH) where the partition key type belongs; expected "
            "partition key type (S) and sort key id (S)");

  fake.WithTable("pcustomers", [](FakeDynamoDb::TableState& table) {
    table.key_schema = {{"type", "HASH"}};
    table.attribute_types = {{"type", "N"}};
    table.status = "UPDATING";
  });
  auto wrong = CheckTable(fake, "pcustomers");
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(*wrong, (std::vector<std::string>{
                        "Table pcustomers declares partition key type of type N; expected "
                        "partition key type (S) and sort key id (S)",
                        "Table pcustomers has no sort key; expected partition key type (S) and "
                        "sort key id (S)",
                        "Table pcustomers is UPDATING, not ACTIVE", kMissingByName, kMissingByAge,
                        kMissingByUpdated}));
}

TEST(DynamoDbTableTest, CheckTableReportsEndpointFailuresAsErrors) {
  FakeDynamoDb fake("pcustomers");
  fake.Schedule("DescribeTable", FakeDynamoDb::Fault::kFailBefore,
                DynamoDbCallError::Unavailable("DynamoDB unreachable: connection refused"));
  auto checked = CheckTable(fake, "pcustomers");
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().code, ErrorCode::kUnavailable);
  // Clients would read only that the store is unavailable; the operator reads the rest.
  EXPECT_NE(checked.error().Described().find("DynamoDB unreachable: connection refused"),
            std::string::npos)
      << checked.error().Described();
}

// The same cases on the fake and on DynamoDB Local: the fake's table operations answer as
// DynamoDB's do.
template <class Endpoint>
class DynamoDbTableContract : public ::testing::Test {
 public:
  void SetUp() override {
    ASSERT_TRUE(endpoint_.available()) << endpoint_.problem();
    table_ = endpoint_.NewTableName();
  }

 protected:
  Endpoint endpoint_;
  std::string table_;
};
TYPED_TEST_SUITE(DynamoDbTableContract, testing::Endpoints, testing::EndpointNames);

TYPED_TEST(DynamoDbTableContract, ANewTableHasEveryIndexAndCreatingItAgainIsOk) {
  auto setup = CreateTable(this->endpoint_.client(), this->table_, Fast());
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  EXPECT_TRUE(setup->created);
  auto checked = CheckTable(this->endpoint_.client(), this->table_);
  ASSERT_TRUE(checked.ok()) << checked.error().message;
  EXPECT_TRUE(checked->empty()) << checked->front();
  auto again = CreateTable(this->endpoint_.client(), this->table_, Fast());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->created);
  for (const std::string& note : again->notes) {
    EXPECT_EQ(note.find("global secondary index"), std::string::npos) << note;
  }
  auto migration = MigrateTable(this->endpoint_.client(), this->table_, Fast());
  ASSERT_TRUE(migration.ok()) << migration.error().message;
  EXPECT_TRUE(migration->added.empty());
}

TYPED_TEST(DynamoDbTableContract, MigrateGivesTheReferenceTableItsIndexes) {
  DynamoDbResult made =
      this->endpoint_.Call("CreateTable", testing::PlainTableRequest(this->table_));
  ASSERT_TRUE(made.ok()) << made.error().message;
  // Waits until the plain table is ACTIVE.
  auto setup = CreateTable(this->endpoint_.client(), this->table_, Fast());
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  EXPECT_FALSE(setup->created);
  ASSERT_FALSE(setup->notes.empty());
  EXPECT_EQ(setup->notes[0],
            "Table " + this->table_ +
                " has no global secondary index by_name, by_age, by_updated: run pcustomer "
                "dynamodb migrate");
  auto checked = CheckTable(this->endpoint_.client(), this->table_);
  ASSERT_TRUE(checked.ok()) << checked.error().message;
  EXPECT_EQ(checked->size(), 3u);

  auto migration = MigrateTable(this->endpoint_.client(), this->table_, Fast());
  ASSERT_TRUE(migration.ok()) << migration.error().message;
  EXPECT_EQ(migration->added, (std::vector<std::string>{"by_name", "by_age", "by_updated"}));
  checked = CheckTable(this->endpoint_.client(), this->table_);
  ASSERT_TRUE(checked.ok()) << checked.error().message;
  EXPECT_TRUE(checked->empty()) << checked->front();
}

}  // namespace
}  // namespace pcustomer::dynamodb
