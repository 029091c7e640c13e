#include "pcustomer/util/clock.hpp"

#include <gtest/gtest.h>

namespace pcustomer {
namespace {

TEST(ClockTest, ParseIsoMillisInvertsFormatIsoMillis) {
  for (int64_t millis : {int64_t{0}, int64_t{999}, int64_t{951'782'400'000} /* 2000-02-29 */,
                         int64_t{1'795'000'000'015}, int64_t{253'402'300'799'999}}) {
    EXPECT_EQ(ParseIsoMillis(FormatIsoMillis(millis)), millis) << FormatIsoMillis(millis);
  }
}

TEST(ClockTest, ParseIsoMillisRefusesEveryOtherShape) {
  for (const char* text :
       {"", "2026-12-01", "2026-12-01T08:30:00Z", "2026-12-01T08:30:00.0000Z",
        "2026-02-30T00:00:00.000Z", "2026-12-01T24:00:00.000Z", "2026-12-01T08:60:00.000Z",
        "2026-12-01 08:30:00.000Z", "2026-12-01T08:30:00.000z", "-026-12-01T08:30:00.000Z",
        "1969-12-31T23:59:59.999Z", "2026-13-01T08:30:00.000Z"}) {
    EXPECT_EQ(ParseIsoMillis(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace pcustomer
