#pragma once

#include <string>
#include <vector>

#include "pcustomer/api/exchange.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// What a route needs from its caller. Each route declares one; the router asks the
// Authorizer before the handler runs.
enum class Permission {
  kPublic,          // anyone, no token
  kReadCustomers,   // list and get
  kWriteCustomers,  // create, update, delete
};

// Who is calling, as established by the Authorizer.
struct Principal {
  std::string username;
  std::string role;                 // "employee", "admin" or empty
  std::vector<std::string> groups;  // teams: "marketing", "sales"
};

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
    done(Principal{"anonymous", "", {}});
  }
};

}  // namespace pcustomer
