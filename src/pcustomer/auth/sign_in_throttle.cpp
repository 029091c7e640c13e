#include "pcustomer/auth/sign_in_throttle.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "pcustomer/util/clock.hpp"

namespace pcustomer {
namespace {

std::string UserKey(std::string_view username) {
  std::string key = "u:";
  for (char c : username) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

std::string AddressKey(std::string_view address) { return "a:" + std::string(address); }

}  // namespace

SignInThrottle::SignInThrottle(Clock clock, size_t max_keys)
    : clock_(std::move(clock)), max_keys_(max_keys) {}

int64_t SignInThrottle::Now() const { return clock_ ? clock_() : NowUnixMillis(); }

int64_t SignInThrottle::RetryAfter(std::string_view username, std::string_view address) {
  std::lock_guard lock(mutex_);
  int64_t now = Now();
  return std::max(RetryAfterLocked(UserKey(username), now), RetryAfterLocked(AddressKey(address), now));
}

void SignInThrottle::RecordFailure(std::string_view username, std::string_view address) {
  std::lock_guard lock(mutex_);
  int64_t now = Now();
  if (entries_.size() + 2 > max_keys_) TrimLocked(now);
  FailLocked(UserKey(username), now);
  FailLocked(AddressKey(address), now);
}

void SignInThrottle::RecordSuccess(std::string_view username) {
  std::lock_guard lock(mutex_);
  entries_.erase(UserKey(username));
}

size_t SignInThrottle::TrackedKeyCount() {
  std::lock_guard lock(mutex_);
  return entries_.size();
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
  if (entry.failures > 0 && now - entry.last_failure >= kForgetAfterSeconds * kMillisPerSecond) entry = Entry{};
  ++entry.failures;
  entry.last_failure = now;
  if (entry.failures >= kFreeFailures) {
    int doublings = std::min(entry.failures - kFreeFailures, 20);
    entry.locked_until = now + std::min<int64_t>(int64_t{1} << doublings, kMaxDelaySeconds) * kMillisPerSecond;
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
  std::erase_if(entries_, [cutoff](const auto& item) { return item.second.last_failure <= cutoff; });
}

}  // namespace pcustomer
