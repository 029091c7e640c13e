#pragma once

#include <memory>

#include "pcustomer/auth/identity_provider.hpp"
#include "pcustomer/auth/sign_in_throttle.hpp"
#include "pcustomer/auth/token_verifier.hpp"
#include "pcustomer/auth/verified_token_cache.hpp"
#include "pcustomer/aws/cognito_client.hpp"

namespace pcustomer {

class RemoteKeySource;

// Users of an AWS Cognito user pool. Sign-in, refresh and sign-out go to Cognito; access
// tokens are verified here against the pool's JWKS (fetched at start, kept, refetched on
// an unknown kid). The role is `custom:role` of the access token when Cognito put it there
// (a pre-token-generation trigger, a paid feature); otherwise it is read once per token
// through GetUser and remembered until the token expires. Thread-safe.
class CognitoIdentityProvider final : public IdentityProvider {
 public:
  CognitoIdentityProvider(CognitoSettings settings, HttpTransport& transport);
  ~CognitoIdentityProvider() override;

  // Fetches the pool's keys, waiting at most `timeout`. A failure is not fatal (tokens
  // are refused until a later fetch works); it is returned so that start-up can warn.
  Status FetchKeys(std::chrono::milliseconds timeout);

  void SignIn(std::string username, std::string password, std::string client_address,
              Done<AuthTokens> done) override;
  void Refresh(std::string refresh_token, std::optional<std::string> username,
               Done<AuthTokens> done) override;
  void SignOut(std::string refresh_token, Done<Ok> done) override;
  void Authenticate(std::string access_token, Done<Principal> done) override;
  std::optional<std::string> PublicJwks() const override { return std::nullopt; }
  // Looking users up needs the pool's admin API (AdminGetUser, ListUsersInGroup), signed with
  // AWS credentials; until this provider has them both answer kUnavailable, so in Cognito mode
  // a lead cannot be given an owner and round-robin assignment assigns nobody.
  void LookUpUser(std::string username, Done<std::optional<DirectoryUser>> done) override;
  void TeamMembers(std::string team, Done<std::vector<std::string>> done) override;

 private:
  CognitoClient client_;
  std::shared_ptr<RemoteKeySource> keys_;
  TokenVerifier verifier_;
  VerifiedTokenCache roles_;  // claims completed with the GetUser role, by token digest
  SignInThrottle throttle_;
};

}  // namespace pcustomer
