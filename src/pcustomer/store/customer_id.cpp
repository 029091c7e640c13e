#include "pcustomer/store/customer_id.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/util/ascii.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {
namespace {

constexpr std::string_view kPrefix = kCustomerIdPrefix;
// 20 digits would overflow the 63-bit value; the format allows them so that ids issued by
// another implementation are still recognised (and then simply never parsed as numbers).
constexpr size_t kMaxDigits = 20;

}  // namespace

CustomerIdGenerator::CustomerIdGenerator() : CustomerIdGenerator(NowUnixMillis) {}

CustomerIdGenerator::CustomerIdGenerator(Clock clock) : clock_(std::move(clock)) {}

IssuedId CustomerIdGenerator::Next() { return Issue(0); }

IssuedId CustomerIdGenerator::NextAfter(std::string_view taken_id) {
  return Issue(CustomerIdValue(taken_id).value_or(0));
}

IssuedId CustomerIdGenerator::Issue(int64_t floor) {
  // The first id of the current millisecond, unless that would not move forward.
  const int64_t from_clock = std::max<int64_t>(clock_(), 0) * kIdsPerMilli;
  int64_t last = last_.load(std::memory_order_relaxed);
  int64_t value = 0;
  do {
    value = std::max({from_clock, last + 1, floor + 1});
  } while (!last_.compare_exchange_weak(last, value, std::memory_order_relaxed));
  return {FormatCustomerId(value), value / kIdsPerMilli};
}

bool IsCustomerId(std::string_view text) {
  if (!text.starts_with(kPrefix)) return false;
  const std::string_view digits = text.substr(kPrefix.size());
  return !digits.empty() && digits.size() <= kMaxDigits && AllAsciiDigits(digits);
}

std::optional<int64_t> CustomerIdValue(std::string_view id) {
  if (!IsCustomerId(id)) return std::nullopt;
  const std::string_view digits = id.substr(kPrefix.size());
  int64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::string FormatCustomerId(int64_t value) {
  std::string id(kPrefix);
  id += std::to_string(value);
  return id;
}

}  // namespace pcustomer
