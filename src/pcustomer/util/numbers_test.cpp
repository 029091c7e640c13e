#include "pcustomer/util/numbers.hpp"

#include <gtest/gtest.h>

namespace pcustomer {
namespace {

TEST(ParseIntegerInRange, AcceptsWholeDecimalsInRange) {
  EXPECT_EQ(ParseIntegerInRange("1", 1, 100), 1);
  EXPECT_EQ(ParseIntegerInRange("100", 1, 100), 100);
  EXPECT_EQ(ParseIntegerInRange("0", 0, 65535), 0);
  EXPECT_EQ(ParseIntegerInRange("443", 1u, 65535u), 443u);
}

TEST(ParseIntegerInRange, RefusesEverythingElse) {
  for (const char* text :
       {"", "0", "101", "-1", "1.5", "abc", " 5", "5 ", "1e2", "+5", "99999999999999999999"}) {
    EXPECT_FALSE(ParseIntegerInRange(text, 1, 100).has_value()) << text;
  }
  EXPECT_FALSE(ParseIntegerInRange("-1", 0u, 10u).has_value());
}

}  // namespace
}  // namespace pcustomer
