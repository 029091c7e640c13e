#pragma once

// Test support: blocking calls of the UserStore interface and the data the user store
// tests share. Included by tests only.

#include <gtest/gtest.h>

#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pcustomer/store/testing/store_calls.hpp"
#include "pcustomer/store/user_store.hpp"

namespace pcustomer::test {

inline constexpr const char* kReuse = "Refresh token reuse detected; sign in again";
inline constexpr const char* kInvalid = "Refresh token is invalid or expired";
inline constexpr int64_t kNow = 1'800'000'000;
inline constexpr int64_t kLifetime = 30 * 24 * 60 * 60;

inline User MakeUser(std::string username, std::string role = "employee",
                     std::string team = "sales") {
  return {std::move(username),
          "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA",
          std::move(role),
          std::move(team),
          false,
          kNow};
}

inline RefreshTokenRecord Token(std::string hash, std::string family, std::string username,
                                int64_t issued_at = kNow) {
  return {std::move(hash), std::move(family), std::move(username), issued_at,
          issued_at + kLifetime};
}

// Each call waits for its answer. A backend's fixture derives from this and says which
// store to call.
class UserStoreCalls {
 protected:
  virtual ~UserStoreCalls() = default;
  virtual UserStore& store() = 0;

  Status CreateUser(User user) {
    return Await<Ok>([&](Done<Ok> done) { store().CreateUser(std::move(user), done); });
  }
  Result<std::optional<User>> FindUser(std::string username) {
    return Await<std::optional<User>>(
        [&](Done<std::optional<User>> done) { store().FindUser(std::move(username), done); });
  }
  Result<std::vector<User>> ListUsers() {
    return Await<std::vector<User>>([&](Done<std::vector<User>> done) { store().ListUsers(done); });
  }
  Status UpdateUser(User user) {
    return Await<Ok>([&](Done<Ok> done) { store().UpdateUser(std::move(user), done); });
  }
  Result<int64_t> CountUsers() {
    return Await<int64_t>([&](Done<int64_t> done) { store().CountUsers(done); });
  }
  Status Save(RefreshTokenRecord record) {
    return Await<Ok>([&](Done<Ok> done) { store().SaveRefreshToken(std::move(record), done); });
  }
  // Presents `presented` and asks for a new token `next_hash` at `now`. The family and
  // username given for the new token are wrong on purpose: the store must take the
  // presented token's.
  Result<RefreshTokenRecord> Rotate(std::string presented, std::string next_hash,
                                    int64_t now = kNow + 60) {
    return Await<RefreshTokenRecord>([&](Done<RefreshTokenRecord> done) {
      store().RotateRefreshToken(std::move(presented),
                                 Token(std::move(next_hash), "wrong-family", "wrong-user", now),
                                 now, done);
    });
  }
  Status SignOut(std::string presented) {
    return Await<Ok>(
        [&](Done<Ok> done) { store().RevokeRefreshFamily(std::move(presented), done); });
  }
  Status RevokeUserTokens(std::string username) {
    return Await<Ok>([&](Done<Ok> done) { store().RevokeUserTokens(std::move(username), done); });
  }

  // What `threads` concurrent rotations of token "A" answered.
  struct RotationRace {
    int succeeded = 0;
    int reuses = 0;          // refused as a replay of a rotated token
    int other_refusals = 0;  // refused as invalid (the family was revoked by then)
    int unexpected = 0;      // anything but kUnauthorized
    std::string winner;      // the new token of the one that succeeded
  };
  RotationRace RaceRotationsOfA(int threads) {
    std::vector<std::optional<Result<RefreshTokenRecord>>> results(static_cast<size_t>(threads));
    std::latch start(threads);
    std::vector<std::thread> racers;
    for (int t = 0; t < threads; ++t) {
      racers.emplace_back([&, t] {
        start.arrive_and_wait();
        results[static_cast<size_t>(t)].emplace(Rotate("A", "next-" + std::to_string(t)));
      });
    }
    for (auto& racer : racers) racer.join();
    RotationRace race;
    for (int t = 0; t < threads; ++t) {
      const auto& result = *results[static_cast<size_t>(t)];
      if (result.ok()) {
        ++race.succeeded;
        race.winner = "next-" + std::to_string(t);
      } else if (result.error().code != ErrorCode::kUnauthorized) {
        ++race.unexpected;
      } else if (result.error().message == kReuse) {
        ++race.reuses;
      } else {
        ++race.other_refusals;
      }
    }
    return race;
  }

  static void ExpectRefused(const Result<RefreshTokenRecord>& result, const char* message) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kUnauthorized);
    EXPECT_EQ(result.error().message, message);
  }
};

}  // namespace pcustomer::test
