#include "pcustomer/validation/phone_rule.hpp"

#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace pcustomer {
namespace {

struct PhoneCase {
  std::string input;
  std::optional<std::string> expected;  // none = rejected
};

void PrintTo(const PhoneCase& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class VietnamesePhone : public ::testing::TestWithParam<PhoneCase> {};

TEST_P(VietnamesePhone, MatchesTable) {
  EXPECT_EQ(NormalizeVietnamesePhone(GetParam().input), GetParam().expected);
}

const std::vector<PhoneCase> kPhoneCases = {
    // The three accepted shapes, with and without separators.
    {"0912345678", "0912345678"},
    {"84912345678", "0912345678"},
    {"+84912345678", "0912345678"},
    {"091 234 5678", "0912345678"},
    {"091.234.5678", "0912345678"},
    {"091-234-5678", "0912345678"},
    {"0912 345 678", "0912345678"},
    {"+84 91-234-5678", "0912345678"},
    {"+84 912 345 678", "0912345678"},
    {"84 912.345.678", "0912345678"},
    {"84-91-234-56-78", "0912345678"},
    {"0 9 1 2 3 4 5 6 7 8", "0912345678"},
    {"091.234-5678", "0912345678"},
    // Surrounding white space is trimmed.
    {"  0912345678  ", "0912345678"},
    {"\u00a0+84912345678\u3000", "0912345678"},
    {"\t0912345678\n", "0912345678"},
    // Mobile ranges of several carriers.
    {"0987654321", "0987654321"},
    {"0862345678", "0862345678"},
    {"0312345678", "0312345678"},
    {"0392345678", "0392345678"},
    {"0701234567", "0701234567"},
    {"0761234567", "0761234567"},
    {"0812345678", "0812345678"},
    {"0888123456", "0888123456"},
    {"0561234567", "0561234567"},
    {"0592345678", "0592345678"},
    {"0991234567", "0991234567"},
    // A national number that starts with 84 after the trunk prefix.
    {"0849123456", "0849123456"},
    {"084 912 3456", "0849123456"},
    // Landlines, also behind the country code.
    {"02438253456", std::nullopt},
    {"02838234567", std::nullopt},
    {"024 3825 3456", std::nullopt},
    {"+842438253456", std::nullopt},
    {"842438253456", std::nullopt},
    {"+84 24 3825 3456", std::nullopt},
    // Numbers from before the 2018 renumbering come back in their current form, in every
    // accepted shape (each old prefix: RenumberedMobiles below).
    {"01223456789", "0773456789"},
    {"0122 345 6789", "0773456789"},
    {"+841223456789", "0773456789"},
    {"+84 122 345 6789", "0773456789"},
    {"841223456789", "0773456789"},
    // 11 digits without an old mobile prefix: old landlines, unused prefixes, a current
    // number with a digit too many.
    {"01303456789", std::nullopt},
    {"01113456789", std::nullopt},
    {"01613456789", std::nullopt},
    {"01703456789", std::nullopt},
    {"01873456789", std::nullopt},
    {"01983456789", std::nullopt},
    {"+841303456789", std::nullopt},
    {"+8409123456789", std::nullopt},
    {"+0162 123 4567", std::nullopt},
    // Prefixes no carrier uses.
    {"0112345678", std::nullopt},
    {"0212345678", std::nullopt},
    {"0412345678", std::nullopt},
    {"0512345678", std::nullopt},
    {"0612345678", std::nullopt},
    {"0712345678", std::nullopt},
    {"+84112345678", std::nullopt},
    // Too short or too long.
    {"091234567", std::nullopt},
    {"09123456789", std::nullopt},
    {"8491234567", std::nullopt},
    {"849123456789", std::nullopt},
    {"+8491234567", std::nullopt},
    {"+849123456789", std::nullopt},
    {"0", std::nullopt},
    {"", std::nullopt},
    {"   ", std::nullopt},
    {"091234567812345678901234567890123", std::nullopt},
    // Shapes libphonenumber would forgive but the contract does not list.
    {"912345678", std::nullopt},
    {"0084912345678", std::nullopt},
    {"+84 0912345678", std::nullopt},
    {"+840912345678", std::nullopt},
    {"840912345678", std::nullopt},
    {"+0912345678", std::nullopt},
    {"+1 650 253 0000", std::nullopt},
    {"+16502530000", std::nullopt},
    // Junk around or inside the digits.
    {"abc0912345678", std::nullopt},
    {"0912345678x", std::nullopt},
    {"0912345678abc", std::nullopt},
    {"tel:0912345678", std::nullopt},
    {"(091) 234 5678", std::nullopt},
    {"091 234 5678 ext 12", std::nullopt},
    {"0912345678;ext=12", std::nullopt},
    {"0912345678#", std::nullopt},
    {"09l2345678", std::nullopt},
    {"0912/345/678", std::nullopt},
    {"091_234_5678", std::nullopt},
    // Separators: single, and only between digits.
    {"091  234 5678", std::nullopt},
    {"091..234.5678", std::nullopt},
    {"091--234-5678", std::nullopt},
    {"091.-234-5678", std::nullopt},
    {"091\t234\t5678", std::nullopt},
    {"091\u00a0234\u00a05678", std::nullopt},
    {"-0912345678", std::nullopt},
    {"0912345678-", std::nullopt},
    {".0912345678", std::nullopt},
    {"+ 84912345678", std::nullopt},
    {"++84912345678", std::nullopt},
    {"84+912345678", std::nullopt},
    // Digits from other scripts.
    {"\uff10\uff19\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18", std::nullopt},
    {"\u0660\u0669\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668", std::nullopt},
    {std::string("0912345678") + '\0', std::nullopt},
    {"0912\xff"
     "345678",
     std::nullopt},
};

INSTANTIATE_TEST_SUITE_P(Table, VietnamesePhone, ::testing::ValuesIn(kPhoneCases));

// CONTRACT.md section 7: each old 11-digit prefix and the 10-digit one it became.
struct Renumbered {
  std::string old_prefix;
  std::string new_prefix;
};

class RenumberedMobiles : public ::testing::TestWithParam<Renumbered> {};

TEST_P(RenumberedMobiles, ComeBackInTheirCurrentForm) {
  const Renumbered& r = GetParam();
  const std::string current = r.new_prefix + "1234567";
  EXPECT_EQ(NormalizeVietnamesePhone(r.old_prefix + "1234567"), current);
  EXPECT_EQ(NormalizeVietnamesePhone(r.old_prefix + " 123 4567"), current);
  EXPECT_EQ(NormalizeVietnamesePhone("+84" + r.old_prefix.substr(1) + "1234567"), current);
  EXPECT_EQ(NormalizeVietnamesePhone("84" + r.old_prefix.substr(1) + "1234567"), current);
  // The current form itself is a valid mobile number.
  EXPECT_EQ(NormalizeVietnamesePhone(current), current);
}

INSTANTIATE_TEST_SUITE_P(Table, RenumberedMobiles,
                         ::testing::Values(Renumbered{"0162", "032"}, Renumbered{"0163", "033"},
                                           Renumbered{"0164", "034"}, Renumbered{"0165", "035"},
                                           Renumbered{"0166", "036"}, Renumbered{"0167", "037"},
                                           Renumbered{"0168", "038"}, Renumbered{"0169", "039"},
                                           Renumbered{"0120", "070"}, Renumbered{"0121", "079"},
                                           Renumbered{"0122", "077"}, Renumbered{"0126", "076"},
                                           Renumbered{"0128", "078"}, Renumbered{"0123", "083"},
                                           Renumbered{"0124", "084"}, Renumbered{"0125", "085"},
                                           Renumbered{"0127", "081"}, Renumbered{"0129", "082"},
                                           Renumbered{"0186", "056"}, Renumbered{"0188", "058"},
                                           Renumbered{"0199", "059"}),
                         [](const ::testing::TestParamInfo<Renumbered>& test) {
                           return "Prefix" + test.param.old_prefix;
                         });

// Every 11-digit number that starts with 01 is refused unless its prefix is one of the 21 old
// mobile prefixes: the table accepts nothing else.
TEST(RenumberedMobilesTable, AcceptsNoOtherOldPrefix) {
  int accepted = 0;
  for (int prefix = 100; prefix <= 199; ++prefix) {
    if (NormalizeVietnamesePhone("0" + std::to_string(prefix) + "1234567")) ++accepted;
  }
  EXPECT_EQ(accepted, 21);
}

// What libphonenumber's own parser concludes about a number spelled without separators.
std::optional<std::string> ParsedByLibphonenumber(const std::string& text) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(text, "VN", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return std::nullopt;
  if (!util.IsValidNumberForRegion(number, "VN")) return std::nullopt;
  const PhoneNumberUtil::PhoneNumberType type = util.GetNumberType(number);
  if (type != PhoneNumberUtil::MOBILE && type != PhoneNumberUtil::FIXED_LINE_OR_MOBILE) {
    return std::nullopt;
  }
  std::string national;
  util.GetNationalSignificantNumber(number, &national);
  return "0" + national;
}

// The rule builds the number from its digits instead of calling Parse; across every 3-digit
// prefix it must agree with Parse in all three accepted shapes.
TEST(VietnamesePhone, AgreesWithLibphonenumberParseOnEveryPrefix) {
  int accepted = 0;
  for (int prefix = 100; prefix <= 999; ++prefix) {
    for (const char* rest : {"000000", "234567", "999999"}) {
      const std::string national = std::to_string(prefix) + rest;
      const std::optional<std::string> expected = ParsedByLibphonenumber("0" + national);
      SCOPED_TRACE(national);
      ASSERT_EQ(ParsedByLibphonenumber("+84" + national), expected);
      EXPECT_EQ(NormalizeVietnamesePhone("0" + national), expected);
      EXPECT_EQ(NormalizeVietnamesePhone("84" + national), expected);
      EXPECT_EQ(NormalizeVietnamesePhone("+84" + national), expected);
      if (expected) ++accepted;
    }
  }
  // Guards against a vacuous pass: VN has hundreds of mobile prefixes, and far fewer than all.
  EXPECT_GT(accepted, 100);
  EXPECT_LT(accepted, 1500);
}

}  // namespace
}  // namespace pcustomer
