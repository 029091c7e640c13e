#include "pcustomer/store/dynamodb/dynamodb_json.hpp"

#include <gtest/gtest.h>

#include "pcustomer/store/dynamodb/dynamodb_batch_get.hpp"
#include "pcustomer/store/dynamodb/dynamodb_transact.hpp"

namespace pcustomer::dynamodb {
namespace {

TEST(DynamoDbJsonTest, RequestsEscapeEveryValueAndNameEveryAttribute) {
  Request request;
  request.table = "pcustomers";
  request.item = Item{{"type", AttributeValue::S("potential_customer")},
                      {"id", AttributeValue::S("CUSTOMER#1")},
                      {"fullName", AttributeValue::S("Ng\xc3\xb4 \"\\\n\x01")},
                      {"age", AttributeValue::N(30)},
                      {"disabled", AttributeValue::Bool(false)},
                      {"value", AttributeValue::B(std::string("\x00\xff", 2))}};
  request.condition = "attribute_not_exists(" + request.Name("id") + ")";
  EXPECT_EQ(ToJson(request),
            R"({"TableName":"pcustomers","Item":{"age":{"N":"30"},"disabled":{"BOOL":false},)"
            R"("fullName":{"S":"Ngô \"\\\n\u0001"},"id":{"S":"CUSTOMER#1"},)"
            R"("type":{"S":"potential_customer"},"value":{"B":"AP8="}},)"
            R"j("ConditionExpression":"attribute_not_exists(#id)",)j"
            R"("ExpressionAttributeNames":{"#id":"id"}})");
}

TEST(DynamoDbJsonTest, RequestsRoundTrip) {
  Request request;
  request.table = "t";
  request.key_condition = "#type = :pk AND begins_with(#id, :prefix)";
  request.Name("type");
  request.Name("id");
  request.Value("pk", AttributeValue::S("potential_customer"));
  request.Value("prefix", AttributeValue::S("CUSTOMER#"));
  request.consistent_read = true;
  request.limit = 8;
  request.exclusive_start_key =
      Item{{"type", AttributeValue::S("potential_customer")}, {"id", AttributeValue::S("C")}};
  request.scan_index_forward = false;
  request.select = "COUNT";
  request.index_name = "by_name";
  EXPECT_NE(ToJson(request).find(R"("TableName":"t","IndexName":"by_name",)"), std::string::npos);
  auto parsed = ParseRequest(ToJson(request));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, request);
  EXPECT_FALSE(ParseRequest(R"({"TableName":"t","Unknown":1})").ok());
  EXPECT_FALSE(ParseRequest("[").ok());
}

TEST(DynamoDbJsonTest, ResponsesKeepKindsTheyDoNotModel) {
  auto response = ParseResponse(
      R"({"Items":[{"id":{"S":"a"},"tags":{"L":[{"S":"x"}]},"n":{"N":"12.0"},"z":{"NULL":true}}],)"
      R"("Count":1,"ScannedCount":3,"LastEvaluatedKey":{"id":{"S":"a"}},)"
      R"("ConsumedCapacity":{"CapacityUnits":0.5}})");
  ASSERT_TRUE(response.ok()) << response.error().message;
  ASSERT_TRUE(response->items.has_value());
  const Item& item = response->items->front();
  EXPECT_EQ(item.at("tags").type, AttributeValue::Type::kOther);
  EXPECT_EQ(item.at("tags").text, R"({"L":[{"S":"x"}]})");
  EXPECT_EQ(IntegerAttribute(item, "n"), 12);
  EXPECT_EQ(item.at("z").type, AttributeValue::Type::kNull);
  EXPECT_EQ(response->count, 1);
  EXPECT_EQ(response->scanned_count, 3);
  EXPECT_EQ(StringAttribute(*response->last_evaluated_key, "id"), "a");
  auto again = ParseResponse(ToJson(*response));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *response);

  for (const char* bad :
       {"", "[]", R"({"Item":{"a":{}}})", R"({"Items":{}})", R"({"Item":{"b":{"B":"***"}}})"}) {
    auto failed = ParseResponse(bad);
    ASSERT_FALSE(failed.ok()) << bad;
    EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  }
}

