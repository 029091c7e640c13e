#include "pcustomer/api/entity_tags.hpp"

#include <gtest/gtest.h>

namespace pcustomer {
namespace {

TEST(EntityTagsTest, IfMatchNamesTheVersionAWriteMustFind) {
  EXPECT_EQ(*ExpectedVersionOf(""), std::nullopt);
  EXPECT_EQ(*ExpectedVersionOf("*"), std::nullopt);
  EXPECT_EQ(*ExpectedVersionOf("\"7\""), 7);
  EXPECT_EQ(*ExpectedVersionOf("  \"7\" "), 7);
  EXPECT_EQ(*ExpectedVersionOf("\"7\", \"7\""), 7);
  EXPECT_EQ(*ExpectedVersionOf(", \"12\" ,"), 12);
  // Valid tags this service never issues, and weak tags (If-Match compares strongly), match
  // no version: the write is refused with the current one.
  for (const char* never : {"\"abc\"", "W/\"7\"", "\"07\"", "\"0\"", "\"-1\"", "\"\"",
                            "\"99999999999999999999\"", "\"a,b\""}) {
    EXPECT_EQ(*ExpectedVersionOf(never), 0) << never;
  }
  EXPECT_EQ(*ExpectedVersionOf("\"abc\", \"3\""), 3);
}

TEST(EntityTagsTest, IfMatchOfBadSyntaxOrTwoVersionsIsABadRequest) {
  for (const char* bad : {"7", "\"7", "7\"", "W/7", "\"7\" \"8\"", "*, \"7\"", ",", "\"a\"b\"",
                          "\"\x7f\"", "\"a b\"", "w/\"7\""}) {
    auto expected = ExpectedVersionOf(bad);
    ASSERT_FALSE(expected.ok()) << bad;
    EXPECT_EQ(expected.error().code, ErrorCode::kBadRequest);
    EXPECT_EQ(expected.error().reasons[0].source, "If-Match");
  }
  auto two = ExpectedVersionOf("\"7\", \"8\"");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().message, "If-Match must name one version");
}

TEST(EntityTagsTest, IfNoneMatchComparesWeakly) {
  EXPECT_TRUE(NoneMatchHolds("\"3\"", 3));
  EXPECT_TRUE(NoneMatchHolds("W/\"3\"", 3));
  EXPECT_TRUE(NoneMatchHolds("\"1\", \"3\"", 3));
  EXPECT_TRUE(NoneMatchHolds("*", 3));
  EXPECT_FALSE(NoneMatchHolds("\"4\"", 3));
  EXPECT_FALSE(NoneMatchHolds("", 3));
  EXPECT_FALSE(NoneMatchHolds("3", 3));  // bad syntax: ignored, the lead is sent
}

}  // namespace
}  // namespace pcustomer
