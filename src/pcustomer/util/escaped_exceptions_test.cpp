#include "pcustomer/util/escaped_exceptions.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace pcustomer {
namespace {

TEST(EscapedExceptionsTest, EachReportIsCountedWhateverItHolds) {
  const uint64_t before = EscapedExceptionCount();
  RecordEscapedException("test", std::make_exception_ptr(std::runtime_error("boom")));
  RecordEscapedException("test", std::make_exception_ptr(42));
  RecordEscapedException("test", nullptr);
  EXPECT_EQ(EscapedExceptionCount(), before + 3);
}

}  // namespace
}  // namespace pcustomer
