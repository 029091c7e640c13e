#pragma once

#include <string>
#include <vector>

#include "pcustomer/domain/history.hpp"

namespace pcustomer {

// What a route needs from its caller. Each route declares one; the router asks the
// Authorizer before the handler runs.
enum class Permission {
  kPublic,          // anyone, no token
  kReadCustomers,   // list and get
  kWriteCustomers,  // create, update, trash, restore
  kEraseCustomers,  // erase from the trash for good: admins only
};

// Who is calling, as established from a verified access token.
struct Principal {
  std::string username;
  std::string role;                 // "employee", "admin" or empty
  std::vector<std::string> groups;  // teams, e.g. "marketing", "sales"
  std::string sub;                  // the identity provider's stable id of the user
};

// Who a change is recorded as made by: the token's sub and username.
inline Actor ActorOf(const Principal& caller) { return {caller.sub, caller.username}; }

}  // namespace pcustomer
