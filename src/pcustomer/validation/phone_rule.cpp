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
// 0 + NSN, 84 + NSN, or (with `has_plus`) +84 + NSN.
std::optional<std::string_view> NationalSignificantDigits(std::string_view digits, bool has_plus) {
  // A bare "84..." of international length is the country code, not a national number:
  // national numbers start with the trunk prefix 0. The NSN itself never starts with 0, which
  // also refuses "+84 0912345678" and "0084...".
  if (digits.size() == kCountryCode.size() + kNationalSignificantLength &&
      digits.starts_with(kCountryCode) && digits[kCountryCode.size()] != '0') {
    return digits.substr(kCountryCode.size());
  }
  if (!has_plus && digits.size() == 1 + kNationalSignificantLength && digits[0] == '0' &&
      digits[1] != '0') {
    return digits.substr(1);
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
  const std::optional<std::string_view> national = NationalSignificantDigits(*digits, has_plus);
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
