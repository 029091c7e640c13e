#include "pcustomer/auth/policy.hpp"

#include <algorithm>
#include <initializer_list>
#include <string_view>

namespace pcustomer {
namespace {

bool IsOneOf(std::string_view value, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

std::string JoinGroups(const std::vector<std::string>& groups) {
  std::string joined;
  for (const std::string& group : groups) joined += (joined.empty() ? "" : ",") + group;
  return joined.empty() ? "none" : joined;
}

}  // namespace

Status CheckPermission(const Principal& caller, Permission permission) {
  if (permission == Permission::kPublic) return Ok{};
  std::vector<Reason> reasons;
  const bool role_allowed = permission == Permission::kEraseCustomers
                                ? caller.role == "admin"
                                : IsOneOf(caller.role, {"employee", "admin"});
  if (!role_allowed) {
    reasons.push_back({"roleCheck", "Role of user is not allowed: " +
                                        (caller.role.empty() ? "none" : caller.role)});
  }
  bool team_allowed = std::any_of(
      caller.groups.begin(), caller.groups.end(), [permission](const std::string& team) {
        return permission == Permission::kReadCustomers ? IsOneOf(team, {"marketing", "sales"})
                                                        : team == "sales";
      });
  if (!team_allowed) {
    reasons.push_back({"teamCheck", "Role of user is not allowed: " + JoinGroups(caller.groups)});
  }
  if (reasons.empty()) return Ok{};
  return Error::Forbidden("You are not allowed to do this", std::move(reasons));
}

}  // namespace pcustomer
