#include "pcustomer/auth/sign_in_throttle.hpp"

#include <algorithm>
#include <cctype>

#include "pcustomer/util/clock.hpp"

namespace pcustomer {
namespace {

std::string UserKey(std::string_view username) {
  std::string key = "u:";
  for (char c : username) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

std::string AddressKey(std::string_view address) { return "a:" + std::string(address); }

// A refusal because a check is running says "soon", not "locked".
constexpr int64_t kBusyRetryAfterSeconds = 1;

}  // namespace

SignInThrottle::SignInThrottle(Clock clock, size_t max_keys)
    : clock_(std::move(clock)), max_keys_(max_keys) {}

int64_t SignInThrottle::Now() const { return clock_ ? clock_() : NowUnixMillis(); }

SignInThrottle::Decision SignInThrottle::Begin(std::string_view username, std::string_view address,
                                               std::function<void()> retry) {
  const std::string user_key = UserKey(username);
  const std::string address_key = AddressKey(address);
  std::lock_guard lock(mutex_);
  int64_t now = Now();
  int64_t wait = std::max(RetryAfterLocked(user_key, now), RetryAfterLocked(address_key, now));
  if (wait > 0) return {Admission::kRefused, wait};
  for (const std::string* key : {&user_key, &address_key}) {
    auto found = busy_.find(*key);
    if (found == busy_.end()) continue;
    if (found->second.size() >= kMaxWaiting) return {Admission::kRefused, kBusyRetryAfterSeconds};
    found->second.push_back(std::move(retry));
    return {Admission::kQueued, 0};
  }
  if (entries_.size() + 2 > max_keys_) TrimLocked(now);
  running_[user_key] = RunningCheck{FindLocked(user_key), FindLocked(address_key)};
  busy_[user_key];
  busy_[address_key];
  FailLocked(user_key, now);
  FailLocked(address_key, now);
  return {Admission::kGranted, 0};
}

void SignInThrottle::Finish(std::string_view username, std::string_view address, Outcome outcome) {
  const std::string user_key = UserKey(username);
  const std::string address_key = AddressKey(address);
  std::vector<std::function<void()>> waiting;
  {
    std::lock_guard lock(mutex_);
    auto running = running_.find(user_key);
    if (running != running_.end()) {
      if (outcome == Outcome::kAbandoned) RestoreLocked(user_key, running->second.user_before);
      if (outcome != Outcome::kRejected) RestoreLocked(address_key, running->second.address_before);
      running_.erase(running);
    }
    if (outcome == Outcome::kAccepted) entries_.erase(user_key);
    for (const std::string* key : {&user_key, &address_key}) {
      auto found = busy_.find(*key);
      if (found == busy_.end()) continue;
      for (auto& retry : found->second) waiting.push_back(std::move(retry));
      busy_.erase(found);
    }
  }
  // Outside the lock: each retry asks again, and one of them gets the next turn.
  for (auto& retry : waiting) retry();
}

Error SignInRefused(const SignInThrottle::Decision& decision) {
  return Error::TooManyRequests("Too many failed sign-in attempts; try again later",
                                static_cast<int>(decision.retry_after_seconds));
}

size_t SignInThrottle::TrackedKeyCount() {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::optional<SignInThrottle::Entry> SignInThrottle::FindLocked(const std::string& key) const {
  auto found = entries_.find(key);
  if (found == entries_.end()) return std::nullopt;
  return found->second;
}

void SignInThrottle::RestoreLocked(const std::string& key, const std::optional<Entry>& before) {
  if (before) {
    entries_[key] = *before;
  } else {
    entries_.erase(key);
  }
}

int64_t SignInThrottle::RetryAfterLocked(const std::string& key, int64_t now) {
  auto found = entries_.find(key);
  if (found == entries_.end()) return 0;
  if (now - found->second.last_failure >= kForgetAfterSeconds * kMillisPerSecond) {
    entries_.erase(found);
    return 0;
  }
  int64_t wait_millis = found->second.locked_until - now;
  return wait_millis <= 0 ? 0 : (wait_millis + kMillisPerSecond - 1) / kMillisPerSecond;
}

void SignInThrottle::FailLocked(const std::string& key, int64_t now) {
  Entry& entry = entries_[key];
  if (entry.failures > 0 && now - entry.last_failure >= kForgetAfterSeconds * kMillisPerSecond)
    entry = Entry{};
  ++entry.failures;
  entry.last_failure = now;
  if (entry.failures >= kFreeFailures) {
    int doublings = std::min(entry.failures - kFreeFailures, 20);
    entry.locked_until =
        now + std::min<int64_t>(int64_t{1} << doublings, kMaxDelaySeconds) * kMillisPerSecond;
  }
}

void SignInThrottle::TrimLocked(int64_t now) {
  std::erase_if(entries_, [now](const auto& item) {
    return now - item.second.last_failure >= kForgetAfterSeconds * kMillisPerSecond;
  });
  if (entries_.size() + 2 <= max_keys_) return;
  // Still full of live entries (an attack from many addresses): drop the oldest half.
  std::vector<int64_t> times;
  times.reserve(entries_.size());
  for (const auto& item : entries_) times.push_back(item.second.last_failure);
  auto middle = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
  std::nth_element(times.begin(), middle, times.end());
  int64_t cutoff = *middle;
  std::erase_if(entries_,
                [cutoff](const auto& item) { return item.second.last_failure <= cutoff; });
}

}  // namespace pcustomer
