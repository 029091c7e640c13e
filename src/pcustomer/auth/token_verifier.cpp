#include "pcustomer/auth/token_verifier.hpp"

#include <atomic>
#include <limits>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "pcustomer/auth/verified_token_cache.hpp"
#include "pcustomer/util/clock.hpp"
#include "pcustomer/util/crypto.hpp"

namespace pcustomer {
namespace {

// Most verifications that may wait for one pending refresh; beyond it, tokens with an
// unknown kid are refused at once rather than held in memory.
constexpr size_t kMaxRefreshWaiters = 1024;

Error Unauthorized(const char* message) { return Error::Unauthorized(message); }

}  // namespace

struct TokenVerifier::State : std::enable_shared_from_this<State> {
  State(std::shared_ptr<KeySource> key_source, TokenVerifierOptions verifier_options)
      : keys(std::move(key_source)),
        options(std::move(verifier_options)),
        cache(options.cache_capacity) {}

  struct Waiter {
    std::string token;
    Done<AccessClaims> done;
  };

  const std::shared_ptr<KeySource> keys;
  const TokenVerifierOptions options;
  VerifiedTokenCache cache;
  std::atomic<uint64_t> signature_checks{0};
  std::atomic<uint64_t> cache_hits{0};
  std::atomic<uint64_t> refreshes{0};

  std::mutex refresh_mutex;
  std::optional<int64_t> last_refresh;  // guarded by refresh_mutex
  bool refreshing = false;              // guarded by refresh_mutex
  std::vector<Waiter> waiters;          // guarded by refresh_mutex

  int64_t Now() const {
    return options.now_seconds ? options.now_seconds() : NowUnixMillis() / 1000;
  }

  // The time checks, shared by fresh and remembered tokens.
  Status CheckTimes(const AccessClaims& claims, int64_t now) const {
    const int64_t leeway = options.leeway_seconds;
    if (claims.exp == 0) return Unauthorized("Token has no expiry");
    if (claims.iat == 0) return Unauthorized("Token has no issue time");
    // Compared as now - leeway against the claim, so that a claim near INT64_MAX cannot
    // overflow; now is a real clock reading, far from the limits.
    if (now - leeway >= claims.exp) return Unauthorized("Token has expired");
    if (claims.nbf && now + leeway < *claims.nbf) return Unauthorized("Token is not yet valid");
    if (now + leeway < claims.iat) return Unauthorized("Token was issued in the future");
    return Ok{};
  }

  Status CheckClaims(const AccessClaims& claims, int64_t now) const {
    if (claims.iss != options.issuer) return Unauthorized("Token was issued by another issuer");
    // Before client_id: an id token carries "aud" instead, and this says what went wrong.
    if (claims.token_use != "access") return Unauthorized("Token is not an access token");
    if (claims.client_id != options.client_id) {
      return Unauthorized("Token was issued for another client");
    }
    return CheckTimes(claims, now);
  }

  void Verify(std::string_view token, Done<AccessClaims> done, bool may_refresh) {
    // Checked here as well as in ParseJwt so that an oversized token is not even hashed.
    if (token.size() > kMaxJwtBytes) return done(Unauthorized("Token is too long"));
    const int64_t now = Now();
    const std::string digest = Sha256(token);
    if (std::optional<AccessClaims> remembered = cache.Find(digest)) {
      cache_hits.fetch_add(1, std::memory_order_relaxed);
      if (Status fresh = CheckTimes(*remembered, now); !fresh)
        return done(std::move(fresh).error());
      return done(std::move(*remembered));
    }

    Result<ParsedJwt> parsed = ParseJwt(token);
    if (!parsed) return done(std::move(parsed).error());
    if (parsed->header.alg != "RS256") return done(Unauthorized("Token algorithm is not allowed"));
    if (parsed->header.kid.empty()) return done(Unauthorized("Token has no key id"));
    const std::shared_ptr<const JwksKeys> known = keys->Current();
    auto key = known->find(parsed->header.kid);
    if (key == known->end()) {
      if (may_refresh) return RefreshThenRetry(std::string(token), std::move(done), now);
      return done(Unauthorized("Token was signed by an unknown key"));
    }

    signature_checks.fetch_add(1, std::memory_order_relaxed);
    if (!key->second.VerifyRs256(parsed->signing_input, parsed->signature)) {
      return done(Unauthorized("Token signature is invalid"));
    }
    AccessClaims& claims = parsed->claims;
    if (Status valid = CheckClaims(claims, now); !valid) return done(std::move(valid).error());
    const int64_t leeway = options.leeway_seconds;
    const int64_t forget_at = claims.exp > std::numeric_limits<int64_t>::max() - leeway
                                  ? claims.exp
                                  : claims.exp + leeway;
    cache.Insert(digest, claims, forget_at, now);
    done(std::move(claims));
  }

  // Joins the pending refresh, or starts one if none ran in the last refresh interval, then
  // verifies `token` once more without refreshing again.
  void RefreshThenRetry(std::string token, Done<AccessClaims> done, int64_t now) {
    {
      std::unique_lock lock(refresh_mutex);
      const bool join = refreshing && waiters.size() < kMaxRefreshWaiters;
      const bool start =
          !refreshing && (!last_refresh || now - *last_refresh >= options.refresh_interval_seconds);
      if (!join && !start) {
        lock.unlock();
        return done(Unauthorized("Token was signed by an unknown key"));
      }
      waiters.push_back(Waiter{std::move(token), std::move(done)});
      if (join) return;
      refreshing = true;
      last_refresh = now;
    }
    refreshes.fetch_add(1, std::memory_order_relaxed);
    keys->Refresh([self = shared_from_this()] { self->Refreshed(); });
  }

  void Refreshed() {
    std::vector<Waiter> retry;
    {
      std::lock_guard lock(refresh_mutex);
      retry.swap(waiters);
      refreshing = false;
    }
    for (Waiter& waiter : retry) Verify(waiter.token, std::move(waiter.done), false);
  }
};

TokenVerifier::TokenVerifier(std::shared_ptr<KeySource> keys, TokenVerifierOptions options)
    : state_(std::make_shared<State>(std::move(keys), std::move(options))) {}

TokenVerifier::~TokenVerifier() = default;

void TokenVerifier::Verify(std::string_view token, Done<AccessClaims> done) {
  state_->Verify(token, std::move(done), true);
}

TokenVerifier::Stats TokenVerifier::stats() const {
  return Stats{state_->signature_checks.load(std::memory_order_relaxed),
               state_->cache_hits.load(std::memory_order_relaxed),
               state_->refreshes.load(std::memory_order_relaxed)};
}

}  // namespace pcustomer
