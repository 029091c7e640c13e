#include "pcustomer/store/dynamodb/dynamodb_json.hpp"

#include <gtest/gtest.h>

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
