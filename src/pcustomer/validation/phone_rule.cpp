#include "pcustomer/validation/phone_rule.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <cstdint>

#include "pcustomer/validation/text_normalization.hpp"

namespace pcustomer {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

constexpr std::string_view kRegion = "VN";
constexpr std::string_view kCountryCode = "84";
constexpr int kCountryCodeValue = 84;
// Every Vietnamese mobile number has a 9-digit national significant number since 2018.
constexpr size_t kNationalSignificantLength = 9;
// Mobile numbers from before the 2018 renumbering had 10.
constexpr size_t kRenumberedSignificantLength = 10;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSeparator(char c) { return c == ' ' || c == '.' || c == '-'; }

// The digits of `text` if it is an optional '+' followed by digits grouped by single
// separators; none otherwise. Bounded so huge input costs nothing more.
std::optional<std::string> StrictDigits(std::string_view text, bool* has_plus) {
  constexpr size_t kMaxLength = 32;
  if (text.empty() || text.size() > kMaxLength) return std::nullopt;
  *has_plus = text.front() == '+';
  if (*has_plus) text.remove_prefix(1);
  if (text.empty() || !IsDigit(text.front()) || !IsDigit(text.back())) return std::nullopt;
  std::string digits;
  digits.reserve(text.size());
  bool after_separator = false;
  for (char c : text) {
    if (IsDigit(c)) {
      digits += c;
      after_separator = false;
    } else if (IsSeparator(c) && !after_separator) {
      after_separator = true;
    } else {
      return std::nullopt;
    }
  }
  return digits;
}

// The national significant number of `digits` if they take one of the three accepted shapes:
// 0 + NSN, 84 + NSN, or (with `has_plus`) +84 + NSN, where the NSN has today's 9 digits or,
// for a number from before the 2018 renumbering, 10.
std::optional<std::string_view> NationalSignificantDigits(std::string_view digits, bool has_plus) {
  for (size_t length : {kNationalSignificantLength, kRenumberedSignificantLength}) {
    // A bare "84..." of international length is the country code, not a national number:
    // national numbers start with the trunk prefix 0. The NSN itself never starts with 0,
    // which also refuses "+84 0912345678" and "0084...".
    if (digits.size() == kCountryCode.size() + length && digits.starts_with(kCountryCode) &&
        digits[kCountryCode.size()] != '0') {
      return digits.substr(kCountryCode.size());
    }
    if (!has_plus && digits.size() == 1 + length && digits[0] == '0' && digits[1] != '0') {
      return digits.substr(1);
    }
  }
  return std::nullopt;
}

// Mobile prefixes of the 2018 renumbering: every 11-digit mobile number (a 10-digit NSN
// starting with 1) moved to a 10-digit one, its first three NSN digits replaced by two and
// the rest kept (CONTRACT.md section 7 lists them).
struct Renumbering {
  std::string_view old_prefix;
  std::string_view new_prefix;
};
constexpr Renumbering kRenumberings[] = {
    // Viettel
    {"162", "32"},
    {"163", "33"},
    {"164", "34"},
    {"165", "35"},
    {"166", "36"},
    {"167", "37"},
    {"168", "38"},
    {"169", "39"},
    // MobiFone
    {"120", "70"},
    {"121", "79"},
    {"122", "77"},
    {"126", "76"},
    {"128", "78"},
    // VinaPhone
    {"123", "83"},
    {"124", "84"},
    {"125", "85"},
    {"127", "81"},
    {"129", "82"},
    // Vietnamobile, Gmobile
    {"186", "56"},
    {"188", "58"},
    {"199", "59"},
};

// Today's NSN for `national`: itself when it has 9 digits, its renumbered form when it has 10
// and an old prefix, none otherwise.
std::optional<std::string> CurrentSignificantNumber(std::string_view national) {
  if (national.size() == kNationalSignificantLength) return std::string(national);
  for (const Renumbering& renumbering : kRenumberings) {
    if (national.starts_with(renumbering.old_prefix)) {
      std::string current(renumbering.new_prefix);
      current += national.substr(renumbering.old_prefix.size());
      return current;
    }
  }
  return std::nullopt;
}

const PhoneNumberUtil& PhoneUtil() {
  // A process-wide singleton that libphonenumber documents as thread-safe.
  static const PhoneNumberUtil* const util = PhoneNumberUtil::GetInstance();
  return *util;
}

}  // namespace

std::optional<std::string> NormalizeVietnamesePhone(std::string_view text) {
  const std::optional<std::string> normalized = NormalizeInputText(text);
  if (!normalized) return std::nullopt;
  bool has_plus = false;
  const std::optional<std::string> digits = StrictDigits(*normalized, &has_plus);
  if (!digits) return std::nullopt;
  const std::optional<std::string_view> sent = NationalSignificantDigits(*digits, has_plus);
  if (!sent) return std::nullopt;
  const std::optional<std::string> national = CurrentSignificantNumber(*sent);
  if (!national) return std::nullopt;

  // The text is already reduced to country code and national number, so the number is built
  // directly instead of through PhoneNumberUtil::Parse: Parse is lenient (it skips junk and
  // strips a trunk prefix after +84) and costs about twice as much as the checks below.
  PhoneNumber number;
  number.set_country_code(kCountryCodeValue);
  uint64_t national_number = 0;
  for (char c : *national) national_number = national_number * 10 + static_cast<uint64_t>(c - '0');
  number.set_national_number(national_number);

  const PhoneNumberUtil& util = PhoneUtil();
  const std::string region(kRegion);
  if (!util.IsValidNumberForRegion(number, region)) return std::nullopt;
  // FIXED_LINE_OR_MOBILE is what the metadata reports when it cannot tell the two apart;
  // VN metadata separates them today, but a metadata update must not start refusing mobiles.
  const PhoneNumberUtil::PhoneNumberType type = util.GetNumberType(number);
  if (type != PhoneNumberUtil::MOBILE && type != PhoneNumberUtil::FIXED_LINE_OR_MOBILE) {
    return std::nullopt;
  }
  std::string stored;
  stored.reserve(1 + kNationalSignificantLength);
  stored += '0';
  stored += *national;
  return stored;
}

}  // namespace pcustomer
