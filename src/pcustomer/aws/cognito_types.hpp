#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/aws/endpoint.hpp"

namespace pcustomer {

struct CognitoSettings {
  std::string region;        // used for the issuer only when the pool id names no region
  std::string user_pool_id;  // "eu-west-1_AbCdEf123"
  std::string client_id;
  std::optional<std::string> client_secret;  // set when the app client has a secret
  AwsEndpoint endpoint;  // ResolveEndpoint(kCognitoIdentityProviderService, region, env)
  std::chrono::milliseconds timeout{0};  // per call; zero: the transport's default
};

struct CognitoTokens {
  std::string id_token;
  std::string access_token;
  std::optional<std::string> refresh_token;  // absent on refresh unless rotation is on
  int64_t expires_in_seconds = 0;            // of the access token
};

struct CognitoUser {
  std::string username;
  std::map<std::string, std::string> attributes;  // "sub", "email", "custom:role", ...

  std::optional<std::string_view> FindAttribute(std::string_view name) const;
};

}  // namespace pcustomer
