#include "pcustomer/validation/age_rule.hpp"

#include <cmath>

namespace pcustomer {

AgeCheck CheckAgeInteger(std::int64_t value) {
  if (value < kMinAge || value > kMaxAge) return {AgeStatus::kOutOfRange, 0};
  return {AgeStatus::kValid, static_cast<int>(value)};
}

AgeCheck CheckAgeDouble(double value) {
  // Infinities are "integral" for std::trunc but no JSON parser should produce them; treat
  // them like any other huge number.
  if (std::isnan(value) || (std::isfinite(value) && std::trunc(value) != value)) {
    return {AgeStatus::kNotInteger, 0};
  }
  if (!(value >= kMinAge && value <= kMaxAge)) return {AgeStatus::kOutOfRange, 0};
  return {AgeStatus::kValid, static_cast<int>(value)};
}

}  // namespace pcustomer