TEST(DynamoDbJsonTest, NumbersAndBooleansReadOnlyWhenTheyAreWhatIsAsked) {
  Item item{{"a", AttributeValue::NumberText("30")}, {"b", AttributeValue::NumberText("30.5")},
            {"c", AttributeValue::S("30")},          {"d", AttributeValue::NumberText("1e3")},
            {"e", AttributeValue::Bool(true)},       {"f", AttributeValue::NumberText("-7.00")}};
  EXPECT_EQ(IntegerAttribute(item, "a"), 30);
  EXPECT_EQ(IntegerAttribute(item, "b"), std::nullopt);
  EXPECT_EQ(IntegerAttribute(item, "c"), std::nullopt);
  EXPECT_EQ(IntegerAttribute(item, "d"), std::nullopt);
  EXPECT_EQ(IntegerAttribute(item, "f"), -7);
  EXPECT_EQ(IntegerAttribute(item, "missing"), std::nullopt);
  EXPECT_EQ(BoolAttribute(item, "e"), true);
  EXPECT_EQ(BoolAttribute(item, "a"), std::nullopt);
  EXPECT_EQ(StringAttribute(item, "c"), "30");
  EXPECT_EQ(StringAttribute(item, "a"), std::nullopt);
}

TransactWriteRequest SampleTransaction() {
  TransactWriteRequest transaction;
  TransactItem put{TransactAction::kPut, {}};
  put.request.table = "t";
  put.request.item = Item{{"type", AttributeValue::S("potential_customer_word#a")},
                          {"id", AttributeValue::S("an#CUSTOMER#1")}};
  put.request.condition = "attribute_not_exists(" + put.request.Name("id") + ")";
  TransactItem update{TransactAction::kUpdate, {}};
  update.request.table = "t";
  update.request.key = Item{{"type", AttributeValue::S("potential_customer")},
                            {"id", AttributeValue::S("CUSTOMER#1")}};
  update.request.update = "SET " + update.request.Name("age") + " = " +
                          update.request.Value("age", AttributeValue::N(30));
  update.request.condition = "attribute_exists(" + update.request.Name("id") + ")";
  TransactItem remove{TransactAction::kDelete, {}};
  remove.request.table = "t";
  remove.request.key = Item{{"type", AttributeValue::S("potential_customer_phone")},
                            {"id", AttributeValue::S("PHONE#0912345678")}};
  TransactItem check{TransactAction::kConditionCheck, {}};
  check.request.table = "t";
  check.request.key = remove.request.key;
  check.request.condition = check.request.Name("customerId") + " = " +
                            check.request.Value("owner", AttributeValue::S("CUSTOMER#1"));
  transaction.items = {put, update, remove, check};
  transaction.client_request_token = "token-1";
  return transaction;
}

