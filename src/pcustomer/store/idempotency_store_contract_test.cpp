// The IdempotencyStore contract, run against the backends of the CustomerStore contract
// (customer_store_contract_test.hpp): SQLite, the in-memory DynamoDB fake and DynamoDB Local.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "pcustomer/store/customer_store_contract_test.hpp"
#include "pcustomer/store/idempotency_store.hpp"
#include "pcustomer/store/testing/store_calls.hpp"

namespace pcustomer {
namespace {

using test::Await;
using test::BackendNames;
using test::Backends;
using Outcome = IdempotencyClaim::Outcome;

constexpr int64_t kNow = 1'800'000'000'000;
constexpr int64_t kLease = 60'000;
constexpr int64_t kDay = 86'400'000;

KeptAnswer Created() {
  return {201,
          R"({"data":{"fullName":"Nguyễn Văn An"}})",
          {{"Location", "/pcustomers/CUSTOMER%23123"}, {"ETag", "\"1\""}}};
}

template <class Backend>
class IdempotencyStoreContract : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(store_, nullptr) << backend_.problem(); }

  Result<IdempotencyClaim> Claim(const std::string& key, const std::string& fingerprint,
                                 int64_t now, IdempotencyStore* store = nullptr) {
    IdempotencyStore& target = store != nullptr ? *store : *store_;
    return Await<IdempotencyClaim>([&](Done<IdempotencyClaim> done) {
      target.Claim(key, fingerprint, now, now + kLease, done);
    });
  }
  Status Keep(const std::string& key, const std::string& token, KeptAnswer answer,
              int64_t keep_until) {
    return Await<Ok>(
        [&](Done<Ok> done) { store_->Keep(key, token, std::move(answer), keep_until, done); });
  }
  Status Release(const std::string& key, const std::string& token) {
    return Await<Ok>([&](Done<Ok> done) { store_->Release(key, token, done); });
  }
  // A claim that must win, and its token.
  std::string Claimed(const std::string& key, const std::string& fingerprint, int64_t now) {
    Result<IdempotencyClaim> claim = Claim(key, fingerprint, now);
    EXPECT_TRUE(claim.ok()) << (claim.ok() ? "" : claim.error().Described());
    if (!claim.ok()) return "";
    EXPECT_EQ(claim->outcome, Outcome::kClaimed);
    EXPECT_FALSE(claim->token.empty());
    return claim->token;
  }
  Outcome OutcomeOf(const std::string& key, const std::string& fingerprint, int64_t now) {
    Result<IdempotencyClaim> claim = Claim(key, fingerprint, now);
    EXPECT_TRUE(claim.ok()) << (claim.ok() ? "" : claim.error().Described());
    return claim.ok() ? claim->outcome : Outcome::kClaimed;
  }

  Backend backend_;
  std::unique_ptr<IdempotencyStore> store_ = backend_.OpenIdempotency();
};

TYPED_TEST_SUITE(IdempotencyStoreContract, Backends, BackendNames);

TYPED_TEST(IdempotencyStoreContract, AClaimedKeyIsInFlightForTheSameRequestAndTakenForOthers) {
  this->Claimed("k1", "request-a", kNow);
  EXPECT_EQ(this->OutcomeOf("k1", "request-a", kNow + 1), Outcome::kInFlight);
  EXPECT_EQ(this->OutcomeOf("k1", "request-b", kNow + 1), Outcome::kOtherRequest);
  // Another key is another story.
  this->Claimed("k2", "request-b", kNow + 1);
}

TYPED_TEST(IdempotencyStoreContract, AKeptAnswerReplaysToTheSameRequestInEveryStoreInstance) {
  const std::string token = this->Claimed("k1", "request-a", kNow);
  ASSERT_TRUE(this->Keep("k1", token, Created(), kNow + kDay).ok());
  auto replay = this->Claim("k1", "request-a", kNow + 1000);
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  EXPECT_EQ(replay->outcome, Outcome::kReplay);
  EXPECT_EQ(replay->answer, Created());
  EXPECT_EQ(this->OutcomeOf("k1", "request-b", kNow + 1000), Outcome::kOtherRequest);
  // A restarted process (another store on the same data) replays it too.
  auto reopened = this->backend_.OpenIdempotency();
  ASSERT_NE(reopened, nullptr);
  auto again = this->Claim("k1", "request-a", kNow + 2000, reopened.get());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->outcome, Outcome::kReplay);
  EXPECT_EQ(again->answer, Created());
}

TYPED_TEST(IdempotencyStoreContract, AKeptAnswerExpiresAndTheKeyIsFreeAgain) {
  const std::string token = this->Claimed("k1", "request-a", kNow);
  ASSERT_TRUE(this->Keep("k1", token, Created(), kNow + kDay).ok());
  EXPECT_EQ(this->OutcomeOf("k1", "request-a", kNow + kDay - 1), Outcome::kReplay);
  // Expired, the key may even carry another request.
  this->Claimed("k1", "request-b", kNow + kDay);
}

TYPED_TEST(IdempotencyStoreContract, AReleasedClaimLetsTheNextRequestRun) {
  const std::string token = this->Claimed("k1", "request-a", kNow);
  ASSERT_TRUE(this->Release("k1", token).ok());
  const std::string next = this->Claimed("k1", "request-a", kNow + 1);
  EXPECT_NE(next, token);
}

TYPED_TEST(IdempotencyStoreContract, AnAbandonedClaimExpiresAtItsLeaseAndItsLateAnswerIsDropped) {
  const std::string abandoned = this->Claimed("k1", "request-a", kNow);
  EXPECT_EQ(this->OutcomeOf("k1", "request-a", kNow + kLease - 1), Outcome::kInFlight);
  const std::string next = this->Claimed("k1", "request-a", kNow + kLease);
  EXPECT_NE(next, abandoned);
  // The first claimant answers late: neither its answer nor its release touches the new claim.
  ASSERT_TRUE(this->Keep("k1", abandoned, Created(), kNow + kDay).ok());
  ASSERT_TRUE(this->Release("k1", abandoned).ok());
  EXPECT_EQ(this->OutcomeOf("k1", "request-a", kNow + kLease + 1), Outcome::kInFlight);
  ASSERT_TRUE(this->Keep("k1", next, Created(), kNow + kDay).ok());
  EXPECT_EQ(this->OutcomeOf("k1", "request-a", kNow + kLease + 2), Outcome::kReplay);
}

TYPED_TEST(IdempotencyStoreContract, OfRacingClaimsExactlyOneWins) {
  constexpr int kRacers = 20;
  std::vector<Result<IdempotencyClaim>> claims(kRacers, Error::Internal("not run"));
  std::vector<std::thread> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([this, i, &claims] { claims[i] = this->Claim("k1", "request-a", kNow); });
  }
  for (std::thread& racer : racers) racer.join();
  int won = 0;
  for (const auto& claim : claims) {
    ASSERT_TRUE(claim.ok()) << claim.error().message;
    if (claim->outcome == Outcome::kClaimed) {
      ++won;
    } else {
      EXPECT_EQ(claim->outcome, Outcome::kInFlight);
    }
  }
  EXPECT_EQ(won, 1);
}

}  // namespace
}  // namespace pcustomer
