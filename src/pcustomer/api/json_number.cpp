#include "pcustomer/api/json_number.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace pcustomer {
namespace {

struct Decimal {
  bool negative = false;
  std::string digits;  // integer and fraction digits, leading zeros removed
  int64_t point = 0;   // the decimal point sits after this many digits (may be outside)
};

Decimal Split(std::string_view text) {
  Decimal decimal;
  size_t at = 0;
  if (at < text.size() && text[at] == '-') {
    decimal.negative = true;
    ++at;
  }
  int64_t integer_digits = 0;
  for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++integer_digits) {
    decimal.digits += text[at];
  }
  if (at < text.size() && text[at] == '.') {
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at)
      decimal.digits += text[at];
  }
  int64_t exponent = 0;
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    bool negative_exponent = at < text.size() && text[at] == '-';
    if (at < text.size() && (text[at] == '-' || text[at] == '+')) ++at;
    // Saturate: an exponent past a billion moves every digit out of reach either way.
    constexpr int64_t kCap = 1'000'000'000;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
      exponent = std::min<int64_t>(exponent * 10 + (text[at] - '0'), kCap);
    }
    if (negative_exponent) exponent = -exponent;
  }
  size_t leading = decimal.digits.find_first_not_of('0');
  if (leading == std::string::npos) leading = decimal.digits.size();
  decimal.digits.erase(0, leading);
  decimal.point = integer_digits - static_cast<int64_t>(leading) + exponent;
  return decimal;
}

// Whole when every digit right of the point is zero.
bool IsWhole(const Decimal& decimal) {
  int64_t size = static_cast<int64_t>(decimal.digits.size());
  for (int64_t i = std::max<int64_t>(decimal.point, 0); i < size; ++i) {
    if (decimal.digits[static_cast<size_t>(i)] != '0') return false;
  }
  return true;
}

}  // namespace

JsonNumber ReadJsonNumber(std::string_view text) {
  Decimal decimal = Split(text);
  JsonNumber number;
  number.value = std::strtod(std::string(text).c_str(), nullptr);
  if (IsWhole(decimal)) {
    // At most 19 digits left of the point can fit in int64; from_chars says whether they do.
    if (decimal.digits.empty()) {
      number.is_integer = true;
      return number;
    }
    if (decimal.point <= 19) {
      std::string whole = (decimal.negative ? "-" : "") +
                          decimal.digits.substr(0, static_cast<size_t>(decimal.point));
      whole.append(static_cast<size_t>(std::max<int64_t>(
                       decimal.point - static_cast<int64_t>(decimal.digits.size()), 0)),
                   '0');
      int64_t integer = 0;
      auto [end, error] = std::from_chars(whole.data(), whole.data() + whole.size(), integer);
      if (error == std::errc{} && end == whole.data() + whole.size()) {
        number.is_integer = true;
        number.integer = integer;
      }
    }
    return number;
  }
  // A fraction the double could not hold (17.9999999999999999 -> 18.0, 1e-400 -> 0): step to
  // the neighbouring double so the value stays visibly fractional.
  if (number.value == 0) {
    number.value = decimal.negative ? -std::numeric_limits<double>::denorm_min()
                                    : std::numeric_limits<double>::denorm_min();
  } else if (std::isfinite(number.value) && std::trunc(number.value) == number.value) {
    number.value = std::nextafter(number.value, 0.0);
  }
  return number;
}

}  // namespace pcustomer
