#pragma once

#include "pcustomer/api/exchange.hpp"
#include "pcustomer/domain/principal.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Decides whether a request may use a route. Answers the caller's Principal, or
// kUnauthorized (no or bad credentials) or kForbidden (not allowed). Thread-safe.
class Authorizer {
 public:
  virtual ~Authorizer() = default;
  virtual void Authorize(const Request& request, Permission permission, Done<Principal> done) = 0;
};

// Lets every request through: for deployments where another layer authenticates.
class OpenAccess final : public Authorizer {
 public:
  void Authorize(const Request&, Permission, Done<Principal> done) override {
    done(Principal{"anonymous", "", {}, "anonymous"});
  }
};

}  // namespace pcustomer
