#pragma once

#include "pcustomer/api/router.hpp"
#include "pcustomer/auth/identity_provider.hpp"

namespace pcustomer {

// POST /auth/sign-in, /auth/refresh-tokens, /auth/sign-out and GET /.well-known/jwks.json.
void RegisterAuthRoutes(Router& router, IdentityProvider& identity);

}  // namespace pcustomer
