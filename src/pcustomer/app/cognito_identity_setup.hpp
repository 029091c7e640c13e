#pragma once

#include <memory>

#include "pcustomer/app/config.hpp"
#include "pcustomer/auth/cognito_identity_provider.hpp"

namespace pcustomer {

// The Cognito identity provider of `config`: endpoint from AWS_ENDPOINT_URL_COGNITO_-
// IDENTITY_PROVIDER or AWS_ENDPOINT_URL when set, the pool's keys fetched before serving.
// A pool that cannot be reached at start is logged, not fatal: its keys are fetched again
// on the first token.
Result<std::unique_ptr<CognitoIdentityProvider>> OpenCognitoIdentity(const Config& config,
                                                                     HttpTransport& transport);

}  // namespace pcustomer
