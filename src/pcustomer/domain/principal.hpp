#pragma once

#include <string>
#include <vector>

namespace pcustomer {

// What a route needs from its caller. Each route declares one; the router asks the
// Authorizer before the handler runs.
enum class Permission {
  kPublic,          // anyone, no token
  kReadCustomers,   // list and get
  kWriteCustomers,  // create, update, delete
};

// Who is calling, as established from a verified access token.
struct Principal {
  std::string username;
  std::string role;                 // "employee", "admin" or empty
  std::vector<std::string> groups;  // teams, e.g. "marketing", "sales"
  std::string sub;                  // the identity provider's stable id of the user
};

}  // namespace pcustomer
