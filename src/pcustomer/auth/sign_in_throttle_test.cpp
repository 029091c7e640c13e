#include "pcustomer/auth/sign_in_throttle.hpp"

#include <gtest/gtest.h>

namespace pcustomer {
namespace {

struct FakeClock {
  int64_t now = 1'000'000'000;  // unix milliseconds
  SignInThrottle::Clock Get() {
    return [this] { return now; };
  }
};

TEST(SignInThrottle, AllowsFourFailuresThenLocksWithGrowingDelays) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(throttle.RetryAfter("alice", "10.0.0.1"), 0);
    throttle.RecordFailure("alice", "10.0.0.1");
  }
  throttle.RecordFailure("alice", "10.0.0.1");
  EXPECT_EQ(throttle.RetryAfter("alice", "10.0.0.1"), 1);
  clock.now += 400;
  EXPECT_EQ(throttle.RetryAfter("alice", "10.0.0.1"), 1) << "a part second still counts as one";
  clock.now += 600;
  EXPECT_EQ(throttle.RetryAfter("alice", "10.0.0.1"), 0);
  throttle.RecordFailure("alice", "10.0.0.1");
  EXPECT_EQ(throttle.RetryAfter("alice", "10.0.0.1"), 2);
  clock.now += 2000;
  throttle.RecordFailure("alice", "10.0.0.1");
  EXPECT_EQ(throttle.RetryAfter("alice", "10.0.0.1"), 4);
}

TEST(SignInThrottle, CountsUsernamesAcrossAddressesAndAddressesAcrossUsernames) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get());
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("Alice", "10.0.0." + std::to_string(i));
  EXPECT_GT(throttle.RetryAfter("alice", "10.9.9.9"), 0) << "usernames compare case-insensitively";
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("user" + std::to_string(i), "10.1.1.1");
  EXPECT_GT(throttle.RetryAfter("someone_new", "10.1.1.1"), 0);
  EXPECT_EQ(throttle.RetryAfter("someone_new", "10.2.2.2"), 0);
}

TEST(SignInThrottle, DelaysStopAtFifteenMinutes) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get());
  for (int i = 0; i < 40; ++i) throttle.RecordFailure("bob", "a");
  EXPECT_EQ(throttle.RetryAfter("bob", "b"), SignInThrottle::kMaxDelaySeconds);
}

TEST(SignInThrottle, SuccessClearsTheUsernameAndQuietKeysAreForgotten) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get());
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("carol", "addr");
  throttle.RecordSuccess("carol");
  EXPECT_EQ(throttle.RetryAfter("carol", "other"), 0);
  EXPECT_GT(throttle.RetryAfter("x", "addr"), 0);
  clock.now += SignInThrottle::kForgetAfterSeconds * 1000;
  EXPECT_EQ(throttle.RetryAfter("x", "addr"), 0);
}

TEST(SignInThrottle, MemoryStaysBounded) {
  FakeClock clock;
  SignInThrottle throttle(clock.Get(), 100);
  for (int i = 0; i < 10'000; ++i) {
    clock.now += i % 7 == 0 ? 1000 : 0;
    throttle.RecordFailure("user" + std::to_string(i), "addr" + std::to_string(i));
    ASSERT_LE(throttle.TrackedKeyCount(), 100u);
  }
  // The newest attacker is still tracked after all the trimming.
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("last", "last-addr");
  EXPECT_GT(throttle.RetryAfter("last", "elsewhere"), 0);
}

}  // namespace
}  // namespace pcustomer
