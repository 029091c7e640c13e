#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "pcustomer/auth/jwt.hpp"
#include "pcustomer/auth/key_source.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

struct TokenVerifierOptions {
  std::string issuer;     // "iss" must equal this exactly
  std::string client_id;  // "client_id" must equal this exactly
  // Allowed clock skew for exp, nbf and iat; >= 0.
  int64_t leeway_seconds = 60;
  // An unknown kid triggers KeySource::Refresh at most this often: unknown kids are free to
  // forge, so each must not cost a fetch from the issuer.
  int64_t refresh_interval_seconds = 10;
  size_t cache_capacity = 100'000;
  // Unix seconds; default the system clock.
  std::function<int64_t()> now_seconds;
};

// Verifies access tokens shaped like Cognito's and answers their claims.
//
// A token is accepted only if: it is at most kMaxJwtBytes and well-formed (see ParseJwt);
// its header says alg RS256 (nothing else, in particular not "none", HS*, PS* or ES*) and
// names a kid; that kid is a key of the KeySource; the RS256 signature verifies under that
// key; iss and client_id equal the configured ones; token_use is "access"; exp and iat are
// present; now < exp + leeway; nbf, if present, <= now + leeway; iat <= now + leeway.
//
// Thread-safe. The verifier may be destroyed while a refresh it started is pending (the
// pending verifications still answer); the KeySource is kept alive until then.
class TokenVerifier {
 public:
  struct Stats {
    uint64_t signature_checks = 0;  // RSA verifications run
    uint64_t cache_hits = 0;
    uint64_t refreshes = 0;  // KeySource::Refresh calls
  };

  TokenVerifier(std::shared_ptr<KeySource> keys, TokenVerifierOptions options);
  ~TokenVerifier();
  TokenVerifier(const TokenVerifier&) = delete;
  TokenVerifier& operator=(const TokenVerifier&) = delete;

  // Answers the claims of `token`, or Error::Unauthorized with a message fit for the client
  // ("Token has expired", "Token signature is invalid", ...): never another error code,
  // whatever the input. `done` runs exactly once. It runs before Verify returns unless the
  // token names an unknown kid and a key refresh is started or already pending: then it runs
  // on the thread that completes the refresh, after one more attempt with the new keys.
  // A token verified once is remembered (see VerifiedTokenCache) until it expires; a
  // remembered token still has its expiry checked.
  void Verify(std::string_view token, Done<AccessClaims> done);

  Stats stats() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace pcustomer
