#include "pcustomer/api/url.hpp"

#include <gtest/gtest.h>

namespace pcustomer {
namespace {

TEST(PercentDecode, DecodesEscapes) {
  EXPECT_EQ(PercentDecode("CUSTOMER%23123"), "CUSTOMER#123");
  EXPECT_EQ(PercentDecode("a%2fb%2F"), "a/b/");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
}

TEST(PercentDecode, RefusesMalformedEscapesAndNul) {
  for (const char* bad : {"%", "%2", "%zz", "a%g1", "%00"}) {
    EXPECT_FALSE(PercentDecode(bad).has_value()) << bad;
  }
}

TEST(PercentEncodePathSegment, EncodesReservedCharacters) {
  EXPECT_EQ(PercentEncodePathSegment("CUSTOMER#1"), "CUSTOMER%231");
  EXPECT_EQ(PercentEncodePathSegment("a b/c"), "a%20b%2Fc");
}

TEST(ParseQuery, SplitsAndDecodes) {
  auto params = ParseQuery("limit=7&startKey=a%2Eb&&flag&x=1+2");
  ASSERT_TRUE(params.has_value());
  ASSERT_EQ(params->size(), 4u);
  EXPECT_EQ((*params)[0], (std::pair<std::string, std::string>{"limit", "7"}));
  EXPECT_EQ((*params)[1], (std::pair<std::string, std::string>{"startKey", "a.b"}));
  EXPECT_EQ((*params)[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ((*params)[3], (std::pair<std::string, std::string>{"x", "1 2"}));
  EXPECT_FALSE(ParseQuery("limit=%zz").has_value());
}

}  // namespace
}  // namespace pcustomer