TEST(DynamoDbJsonTest, TransactWriteItemsWireForm) {
  const TransactWriteRequest transaction = SampleTransaction();
  EXPECT_EQ(
      ToJson(transaction),
      R"({"TransactItems":[)"
      R"({"Put":{"TableName":"t","Item":{"id":{"S":"an#CUSTOMER#1"},)"
      R"("type":{"S":"potential_customer_word#a"}},)"
      R"j("ConditionExpression":"attribute_not_exists(#id)","ExpressionAttributeNames":{"#id":"id"}}},)j"
      R"({"Update":{"TableName":"t","Key":{"id":{"S":"CUSTOMER#1"},"type":{"S":"potential_customer"}},)"
      R"j("ConditionExpression":"attribute_exists(#id)","UpdateExpression":"SET #age = :age",)j"
      R"("ExpressionAttributeNames":{"#age":"age","#id":"id"},)"
      R"("ExpressionAttributeValues":{":age":{"N":"30"}}}},)"
      R"({"Delete":{"TableName":"t","Key":{"id":{"S":"PHONE#0912345678"},)"
      R"("type":{"S":"potential_customer_phone"}}}},)"
      R"({"ConditionCheck":{"TableName":"t","Key":{"id":{"S":"PHONE#0912345678"},)"
      R"("type":{"S":"potential_customer_phone"}},"ConditionExpression":"#customerId = :owner",)"
      R"("ExpressionAttributeNames":{"#customerId":"customerId"},)"
      R"("ExpressionAttributeValues":{":owner":{"S":"CUSTOMER#1"}}}}],)"
      R"("ClientRequestToken":"token-1"})");
  auto parsed = ParseTransactWriteRequest(ToJson(transaction));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, transaction);

  for (const char* bad : {"[]", R"({"TransactItems":{}})", R"({"TransactItems":[{"Scan":{}}]})",
                          R"({"TransactItems":[{"Put":{"Key":{}}}]})",
                          R"({"TransactItems":[{"Delete":{"UpdateExpression":"SET"}}]})",
                          R"({"TransactItems":[{"Put":{},"Delete":{}}]})",
                          R"({"TransactItems":[],"ReturnConsumedCapacity":"TOTAL"})"}) {
    EXPECT_FALSE(ParseTransactWriteRequest(bad).ok()) << bad;
  }
}

TEST(DynamoDbJsonTest, BatchGetItemWireFormAndRoundTrips) {
  BatchGetRequest request;
  KeysAndAttributes& read = request.tables["t"];
  read.keys = {Item{{"type", AttributeValue::S("potential_customer")},
                    {"id", AttributeValue::S("CUSTOMER#1")}},
               Item{{"type", AttributeValue::S("potential_customer")},
                    {"id", AttributeValue::S("CUSTOMER#2")}}};
  read.consistent_read = true;
  read.projection = read.Name("id") + ", " + read.Name("fullName");
  EXPECT_EQ(ToJson(request),
            R"({"RequestItems":{"t":{"Keys":[)"
            R"({"id":{"S":"CUSTOMER#1"},"type":{"S":"potential_customer"}},)"
            R"({"id":{"S":"CUSTOMER#2"},"type":{"S":"potential_customer"}}],)"
            R"("ConsistentRead":true,"ProjectionExpression":"#id, #fullName",)"
            R"("ExpressionAttributeNames":{"#fullName":"fullName","#id":"id"}}}})");
  auto parsed = ParseBatchGetRequest(ToJson(request));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, request);
  EXPECT_FALSE(ParseBatchGetRequest(R"({"RequestItems":{"t":{"Keys":[],"Limit":1}}})").ok());
  EXPECT_FALSE(ParseBatchGetRequest(R"({"Other":{}})").ok());

  auto response =
      ParseBatchGetResponse(R"({"Responses":{"t":[{"id":{"S":"CUSTOMER#1"},"age":{"N":"30"}}]},)"
                            R"("UnprocessedKeys":{"t":{"Keys":[{"id":{"S":"CUSTOMER#2"},)"
                            R"("type":{"S":"potential_customer"}}],"ConsistentRead":true}},)"
                            R"("ConsumedCapacity":[{"TableName":"t","CapacityUnits":1}]})");
  ASSERT_TRUE(response.ok()) << response.error().message;
  ASSERT_EQ(response->responses.at("t").size(), 1u);
  EXPECT_EQ(IntegerAttribute(response->responses.at("t")[0], "age"), 30);
  const KeysAndAttributes& left = response->unprocessed_keys.at("t");
  EXPECT_TRUE(left.consistent_read);
  ASSERT_EQ(left.keys.size(), 1u);
  EXPECT_EQ(StringAttribute(left.keys[0], "id"), "CUSTOMER#2");
  auto again = ParseBatchGetResponse(ToJson(*response));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *response);
  auto empty = ParseBatchGetResponse(R"({"Responses":{},"UnprocessedKeys":{}})");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->responses.empty());
  EXPECT_TRUE(empty->unprocessed_keys.empty());
  for (const char* bad : {"[", R"({"Responses":[]})", R"({"Responses":{"t":{}}})",
                          R"({"UnprocessedKeys":{"t":{"Keys":{}}}})"}) {
    auto failed = ParseBatchGetResponse(bad);
    ASSERT_FALSE(failed.ok()) << bad;
    EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  }
}

TEST(DynamoDbJsonTest, Base64IsTheStandardAlphabetWithPadding) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(Base64Decode("+/8="), "\xfb\xff");
  EXPECT_EQ(Base64Decode("Zm9vYg=="), "foob");
  EXPECT_EQ(Base64Decode("Zm9vYg"), std::nullopt);  // padding required
  EXPECT_EQ(Base64Decode("-_8="), std::nullopt);    // URL-safe alphabet
  EXPECT_EQ(Base64Decode("Zm9v===="), std::nullopt);
}

}  // namespace
}  // namespace pcustomer::dynamodb
