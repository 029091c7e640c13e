#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "pcustomer/auth/identity_provider.hpp"
#include "pcustomer/auth/password_hasher.hpp"
#include "pcustomer/auth/sign_in_throttle.hpp"
#include "pcustomer/auth/signing_keys.hpp"
#include "pcustomer/auth/token_verifier.hpp"
#include "pcustomer/store/user_store.hpp"
#include "pcustomer/util/worker_pool.hpp"

namespace pcustomer {

struct LocalIdentityOptions {
  std::string issuer = "urn:pcustomer:local";  // "iss" of every token
  std::string client_id = "pcustomer";         // "client_id" of access tokens, "aud" of id tokens
  int64_t access_token_seconds = 3600;
  int64_t refresh_token_seconds = 30 * 24 * 3600;  // a sliding window: each refresh renews it
  PasswordParams password_params;                  // OWASP Argon2id unless a test says otherwise
  // Argon2id with OWASP parameters costs tens of milliseconds of CPU: it runs on these
  // threads, never on an event loop, and a flood past the queue is refused with 503.
  size_t hashing_threads = 2;
  size_t max_queued_hashes = 256;
  std::function<int64_t()> now_seconds;  // unix seconds; the system clock when empty
};

// The built-in identity provider: users and refresh tokens in a UserStore, passwords as
// Argon2id hashes, RS256 tokens shaped like Cognito's signed with keys from the data
// directory. Unknown user, wrong password and disabled account get the same answer after
// the same work (a dummy hash for unknown users), so neither words nor timing tell them
// apart. Thread-safe.
class LocalIdentityProvider final : public IdentityProvider {
 public:
  LocalIdentityProvider(UserStore& users, std::shared_ptr<SigningKeyStore> keys,
                        LocalIdentityOptions options = {});

  void SignIn(std::string username, std::string password, std::string client_address,
              Done<AuthTokens> done) override;
  void Refresh(std::string refresh_token, std::optional<std::string> username,
               Done<AuthTokens> done) override;
  void SignOut(std::string refresh_token, Done<Ok> done) override;
  void Authenticate(std::string access_token, Done<Principal> done) override;
  std::optional<std::string> PublicJwks() const override;
  void LookUpUser(std::string username, Done<std::optional<DirectoryUser>> done) override;
  void TeamMembers(std::string team, Done<std::vector<std::string>> done) override;

  const PasswordHasher& hasher() const { return hasher_; }

 private:
  int64_t Now() const;
  void CheckPassword(std::string username, std::string password, std::string client_address,
                     std::optional<User> user, Done<AuthTokens> done);
  Result<AuthTokens> IssueTokens(const User& user);
  void StartSession(const User& user, Done<AuthTokens> done);
  // Picks up a key rotated by `pcustomer keys rotate` in another process, at most once a
  // minute, so the server starts signing with the new key without a restart.
  void ReloadKeysIfStale();

  UserStore& users_;
  std::shared_ptr<SigningKeyStore> keys_;
  LocalIdentityOptions options_;
  PasswordHasher hasher_;
  SignInThrottle throttle_;
  TokenVerifier verifier_;
  std::atomic<int64_t> last_key_reload_{0};
  WorkerPool hashing_;  // last: its threads stop first, while everything they use is alive
};

// The opaque refresh token's stored form: hex SHA-256.
std::string RefreshTokenHash(std::string_view token);

}  // namespace pcustomer
