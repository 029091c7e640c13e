#pragma once

#include "pcustomer/domain/principal.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// The reference's role/team matrix:
//   read  (list, get):              role employee or admin, team marketing or sales
//   write (create, update, trash, restore): role employee or admin, team sales
//   erase (from the trash, for good): role admin, team sales
// A caller in several groups is allowed when any of them is. kForbidden otherwise, with
// one reason per failed check: {"source": "roleCheck"|"teamCheck",
// "desc": "Role of user is not allowed: <value>"} (the reference's wording for both).
Status CheckPermission(const Principal& caller, Permission permission);

}  // namespace pcustomer
