#include "pcustomer/store/dynamodb/dynamodb_table.hpp"

#include <gtest/gtest.h>

#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"

namespace pcustomer::dynamodb {
namespace {

using testing::FakeDynamoDb;

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
    EXPECT_EQ(table.attribute_types,
              (std::map<std::string, std::string>{{"type", "S"}, {"id", "S"}}));
    EXPECT_EQ(table.ttl_attribute, "ttl");
  });
  auto checked = CheckTable(fake, "pcustomers");
  ASSERT_TRUE(checked.ok());
  EXPECT_TRUE(checked->empty());
}

TEST(DynamoDbTableTest, CreateTableOnAnExistingTableIsOk) {
  FakeDynamoDb fake("pcustomers");
  auto setup = CreateTable(fake, "pcustomers", Fast());
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  EXPECT_FALSE(setup->created);
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
                DynamoDbCallError::Validation("UnknownOperationException"));
  auto setup = CreateTable(fake, "pcustomers", Fast());
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  ASSERT_EQ(setup->notes.size(), 1u);
  EXPECT_NE(setup->notes[0].find("expired refresh tokens are kept"), std::string::npos);

  fake.Schedule("UpdateTimeToLive", FakeDynamoDb::Fault::kFailBefore,
                DynamoDbCallError::Validation(
                    "ValidationException: TimeToLive is already enabled"));
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
  ASSERT_EQ(swapped->size(), 2u);
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
                        "Table pcustomers is UPDATING, not ACTIVE"}));
}

TEST(DynamoDbTableTest, CheckTableReportsEndpointFailuresAsErrors) {
  FakeDynamoDb fake("pcustomers");
  fake.Schedule("DescribeTable", FakeDynamoDb::Fault::kFailBefore,
                DynamoDbCallError::Unavailable("DynamoDB unreachable: connection refused"));
  auto checked = CheckTable(fake, "pcustomers");
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().code, ErrorCode::kUnavailable);
  // Clients would read only that the store is unavailable; the operator reads the rest.
  EXPECT_NE(checked.error().Described().find("DynamoDB unreachable: connection refused"), std::string::npos)
      << checked.error().Described();
}

}  // namespace
}  // namespace pcustomer::dynamodb
