#include "pcustomer/validation/name_rule.hpp"

#include <gtest/gtest.h>
#include <unicode/uchar.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "pcustomer/validation/test_text.hpp"
#include "pcustomer/validation/vietnamese_alphabet.hpp"

namespace pcustomer {
namespace {

using testing::Nfd;
using testing::Repeat;
using testing::Utf8;

TEST(VietnameseAlphabet, ListsEachLetterInBothCasesAtTheSamePosition) {
  ASSERT_EQ(kVietnameseUpperLetters.size(), 93u);
  ASSERT_EQ(kVietnameseLowerLetters.size(), 93u);
  for (size_t i = 0; i < kVietnameseUpperLetters.size(); ++i) {
    const auto upper = static_cast<UChar32>(kVietnameseUpperLetters[i]);
    const auto lower = static_cast<UChar32>(kVietnameseLowerLetters[i]);
    EXPECT_EQ(u_tolower(upper), lower) << "position " << i;
    EXPECT_TRUE(u_isupper(upper)) << "position " << i;
  }
}

// Every letter of the alphabet, upper and lower case, inside a name, composed and decomposed.
class EveryLetter : public ::testing::TestWithParam<size_t> {};

TEST_P(EveryLetter, IsAcceptedInBothCasesAndFromNfd) {
  const std::string upper = Utf8(kVietnameseUpperLetters[GetParam()]);
  const std::string lower = Utf8(kVietnameseLowerLetters[GetParam()]);
  // The upper-case letter starts a word and is also a word of its own; the lower-case one
  // sits inside and at the end of a word.
  const std::string name = upper + lower + " " + upper + " B" + lower;
  SCOPED_TRACE(name);
  EXPECT_EQ(NormalizeVietnameseFullName(name), name);
  EXPECT_EQ(NormalizeVietnameseFullName(Nfd(name)), name);
  // Out of place: a lower-case letter cannot start a word, an upper-case one cannot follow.
  EXPECT_EQ(NormalizeVietnameseFullName(lower + "a Bình"), std::nullopt);
  EXPECT_EQ(NormalizeVietnameseFullName("B" + upper + " Bình"), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Alphabet, EveryLetter,
                         ::testing::Range<size_t>(0, kVietnameseUpperLetters.size()));

struct NameCase {
  std::string input;
  std::optional<std::string> expected;  // none = rejected
};

void PrintTo(const NameCase& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class FullName : public ::testing::TestWithParam<NameCase> {};

TEST_P(FullName, MatchesTable) {
  EXPECT_EQ(NormalizeVietnameseFullName(GetParam().input), GetParam().expected);
}

// 100 code points, most of them two or three bytes long.
const std::string kName100 = "Đặng Ê" + Repeat("ệ", 94);

const std::vector<NameCase> kNameCases = {
    {"Nguyễn Văn An", "Nguyễn Văn An"},
    {"Lê Thị Hồng Nhung", "Lê Thị Hồng Nhung"},
    {"Ngô Ý", "Ngô Ý"},
    {"Nguyễn Văn A", "Nguyễn Văn A"},
    {"A Văn Bình", "A Văn Bình"},
    {"Trần B Cường", "Trần B Cường"},
    {"A B", "A B"},
    {"Lê Đ", "Lê Đ"},
    {"Wang Zhou Fujiwara Jack", "Wang Zhou Fujiwara Jack"},
    // NFD input becomes NFC.
    {"Nguye\u0302\u0303n Va\u0306n An", "Nguyễn Văn An"},
    {"Ngo\u0302 Y\u0301", "Ngô Ý"},
    {"Tra\u0302\u0300n Thi\u0323 Hu\u031b\u0300ng", "Trần Thị Hừng"},
    {"Nguyê\u0301n An", "Nguyến An"},
    {"Nguyên\u0301 An", std::nullopt},  // the mark lands on n
    // Surrounding white space is trimmed, inner white space is not a separator.
    {"  Nguyễn Văn An  ", "Nguyễn Văn An"},
    {"\tNguyễn Văn An\r\n", "Nguyễn Văn An"},
    {"\u00a0Nguyễn Văn An\u3000", "Nguyễn Văn An"},
    {"\u2003Ngô Ý\u2028", "Ngô Ý"},
    {"Nguyễn\tVăn An", std::nullopt},
    {"Nguyễn  Văn An", std::nullopt},
    {"Nguyễn\u00a0Văn An", std::nullopt},
    {"Nguyễn\u3000Văn", std::nullopt},
    {"Nguyễn\u200bVăn", std::nullopt},
    // Nothing after the last word.
    {"Nguyễn Văn An1", std::nullopt},
    {"Nguyễn Văn An 1", std::nullopt},
    {"Nguyễn Văn An!", std::nullopt},
    {"Nguyễn Văn An.", std::nullopt},
    {"Nguyễn Văn An -", std::nullopt},
    {"Nguyễn Văn An😀", std::nullopt},
    {"1Nguyễn Văn", std::nullopt},
    {"Nguyễn 2 An", std::nullopt},
    {"Nguyễn-Văn An", std::nullopt},
    {"O'Brien An", std::nullopt},
    {"Nguyễn 😀", std::nullopt},
    {"😀 Nguyễn", std::nullopt},
    // Word shape.
    {"Nguyễn", std::nullopt},
    {"A", std::nullopt},
    {"nguyễn Văn", std::nullopt},
    {"Nguyễn văn", std::nullopt},
    {"NguyỄn Văn", std::nullopt},
    {"NGUYEN VAN", std::nullopt},
    {"Nguyễn VĂn", std::nullopt},
    // Letters outside the Vietnamese alphabet, including look-alikes.
    {"Çao Văn", std::nullopt},
    {"François An", std::nullopt},
    {"Nuñez An", std::nullopt},
    {"Müller An", std::nullopt},
    {"Lê Ð", std::nullopt},  // U+00D0 ETH, not U+0110 D WITH STROKE
    {"Lê Ān", std::nullopt},
    {"Bx\u0308 An", std::nullopt},  // a combining mark with no precomposed form
    {"Ĳssel An", std::nullopt},
    {"Αλέξης Ân", std::nullopt},
    {"Иван Ân", std::nullopt},
    // Empty, blank and ill-formed.
    {"", std::nullopt},
    {"   ", std::nullopt},
    {" ", std::nullopt},
    {std::string("Lê") + '\0' + " An", std::nullopt},
    {"Nguy\xff Văn", std::nullopt},
    {"Nguy\xe1\xbb Văn", std::nullopt},  // truncated sequence
    // Length in code points of the NFC form.
    {kName100, kName100},
    {kName100 + "ệ", std::nullopt},
    {Nfd(kName100), kName100},
    {"  " + kName100 + "  ", kName100},
    {"A B" + Repeat("b", 97), "A B" + Repeat("b", 97)},
    {"A B" + Repeat("b", 98), std::nullopt},
};

INSTANTIATE_TEST_SUITE_P(Table, FullName, ::testing::ValuesIn(kNameCases));

TEST(IsVietnameseFullName, ExpectsAlreadyNormalisedText) {
  EXPECT_TRUE(IsVietnameseFullName("Nguyễn Văn An"));
  EXPECT_FALSE(IsVietnameseFullName(" Nguyễn Văn An"));
  EXPECT_FALSE(IsVietnameseFullName("Nguyễn Văn An "));
  EXPECT_FALSE(IsVietnameseFullName(Nfd("Nguyễn Văn An")));
}

}  // namespace
}  // namespace pcustomer
