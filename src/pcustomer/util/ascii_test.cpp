#include "pcustomer/util/ascii.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace pcustomer {
namespace {

TEST(EqualsIgnoringCase, IgnoresAsciiCaseOnly) {
  EXPECT_TRUE(EqualsIgnoringCase("Transfer-Encoding", "transfer-encoding"));
  EXPECT_TRUE(EqualsIgnoringCase("", ""));
  EXPECT_FALSE(EqualsIgnoringCase("chunked", "chunke"));
  EXPECT_FALSE(EqualsIgnoringCase("chunked", "chunkee"));
  // Bytes outside A-Z are compared as they are: no locale, no UTF-8 folding.
  EXPECT_FALSE(EqualsIgnoringCase("\xC3\x89", "\xC3\xA9"));
  EXPECT_FALSE(EqualsIgnoringCase("@", "`"));
}

// The case that made Beast's iequals read past its arguments: a difference in case, with the
// text ending exactly where its heap block ends (the sanitizer build turns a read past it
// into a failure).
TEST(EqualsIgnoringCase, ReadsOnlyTheBytesOfItsArguments) {
  const std::string_view text = "httP://";
  auto block = std::make_unique<char[]>(text.size());
  std::copy(text.begin(), text.end(), block.get());
  std::string_view exact(block.get(), text.size());
  EXPECT_TRUE(EqualsIgnoringCase(exact, "http://"));
  EXPECT_TRUE(StartsWithIgnoringCase(exact, "HTTP://"));
  EXPECT_FALSE(StartsWithIgnoringCase(exact, "https://"));
}

}  // namespace
}  // namespace pcustomer
