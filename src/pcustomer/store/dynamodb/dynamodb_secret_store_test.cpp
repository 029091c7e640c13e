#include "pcustomer/store/dynamodb/dynamodb_secret_store.hpp"

#include <gtest/gtest.h>

#include <string>

#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"
#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"

namespace pcustomer {
namespace {

using dynamodb::AttributeValue;
using dynamodb::testing::FakeDynamoDb;

// What only the DynamoDB layout has to get right; the shared contract is in
// secret_store_contract_test.cpp.
class DynamoDbSecretStoreTest : public ::testing::Test {
 protected:
  FakeDynamoDb fake_;
  DynamoDbSecretStore secrets_{fake_, "pcustomers"};
};

TEST_F(DynamoDbSecretStoreTest, SecretsAreBinaryItemsOfTheSecretPartition) {
  auto first = secrets_.LoadOrCreateSecret("cursor");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->size(), 32u);
  auto again = DynamoDbSecretStore(fake_, "pcustomers").LoadOrCreateSecret("cursor");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *first);
  auto other = secrets_.LoadOrCreateSecret("other");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, *first);
  auto stored = fake_.GetRaw(kSecretType, "cursor");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->at("value"), AttributeValue::B(*first));
}

TEST_F(DynamoDbSecretStoreTest, AFailedWriteIsUnavailable) {
  fake_.Schedule("PutItem", FakeDynamoDb::Fault::kFailBefore);
  auto down = secrets_.LoadOrCreateSecret("third");
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable);
}

TEST_F(DynamoDbSecretStoreTest, RetriedPutWhoseFirstAttemptLandedAnswersTheStoredSecret) {
  // The first attempt is applied but its answer lost; the retry fails attribute_not_exists.
  fake_.Schedule("PutItem", FakeDynamoDb::Fault::kReplay);
  auto secret = secrets_.LoadOrCreateSecret("cursor");
  ASSERT_TRUE(secret.ok()) << secret.error().message;
  EXPECT_EQ(fake_.GetRaw(kSecretType, "cursor")->at("value"), AttributeValue::B(*secret));
}

TEST_F(DynamoDbSecretStoreTest, AValueOfAnotherFormIsInternal) {
  fake_.PutRaw({{"type", AttributeValue::S(kSecretType)},
                {"id", AttributeValue::S("cursor")},
                {"value", AttributeValue::B("too short")}});
  auto secret = secrets_.LoadOrCreateSecret("cursor");
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace pcustomer
