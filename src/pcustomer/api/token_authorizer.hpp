#pragma once

#include "pcustomer/api/authorizer.hpp"
#include "pcustomer/auth/identity_provider.hpp"

namespace pcustomer {

// Requires `Authorization: Bearer <access token>`, has the identity provider say who the
// caller is, then applies the role/team policy of the route's permission.
class TokenAuthorizer final : public Authorizer {
 public:
  explicit TokenAuthorizer(IdentityProvider& identity) : identity_(identity) {}
  void Authorize(const Request& request, Permission permission, Done<Principal> done) override;

 private:
  IdentityProvider& identity_;
};

}  // namespace pcustomer
