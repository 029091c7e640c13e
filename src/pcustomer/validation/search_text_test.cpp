#include "pcustomer/validation/search_text.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "pcustomer/validation/test_text.hpp"
#include "pcustomer/validation/vietnamese_alphabet.hpp"

namespace pcustomer {
namespace {

using testing::Nfd;
using testing::Utf8;

// The base letter each Vietnamese letter folds to, position by position with
// kVietnameseLowerLetters: its marks gone, đ made d.
constexpr std::u32string_view kFoldedLetters =
    U"aaaaaaaaaaaaaaaaaabcddeeeeeeeeeeeefghiiiiiijklmnoooooooooooooooooopqrstuuuuuuuuuuuuvwxyyyyyy"
    U"z";

TEST(FoldForSearch, FoldsEveryLetterOfTheAlphabetInBothCases) {
  ASSERT_EQ(kFoldedLetters.size(), kVietnameseLowerLetters.size());
  for (size_t i = 0; i < kVietnameseLowerLetters.size(); ++i) {
    const std::string expected = Utf8(kFoldedLetters[i]);
    SCOPED_TRACE(Utf8(kVietnameseLowerLetters[i]));
    EXPECT_EQ(FoldForSearch(Utf8(kVietnameseLowerLetters[i])), expected);
    EXPECT_EQ(FoldForSearch(Utf8(kVietnameseUpperLetters[i])), expected);
    EXPECT_EQ(FoldForSearch(Nfd(Utf8(kVietnameseLowerLetters[i]))), expected);
    EXPECT_EQ(FoldForSearch(Nfd(Utf8(kVietnameseUpperLetters[i]))), expected);
  }
}

TEST(FoldForSearch, FoldsNamesWhateverTheirForm) {
  EXPECT_EQ(FoldForSearch("Đặng Thu Thảo"), "dang thu thao");
  EXPECT_EQ(FoldForSearch("ĐẶNG THU THẢO"), "dang thu thao");
  EXPECT_EQ(FoldForSearch("dang thu"), "dang thu");
  EXPECT_EQ(FoldForSearch("Nguyễn"), "nguyen");
  EXPECT_EQ(FoldForSearch("Thủy"), "thuy");
  EXPECT_EQ(FoldForSearch("Thuỷ"), "thuy");  // the older placement of the tone mark
  EXPECT_EQ(FoldForSearch("Quỳnh"), "quynh");
  EXPECT_EQ(FoldForSearch(Nfd("Đặng Nguyễn Quỳnh")), "dang nguyen quynh");
  EXPECT_EQ(FoldForSearch(""), "");
}

TEST(FoldForSearch, LeavesDigitsAndOtherScriptsReadable) {
  EXPECT_EQ(FoldForSearch("Phòng 12"), "phong 12");
  EXPECT_EQ(FoldForSearch("Straße"), "strasse");  // full case folding
  EXPECT_EQ(FoldForSearch("東京"), "東京");
}

TEST(FoldForSearch, FoldsIllFormedInputWithoutFailing) {
  EXPECT_EQ(FoldForSearch("an\xff"), "an\xef\xbf\xbd");
}

TEST(SearchWords, SplitsAtEverythingThatIsNotALetterOrDigit) {
  EXPECT_EQ(SearchWords("Đặng  Thu-Thảo"), (std::vector<std::string>{"dang", "thu", "thao"}));
  EXPECT_EQ(SearchWords("  chị Thảo, 0912 "), (std::vector<std::string>{"chi", "thao", "0912"}));
  EXPECT_EQ(SearchWords(Nfd("Nguyễn Văn An")), (std::vector<std::string>{"nguyen", "van", "an"}));
  EXPECT_TRUE(SearchWords(" ,.- ").empty());
  EXPECT_TRUE(SearchWords("").empty());
}

std::vector<std::string> SortedByKey(std::vector<std::string> names) {
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return VietnameseSortKey(a) < VietnameseSortKey(b);
  });
  return names;
}

TEST(VietnameseSortKey, OrdersAsTheVietnameseAlphabet) {
  EXPECT_EQ(SortedByKey({"Đức", "Dung", "Ân", "Ăn", "An", "Bình", "Anh"}),
            (std::vector<std::string>{"An", "Anh", "Ăn", "Ân", "Bình", "Dung", "Đức"}));
  // Tones after the plain letter, in the order huyền, hỏi, ngã, sắc, nặng.
  EXPECT_EQ(SortedByKey({"mạ", "má", "mã", "mả", "mà", "ma"}),
            (std::vector<std::string>{"ma", "mà", "mả", "mã", "má", "mạ"}));
}

TEST(VietnameseSortKey, TheAlphabetSortsInItsOwnOrder) {
  // The lower-case letters of each base letter, in the alphabet's order (a ă â b c d đ e ê ...)
  // come out of the key in that same order for the plain letters.
  const std::vector<std::string> alphabet = {"a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g",
                                             "h", "i", "k", "l", "m", "n", "o", "ô", "ơ", "p",
                                             "q", "r", "s", "t", "u", "ư", "v", "x", "y"};
  std::vector<std::string> shuffled(alphabet.rbegin(), alphabet.rend());
  EXPECT_EQ(SortedByKey(shuffled), alphabet);
}

TEST(VietnameseSortKey, IsTheSameForNfdAndNfcAndHoldsNoZeroByte) {
  for (const char* name : {"Đặng Thu Thảo", "Nguyễn Văn An", "Quỳnh"}) {
    const std::string key = VietnameseSortKey(name);
    EXPECT_EQ(VietnameseSortKey(Nfd(name)), key) << name;
    EXPECT_EQ(key.find('\0'), std::string::npos) << name;
    EXPECT_FALSE(key.empty());
  }
  EXPECT_NE(VietnameseSortKey("An"), VietnameseSortKey("an"));
}

TEST(VietnameseSortKey, HandlesLongNames) {
  const std::string name = testing::Repeat("Nguyễn ", 60) + "An";
  const std::string key = VietnameseSortKey(name);
  EXPECT_GT(key.size(), 256u);
  EXPECT_LT(VietnameseSortKey(testing::Repeat("Nguyễn ", 59) + "An"), key);
}

}  // namespace
}  // namespace pcustomer
