#pragma once

// The JSON bodies of the Cognito user pool API calls CognitoClient makes, and the parsing of
// their answers: pure functions, so both are testable without a network.

#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/aws/cognito_types.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// InitiateAuth USER_PASSWORD_AUTH, with SECRET_HASH when the client has a secret.
std::string SignInRequestBody(const CognitoSettings& settings, std::string_view username,
                              std::string_view password);

// InitiateAuth REFRESH_TOKEN_AUTH, with SECRET_HASH when the client has a secret and
// `username` is given.
std::string RefreshRequestBody(const CognitoSettings& settings, std::string_view refresh_token,
                               const std::optional<std::string>& username);

// RevokeToken, with ClientSecret when the client has one.
std::string RevokeRequestBody(const CognitoSettings& settings, std::string_view refresh_token);

// GetUser.
std::string GetUserRequestBody(std::string_view access_token);

// A 2xx InitiateAuth answer: the tokens, or kUnauthorized "Sign-in needs a further step:
// <ChallengeName>" for a challenge, or kUnavailable when it is not the expected JSON. When
// ExpiresIn is missing (cognito-local leaves it out) it is read from the access token's
// exp - iat, else one hour, Cognito's default.
Result<CognitoTokens> ParseAuthenticationAnswer(std::string_view body);

// A 2xx GetUser answer, or kUnavailable when it is not the expected JSON.
Result<CognitoUser> ParseGetUserAnswer(std::string_view body);

}  // namespace pcustomer
