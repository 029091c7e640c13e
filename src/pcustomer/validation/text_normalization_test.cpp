#include "pcustomer/validation/text_normalization.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace pcustomer {
namespace {

struct TextCase {
  std::string input;
  std::optional<std::string> expected;  // none = refused
};

void PrintTo(const TextCase& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class InputText : public ::testing::TestWithParam<TextCase> {};

TEST_P(InputText, MatchesTable) {
  EXPECT_EQ(NormalizeInputText(GetParam().input), GetParam().expected);
}

const std::vector<TextCase> kTextCases = {
    {"", ""},
    {"abc", "abc"},
    {"  a b  ", "a b"},
    {"\t\r\n\v\f a \t", "a"},
    {"\u00a0a\u00a0", "a"},
    {"\u3000a\u3000", "a"},
    {"\u2000\u200a\u2028\u2029\u202f\u205f\u0085a\u1680", "a"},
    {"\u00a0\u3000 ", ""},
    {"a\u00a0\u3000b", "a\u00a0\u3000b"},  // inner white space is kept
    {"\u200ba\u200b", "\u200ba\u200b"},    // ZERO WIDTH SPACE is not white space
    {"e\u0302\u0303", "\u1ec5"},           // ễ
    {"A\u030a", "\u00c5"},
    {"\u212b", "\u00c5"},  // ANGSTROM SIGN has a singleton decomposition
    {"\uff21", "\uff21"},  // compatibility forms are left alone: this is NFC, not NFKC
    {" e\u0301 ", "\u00e9"},
    {"\xff", std::nullopt},
    {"a\xc3", std::nullopt},
    {"\xed\xa0\x80", std::nullopt},  // an encoded surrogate
    {"\xc0\xaf", std::nullopt},      // overlong
};

INSTANTIATE_TEST_SUITE_P(Table, InputText, ::testing::ValuesIn(kTextCases));

}  // namespace
}  // namespace pcustomer
