#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pcustomer/domain/error.hpp"

namespace pcustomer {

// Brute-force protection for sign-in. Failures are counted per username and per client
// address; from the 5th failure on, that key is locked for a delay that doubles with each
// further failure (1 s, 2 s, 4 s, ... at most 15 min). A key with no failure for 15 min is
// forgotten. Memory is bounded: past `max_keys` the oldest entries are dropped. Thread-safe.
//
// An attempt counts as a failure from the moment its check starts, and only one check per
// username and per address runs at a time: otherwise a burst of attempts sent together
// would all be checked before the first failure was recorded, and the lock would come too
// late to matter.
class SignInThrottle {
 public:
  using Clock = std::function<int64_t()>;  // unix milliseconds: a lock lasts its full delay

  static constexpr int kFreeFailures = 5;
  static constexpr int64_t kMaxDelaySeconds = 15 * 60;
  static constexpr int64_t kForgetAfterSeconds = 15 * 60;
  static constexpr int64_t kMillisPerSecond = 1000;
  // Attempts that may wait for a busy username or address; further ones are refused.
  static constexpr size_t kMaxWaiting = 8;

  enum class Admission { kGranted, kQueued, kRefused };
  struct Decision {
    Admission admission = Admission::kGranted;
    int64_t retry_after_seconds = 0;  // for kRefused
  };
  enum class Outcome {
    kRejected,   // wrong password or unknown user: the failure stands
    kAccepted,   // right password: the username's failures are cleared
    kAbandoned,  // not checked after all (the store failed): the attempt is not counted
  };

  explicit SignInThrottle(Clock clock = {}, size_t max_keys = 100'000);

  // Asks to check a password of `username` sent from `address`.
  // - kGranted: the attempt is counted as a failure now; call Finish exactly once.
  // - kQueued: a check for this username or address is running; `retry` is called (on the
  //   thread that calls Finish) when it ends, and should ask again.
  // - kRefused: locked, or too many attempts waiting; try again after the given seconds.
  Decision Begin(std::string_view username, std::string_view address, std::function<void()> retry);
  void Finish(std::string_view username, std::string_view address, Outcome outcome);

  size_t TrackedKeyCount();

 private:
  struct Entry {
    int failures = 0;
    int64_t last_failure = 0;
    int64_t locked_until = 0;
  };
  // The state of a username and an address before a running check counted against them,
  // so that a success or an abandoned check can put back what it should not have changed.
  struct RunningCheck {
    std::optional<Entry> user_before;
    std::optional<Entry> address_before;
  };
  int64_t Now() const;
  int64_t RetryAfterLocked(const std::string& key, int64_t now);
  void FailLocked(const std::string& key, int64_t now);
  void TrimLocked(int64_t now);
  std::optional<Entry> FindLocked(const std::string& key) const;
  void RestoreLocked(const std::string& key, const std::optional<Entry>& before);

  Clock clock_;
  size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  // Keys with a check running, each with the attempts waiting for it to end.
  std::unordered_map<std::string, std::vector<std::function<void()>>> busy_;
  std::unordered_map<std::string, RunningCheck> running_;  // by username key
};

// The 429 both identity providers answer when Begin refuses.
Error SignInRefused(const SignInThrottle::Decision& decision);

}  // namespace pcustomer
