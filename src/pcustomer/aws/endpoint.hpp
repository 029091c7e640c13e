#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Reads one environment variable; none when it is unset. Tests pass a table instead of the
// process environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (getenv).
EnvLookup ProcessEnvironment();

// How the AWS SDKs name a service: the suffix of its AWS_ENDPOINT_URL_<SERVICE> variable
// and the first label of its default host name.
struct AwsService {
  std::string_view env_suffix;
  std::string_view endpoint_prefix;
};

inline constexpr AwsService kDynamoDbService{"DYNAMODB", "dynamodb"};
inline constexpr AwsService kCognitoIdentityProviderService{"COGNITO_IDENTITY_PROVIDER",
                                                            "cognito-idp"};

struct AwsEndpoint {
  std::string url;      // scheme and authority, optionally a path; never a trailing '/'
  bool custom = false;  // from an AWS_ENDPOINT_URL* variable (a local emulator, a proxy)
};

// The endpoint of `service` as the AWS SDKs pick it: AWS_ENDPOINT_URL_<SERVICE>, else
// AWS_ENDPOINT_URL, else https://<prefix>.<region>.amazonaws.com. Empty variables count as
// unset, and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores both variables.
// kBadRequest naming the variable when the chosen one is not an http(s) URL, or when no
// variable is set and `region` is empty or not a region name.
Result<AwsEndpoint> ResolveEndpoint(const AwsService& service, std::string_view region,
                                    const EnvLookup& env);

}  // namespace pcustomer
