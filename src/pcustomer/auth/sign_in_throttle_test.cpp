#include "pcustomer/auth/sign_in_throttle.hpp"

#include <gtest/gtest.h>

namespace pcustomer {
namespace {

using Admission = SignInThrottle::Admission;
using Outcome = SignInThrottle::Outcome;

struct FakeClock {
  int64_t now = 1'000'000'000;  // unix milliseconds
  SignInThrottle::Clock Get() {
    return [this] { return now; };
  }
};

// Seconds to wait before a check may start; 0 when it may start now (then nothing runs).
int64_t RetryAfter(SignInThrottle& throttle, std::string_view user, std::string_view address) {
  SignInThrottle::Decision decision = throttle.Begin(user, address, [] {});
  if (decision.admission == Admission::kGranted) {
    throttle.Finish(user, address, Outcome::kAbandoned);
    return 0;
  }
  EXPECT_EQ(decision.admission, Admission::kRefused);
  return decision.retry_after_seconds;
}

void Fail(SignInThrottle& throttle, std::string_view user, std::string_view address) {
  SignInThrottle::Decision decision = throttle.Begin(user, address, [] {});
  // Tests record failures even while locked, as a burst that got through would.
  if (decision.admission == Admission::kGranted) {
    throttle.Finish(user, address, Outcome::kRejected);
  } else {
    ASSERT_EQ(decision.admission, Admission::kRefused);
  }
}

TEST(SignInThrottle, AllowsFourFailuresThenLocksWithGrowingDelays) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(RetryAfter(throttle, "alice", "10.0.0.1"), 0);
    Fail(throttle, "alice", "10.0.0.1");
  }
  Fail(throttle, "alice", "10.0.0.1");
  EXPECT_EQ(RetryAfter(throttle, "alice", "10.0.0.1"), 1);
  clock.now += 400;
  EXPECT_EQ(RetryAfter(throttle, "alice", "10.0.0.1"), 1) << "a part second still counts as one";
  clock.now += 600;
  EXPECT_EQ(RetryAfter(throttle, "alice", "10.0.0.1"), 0);
  Fail(throttle, "alice", "10.0.0.1");
  EXPECT_EQ(RetryAfter(throttle, "alice", "10.0.0.1"), 2);
  clock.now += 2000;
  Fail(throttle, "alice", "10.0.0.1");
  EXPECT_EQ(RetryAfter(throttle, "alice", "10.0.0.1"), 4);
}

TEST(SignInThrottle, CountsUsernamesAcrossAddressesAndAddressesAcrossUsernames) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get());
  for (int i = 0; i < 5; ++i) Fail(throttle, "Alice", "10.0.0." + std::to_string(i));
  EXPECT_GT(RetryAfter(throttle, "alice", "10.9.9.9"), 0) << "usernames compare case-insensitively";
  for (int i = 0; i < 5; ++i) Fail(throttle, "user" + std::to_string(i), "10.1.1.1");
  EXPECT_GT(RetryAfter(throttle, "someone_new", "10.1.1.1"), 0);
  EXPECT_EQ(RetryAfter(throttle, "someone_new", "10.2.2.2"), 0);
}

TEST(SignInThrottle, DelaysStopAtFifteenMinutes) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get());
  int64_t wait = 0;
  for (int attempt = 0; attempt < 40 && wait < SignInThrottle::kMaxDelaySeconds; ++attempt) {
    clock.now += wait * SignInThrottle::kMillisPerSecond;
    Fail(throttle, "bob", "a");
    wait = RetryAfter(throttle, "bob", "b");
  }
  EXPECT_EQ(wait, SignInThrottle::kMaxDelaySeconds);
}

