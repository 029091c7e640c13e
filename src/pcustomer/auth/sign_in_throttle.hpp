#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pcustomer {

// Brute-force protection for sign-in. Failures are counted per username and per client
// address; from the 5th failure on, that key is locked for a delay that doubles with each
// further failure (1 s, 2 s, 4 s, ... at most 15 min). A key with no failure for 15 min is
// forgotten. Memory is bounded: past `max_keys` the oldest entries are dropped. Thread-safe.
class SignInThrottle {
 public:
  using Clock = std::function<int64_t()>;  // unix milliseconds: a lock lasts its full delay

  static constexpr int kFreeFailures = 5;
  static constexpr int64_t kMaxDelaySeconds = 15 * 60;
  static constexpr int64_t kForgetAfterSeconds = 15 * 60;
  static constexpr int64_t kMillisPerSecond = 1000;

  explicit SignInThrottle(Clock clock = {}, size_t max_keys = 100'000);

  // Whole seconds (rounded up) to wait before this username may be tried from this
  // address; 0 = go ahead.
  int64_t RetryAfter(std::string_view username, std::string_view address);
  void RecordFailure(std::string_view username, std::string_view address);
  // A correct password clears the username's failures (the address keeps its own).
  void RecordSuccess(std::string_view username);

  size_t TrackedKeyCount();

 private:
  struct Entry {
    int failures = 0;
    int64_t last_failure = 0;
    int64_t locked_until = 0;
  };
  int64_t Now() const;
  int64_t RetryAfterLocked(const std::string& key, int64_t now);
  void FailLocked(const std::string& key, int64_t now);
  void TrimLocked(int64_t now);

  Clock clock_;
  size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace pcustomer
