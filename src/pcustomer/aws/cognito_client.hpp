#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/aws/cognito_types.hpp"
#include "pcustomer/aws/http_transport.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// A client of the Cognito user pool API (JSON protocol over HTTPS; the operations used here
// are authenticated by the app client id and secret, so no SigV4).
//
// Every method sends one request through `transport` and calls `done` exactly once, on the
// transport's thread. Failures are mapped by CognitoError (cognito_error.hpp); in addition a
// sign-in that Cognito answers with a challenge (NEW_PASSWORD_REQUIRED, SMS_MFA, ...) fails
// with kUnauthorized "Sign-in needs a further step: <challenge>", and an answer that does not
// parse fails with kUnavailable. Thread-safe. Requests in flight do not refer to the client,
// so it may be destroyed before they finish; `transport` must outlive them.
class CognitoClient {
 public:
  CognitoClient(CognitoSettings settings, HttpTransport& transport);

  // InitiateAuth USER_PASSWORD_AUTH (the app client must allow ALLOW_USER_PASSWORD_AUTH).
  void SignIn(const std::string& username, const std::string& password,
              Done<CognitoTokens> done) const;

  // InitiateAuth REFRESH_TOKEN_AUTH. With a client secret Cognito checks a SECRET_HASH over
  // the user's name as the pool knows it (the `sub` for pools that sign in by e-mail), so
  // `username` is needed then; without a secret it is ignored.
  void Refresh(const std::string& refresh_token, const std::optional<std::string>& username,
               Done<CognitoTokens> done) const;

  // RevokeToken: the refresh token and the access tokens issued from it stop working
  // (the app client must have token revocation enabled, Cognito's default).
  void RevokeRefreshToken(const std::string& refresh_token, Done<Ok> done) const;

  // GetUser: the user an access token belongs to, with its attributes. Also tells whether
  // Cognito still accepts the token (kUnauthorized after revocation or sign-out).
  void GetUser(const std::string& access_token, Done<CognitoUser> done) const;

  // The pool's JSON Web Key Set document, verbatim; kUnavailable unless answered 200.
  // Matches auth's JwksFetcher.
  void FetchJwks(Done<std::string> done) const;

  // The `iss` of the pool's tokens: https://cognito-idp.<region>.amazonaws.com/<pool>, or
  // <endpoint>/<pool> for a custom endpoint (where cognito-local issues and serves keys).
  const std::string& issuer() const { return issuer_; }
  // <issuer>/.well-known/jwks.json
  const std::string& jwks_url() const { return jwks_url_; }
  // The app client whose tokens this client asks for: access tokens carry it as client_id.
  const std::string& client_id() const { return settings_.client_id; }

 private:
  void Call(std::string_view operation, std::string body, Done<HttpResponse> done) const;

  CognitoSettings settings_;
  HttpTransport& transport_;
  std::string issuer_;
  std::string jwks_url_;
};

}  // namespace pcustomer
