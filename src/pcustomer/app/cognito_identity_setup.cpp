#include "pcustomer/app/cognito_identity_setup.hpp"

#include <spdlog/spdlog.h>

#include "pcustomer/app/store_setup.hpp"

namespace pcustomer {

Result<std::unique_ptr<CognitoIdentityProvider>> OpenCognitoIdentity(const Config& config,
                                                                     HttpTransport& transport) {
  auto endpoint =
      ResolveEndpoint(kCognitoIdentityProviderService, config.aws_region, AwsEnvironment(config));
  if (!endpoint) return std::move(endpoint).error();
  CognitoSettings settings{config.aws_region,
                           config.cognito_user_pool_id,
                           config.cognito_app_client_id,
                           config.cognito_app_client_secret,
                           std::move(*endpoint),
                           std::chrono::seconds(5)};
  auto provider = std::make_unique<CognitoIdentityProvider>(std::move(settings), transport);
  if (Status keys = provider->FetchKeys(std::chrono::seconds(5)); !keys) {
    spdlog::warn("cannot fetch the user pool's keys yet ({}); tokens are refused until they arrive",
                 keys.error().Described());
  }
  return provider;
}

}  // namespace pcustomer
