#pragma once

#include <cstdint>

namespace pcustomer {

inline constexpr int kMinAge = 18;
inline constexpr int kMaxAge = 90;

enum class AgeStatus { kValid, kNotInteger, kOutOfRange };

struct AgeCheck {
  AgeStatus status = AgeStatus::kNotInteger;
  int age = 0;  // set when status is kValid
};

// Checks a number a client sent as an age. JSON does not tell 30 from 30.0, so an integral
// double counts as an integer; NaN and fractions do not. Never overflows: the range is checked
// before any conversion to int.
AgeCheck CheckAgeInteger(std::int64_t value);
AgeCheck CheckAgeDouble(double value);

}  // namespace pcustomer
