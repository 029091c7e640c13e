#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace pcustomer {

// Ids are "CUSTOMER#" + decimal(unix_millis * kIdsPerMilli + sequence). Today that is 16
// digits, and it stays 16 digits until the year 2286, so byte order (how DynamoDB and the
// SQLite index sort them) equals numeric order equals creation order.
inline constexpr int64_t kIdsPerMilli = 1000;

// A fresh id and the millisecond it stands for (the customer's createAt).
struct IssuedId {
  std::string id;
  int64_t unix_millis = 0;
};

// Issues customer ids that increase with creation time. Within one generator they never
// repeat and never decrease, even when the clock steps back (the sequence then runs on past
// the last id issued). Several processes sharing a store each have their own generator, so
// their ids may collide: the store inserts conditionally and, on a collision, asks for an id
// after the taken one. Thread-safe.
class CustomerIdGenerator {
 public:
  // Milliseconds since the Unix epoch; injectable so tests can step the clock back. It is
  // called from every thread that asks for an id.
  using Clock = std::function<int64_t()>;

  CustomerIdGenerator();
  explicit CustomerIdGenerator(Clock clock);

  // An id greater than every id this generator issued or was told about.
  IssuedId Next();

  // As Next(), and also greater than `taken_id` (an id found to be in use by another
  // process). An unparsable `taken_id` adds no constraint.
  IssuedId NextAfter(std::string_view taken_id);

 private:
  IssuedId Issue(int64_t floor);

  Clock clock_;
  // The numeric part of the last id issued or seen taken; only ever grows.
  std::atomic<int64_t> last_{0};
};

// True for "CUSTOMER#" followed by 1 to 20 ASCII digits, nothing else.
bool IsCustomerId(std::string_view text);

// The numeric part of a customer id; none when it is not an id or does not fit in 63 bits.
std::optional<int64_t> CustomerIdValue(std::string_view id);

// "CUSTOMER#<value>"; `value` must not be negative.
std::string FormatCustomerId(int64_t value);

}  // namespace pcustomer
