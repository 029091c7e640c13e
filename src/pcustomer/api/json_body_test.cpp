#include "pcustomer/api/json_body.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "pcustomer/api/json_number.hpp"

namespace pcustomer {
namespace {

Status Parse(std::string_view body) {
  rapidjson::Document document;
  return ParseJsonBody(body, document);
}

TEST(JsonBody, AcceptsAnObjectWithTrailingWhiteSpace) {
  rapidjson::Document document;
  ASSERT_TRUE(ParseJsonBody("{\"fullName\":\"Nguyễn Văn An\",\"age\":30} \r\n\t", document));
  EXPECT_STREQ(document["fullName"].GetString(), "Nguyễn Văn An");
  EXPECT_EQ(document["age"].GetInt64(), 30);
}

TEST(JsonBody, RegressionNulByteEndedTheBody) {
  std::string body = "{\"age\":30}";
  body += '\0';
  body += "{garbage";
  Status parsed = Parse(body);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kBadRequest);
  EXPECT_FALSE(Parse(std::string("{\"a\":1}\0", 8)));
  EXPECT_FALSE(Parse(std::string("{\"a\":\0 1}", 9)));
  EXPECT_FALSE(Parse("{} {}"));
}

TEST(JsonBody, RegressionLoneSurrogateEscapesBecameRawBytes) {
  EXPECT_FALSE(Parse(R"({"\udfff": 1})"));
  EXPECT_FALSE(Parse(R"({"fullName": "\ud800"})"));
  EXPECT_FALSE(Parse(R"({"fullName": "a\udc00b"})"));
  // A proper pair is one character (U+1F600) and stays welcome.
  rapidjson::Document document;
  ASSERT_TRUE(ParseJsonBody(R"({"k\ud83d\ude00": 1})", document));
  EXPECT_TRUE(document.HasMember("k\xF0\x9F\x98\x80"));
}

TEST(JsonBody, RefusesRawInvalidUtf8) {
  EXPECT_FALSE(Parse("{\"a\": \"\xED\xBF\xBF\"}"));
  EXPECT_FALSE(Parse("{\"a\": \"\xC0\xAF\"}"));
}

TEST(JsonBody, KeepsDeepNestingOffTheStack) {
  std::string deep(100'000, '[');
  EXPECT_FALSE(Parse(deep));
  deep += std::string(100'000, ']');
  EXPECT_TRUE(Parse(deep));
}

TEST(JsonBody, RegressionTinyFractionsRoundedToWholeNumbers) {
  rapidjson::Document document;
  ASSERT_TRUE(ParseJsonBody(R"({"age": 17.9999999999999999})", document));
  ASSERT_TRUE(document["age"].IsDouble());
  EXPECT_NE(document["age"].GetDouble(), 18.0);
  EXPECT_NE(std::trunc(document["age"].GetDouble()), document["age"].GetDouble());
}

TEST(JsonNumber, WholeNumbersInAnySpelling) {
  for (std::string_view text : {"18", "18.0", "18.000", "1.8e1", "1.8E+1", "180e-1", "0.18e2"}) {
    JsonNumber number = ReadJsonNumber(text);
    EXPECT_TRUE(number.is_integer) << text;
    EXPECT_EQ(number.integer, 18) << text;
  }
  EXPECT_TRUE(ReadJsonNumber("-0").is_integer);
  EXPECT_EQ(ReadJsonNumber("-0.0e5").integer, 0);
  EXPECT_EQ(ReadJsonNumber("-9223372036854775808").integer, INT64_MIN);
  EXPECT_EQ(ReadJsonNumber("9223372036854775807").integer, INT64_MAX);
}

TEST(JsonNumber, WholeNumbersPastInt64AreDoubles) {
  JsonNumber number = ReadJsonNumber("9223372036854775808");
  EXPECT_FALSE(number.is_integer);
  EXPECT_EQ(number.value, 9223372036854775808.0);
  EXPECT_FALSE(ReadJsonNumber("1e400").is_integer);
  EXPECT_FALSE(ReadJsonNumber("1e999999999999999999999").is_integer);
}

TEST(JsonNumber, AnyFractionStaysAFraction) {
  for (std::string_view text : {"17.9999999999999999", "18.0000000000000001", "18.5", "1e-400",
                                "-1e-400", "1.85e1", "0.1", "123456789012345678901.5"}) {
    JsonNumber number = ReadJsonNumber(text);
    EXPECT_FALSE(number.is_integer) << text;
    if (std::abs(number.value) < 1e15) {
      EXPECT_NE(std::trunc(number.value), number.value) << text;
    }
  }
}

}  // namespace
}  // namespace pcustomer
