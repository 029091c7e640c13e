#include "pcustomer/util/utf8.hpp"

#include <gtest/gtest.h>

namespace pcustomer {
namespace {

TEST(Utf8, AcceptsVietnameseAndEveryPlane) {
  EXPECT_TRUE(IsWellFormedUtf8(""));
  EXPECT_TRUE(IsWellFormedUtf8("Nguyễn Văn Đặng"));
  EXPECT_TRUE(IsWellFormedUtf8("\xF0\x9F\x98\x80"));           // U+1F600
  EXPECT_TRUE(IsWellFormedUtf8("\xF4\x8F\xBF\xBF"));           // U+10FFFF
  EXPECT_TRUE(IsWellFormedUtf8("\xED\x9F\xBF"));               // U+D7FF, just below the surrogates
  EXPECT_TRUE(IsWellFormedUtf8(std::string_view("a\0b", 3)));  // NUL is a character
}

TEST(Utf8, RefusesSurrogatesOverlongFormsAndTruncation) {
  EXPECT_FALSE(IsWellFormedUtf8("\xED\xBF\xBF"));      // U+DFFF, a lone low surrogate
  EXPECT_FALSE(IsWellFormedUtf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(IsWellFormedUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsWellFormedUtf8("\xE0\x80\xAF"));      // overlong '/'
  EXPECT_FALSE(IsWellFormedUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsWellFormedUtf8("\xE1\xBB"));          // cut short
  EXPECT_FALSE(IsWellFormedUtf8("\x80"));
  EXPECT_FALSE(IsWellFormedUtf8("\xFF"));
}

TEST(Utf8, ReplacesEachIllFormedByteAndKeepsTheRest) {
  EXPECT_EQ(ToWellFormedUtf8("Lê"), "Lê");
  EXPECT_EQ(ToWellFormedUtf8("a\xED\xBF\xBFz"), "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz");
  EXPECT_TRUE(IsWellFormedUtf8(ToWellFormedUtf8("\xE1\xBB")));
}

}  // namespace
}  // namespace pcustomer