TEST(SignInThrottle, SuccessClearsTheUsernameAndQuietKeysAreForgotten) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get());
  for (int i = 0; i < 4; ++i) Fail(throttle, "carol", "addr" + std::to_string(i));
  ASSERT_EQ(throttle.Begin("carol", "addr9", [] {}).admission, Admission::kGranted);
  throttle.Finish("carol", "addr9", Outcome::kAccepted);
  for (int i = 0; i < 4; ++i) Fail(throttle, "carol", "addr" + std::to_string(i));
  EXPECT_EQ(RetryAfter(throttle, "carol", "other"), 0) << "the success started the count afresh";

  for (int i = 0; i < 5; ++i) Fail(throttle, "x" + std::to_string(i), "addr");
  EXPECT_GT(RetryAfter(throttle, "y", "addr"), 0);
  clock.now += SignInThrottle::kForgetAfterSeconds * 1000;
  EXPECT_EQ(RetryAfter(throttle, "y", "addr"), 0);
}

TEST(SignInThrottle, SuccessesDoNotCountAgainstTheirAddress) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get());
  // An office behind one address where everybody signs in correctly.
  for (int i = 0; i < 20; ++i) {
    std::string user = "user" + std::to_string(i);
    ASSERT_EQ(throttle.Begin(user, "office", [] {}).admission, Admission::kGranted) << i;
    throttle.Finish(user, "office", Outcome::kAccepted);
  }
  EXPECT_EQ(RetryAfter(throttle, "late", "office"), 0);
}

TEST(SignInThrottle, AbandonedChecksAreNotCounted) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get());
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(throttle.Begin("dora", "addr", [] {}).admission, Admission::kGranted) << i;
    throttle.Finish("dora", "addr", Outcome::kAbandoned);
  }
  EXPECT_EQ(RetryAfter(throttle, "dora", "addr"), 0);
}

// Sixty attempts sent at once: one is checked, a few wait their turn, the rest are refused;
// the waiting ones are checked one at a time, so the lock after the fifth failure holds.
TEST(SignInThrottle, RegressionBurstOfAttemptsWasCheckedBeforeAnyFailureCounted) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get());
  int granted_now = 0;
  int checked = 0;
  int refused = 0;
  int running = 0;
  std::function<void()> attempt = [&] {
    SignInThrottle::Decision decision = throttle.Begin("eve", "10.0.0.66", attempt);
    if (decision.admission == Admission::kGranted) {
      ++granted_now;
    } else if (decision.admission == Admission::kRefused) {
      EXPECT_GT(decision.retry_after_seconds, 0);
      ++refused;
    }
  };
  for (int i = 0; i < 60; ++i) attempt();
  while (granted_now > 0) {
    ASSERT_EQ(granted_now, 1) << "two checks ran at once";
    ASSERT_LE(++running, 60);
    granted_now = 0;
    ++checked;
    throttle.Finish("eve", "10.0.0.66", Outcome::kRejected);  // wakes the waiting ones
  }
  EXPECT_EQ(checked, SignInThrottle::kFreeFailures);
  EXPECT_EQ(checked + refused, 60);
  EXPECT_GT(RetryAfter(throttle, "eve", "elsewhere"), 0);
}

TEST(SignInThrottle, ABusyAddressMakesOtherUsernamesWait) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get());
  ASSERT_EQ(throttle.Begin("first", "shared", [] {}).admission, Admission::kGranted);
  bool woken = false;
  EXPECT_EQ(throttle.Begin("second", "shared", [&] { woken = true; }).admission,
            Admission::kQueued);
  EXPECT_EQ(throttle.Begin("third", "elsewhere", [] {}).admission, Admission::kGranted);
  EXPECT_FALSE(woken);
  throttle.Finish("first", "shared", Outcome::kAccepted);
  EXPECT_TRUE(woken);
  EXPECT_EQ(throttle.Begin("second", "shared", [] {}).admission, Admission::kGranted);
}

TEST(SignInThrottle, MemoryStaysBounded) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get(), 100);
  for (int i = 0; i < 10'000; ++i) {
    clock.now += i % 7 == 0 ? 1000 : 0;
    Fail(throttle, "user" + std::to_string(i), "addr" + std::to_string(i));
    ASSERT_LE(throttle.TrackedKeyCount(), 100u);
  }
  // The newest attacker is still tracked after all the trimming.
  for (int i = 0; i < 5; ++i) Fail(throttle, "last", "last-addr");
  EXPECT_GT(RetryAfter(throttle, "last", "elsewhere"), 0);
}

}  // namespace
}  // namespace pcustomer
