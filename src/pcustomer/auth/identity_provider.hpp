#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pcustomer/domain/principal.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/domain/user.hpp"

namespace pcustomer {

struct AuthTokens {
  std::string id_token;
  std::string access_token;
  std::optional<std::string> refresh_token;  // absent when the old one stays valid
  int64_t expires_in = 0;                    // seconds the access token lives
};

// Signs users in and out. Two implementations: the built-in provider (users in the store,
// tokens signed with our own keys) and Cognito. Every method is asynchronous (password
// hashing and network calls never run on an event loop) and thread-safe.
class IdentityProvider {
 public:
  virtual ~IdentityProvider() = default;

  // kUnauthorized with one message for an unknown user, a wrong password and a disabled
  // account; kTooManyRequests (with a retry delay) while throttled; kUnavailable when the
  // backend cannot answer.
  virtual void SignIn(std::string username, std::string password, std::string client_address,
                      Done<AuthTokens> done) = 0;

  // New access and id tokens for a refresh token; kUnauthorized when it is invalid,
  // expired, revoked or re-used. `username`, when the client sends it, is what Cognito
  // needs to check an app client secret on refresh; the local provider does not use it.
  virtual void Refresh(std::string refresh_token, std::optional<std::string> username,
                       Done<AuthTokens> done) = 0;

  // Makes the refresh token (and the tokens refreshed from it) stop working. Idempotent.
  virtual void SignOut(std::string refresh_token, Done<Ok> done) = 0;

  // Checks an access token and says who presented it: kUnauthorized for any token that
  // is malformed, expired, untrusted or not an access token of our app client.
  virtual void Authenticate(std::string access_token, Done<Principal> done) = 0;

  // The JSON Web Key Set that verifies our tokens, when this provider signs them.
  virtual std::optional<std::string> PublicJwks() const = 0;

  // The user `username` names (the provider's own matching: ASCII case aside), disabled or
  // not; none when there is no such user. For lead owners (CONTRACT.md section 9).
  virtual void LookUpUser(std::string username, Done<std::optional<DirectoryUser>> done) = 0;

  // The usernames of the enabled users of `team`, in byte order: whom round-robin assignment
  // takes turns over.
  virtual void TeamMembers(std::string team, Done<std::vector<std::string>> done) = 0;
};

}  // namespace pcustomer
