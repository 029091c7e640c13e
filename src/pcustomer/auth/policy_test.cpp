#include "pcustomer/auth/policy.hpp"

#include <gtest/gtest.h>

namespace pcustomer {
namespace {

struct MatrixCase {
  std::string role;  // "" = none
  std::string team;  // "" = no group
  bool may_read;
  bool may_write;
};

// Every route x {employee, admin, none} x {marketing, sales, none}: list and get need
// read, create/update/delete need write.
const MatrixCase kMatrix[] = {
    {"employee", "marketing", true, false},
    {"employee", "sales", true, true},
    {"employee", "", false, false},
    {"admin", "marketing", true, false},
    {"admin", "sales", true, true},
    {"admin", "", false, false},
    {"", "marketing", false, false},
    {"", "sales", false, false},
    {"", "", false, false},
};

Principal Caller(const MatrixCase& c) {
  Principal caller{"user", c.role, {}, "sub"};
  if (!c.team.empty()) caller.groups.push_back(c.team);
  return caller;
}

TEST(Policy, FollowsTheReferenceMatrixForEveryRoute) {
  const std::pair<const char*, Permission> routes[] = {
      {"list", Permission::kReadCustomers},    {"get", Permission::kReadCustomers},
      {"create", Permission::kWriteCustomers}, {"update", Permission::kWriteCustomers},
      {"delete", Permission::kWriteCustomers},
  };
  for (const MatrixCase& c : kMatrix) {
    for (const auto& [route, permission] : routes) {
      bool expected = permission == Permission::kReadCustomers ? c.may_read : c.may_write;
      Status decision = CheckPermission(Caller(c), permission);
      EXPECT_EQ(decision.ok(), expected) << route << " role=" << c.role << " team=" << c.team;
      if (!decision.ok()) {
        EXPECT_EQ(decision.error().code, ErrorCode::kForbidden);
      }
    }
  }
}

TEST(Policy, NamesEachFailedCheck) {
  Status denied =
      CheckPermission(Principal{"u", "intern", {"marketing"}, "sub"}, Permission::kWriteCustomers);
  ASSERT_FALSE(denied.ok());
  std::vector<Reason> expected = {{"roleCheck", "Role of user is not allowed: intern"},
                                  {"teamCheck", "Role of user is not allowed: marketing"}};
  EXPECT_EQ(denied.error().reasons, expected);
}

TEST(Policy, OnlyAdminsOfSalesEraseFromTheTrash) {
  for (const MatrixCase& c : kMatrix) {
    const bool expected = c.role == "admin" && c.may_write;
    Status decision = CheckPermission(Caller(c), Permission::kEraseCustomers);
    EXPECT_EQ(decision.ok(), expected) << "role=" << c.role << " team=" << c.team;
  }
  Status employee =
      CheckPermission(Principal{"u", "employee", {"sales"}, "sub"}, Permission::kEraseCustomers);
  ASSERT_FALSE(employee.ok());
  EXPECT_EQ(employee.error().reasons,
            (std::vector<Reason>{{"roleCheck", "Role of user is not allowed: employee"}}));
}

TEST(Policy, AllowsACallerWhenAnyGroupIsAllowed) {
  EXPECT_TRUE(CheckPermission(Principal{"u", "employee", {"marketing", "sales"}, "sub"},
                              Permission::kWriteCustomers)
                  .ok());
  EXPECT_TRUE(CheckPermission(Principal{"u", "employee", {"interns", "marketing"}, "sub"},
                              Permission::kReadCustomers)
                  .ok());
}

TEST(Policy, RolesAndTeamsAreCaseSensitive) {
  EXPECT_FALSE(
      CheckPermission(Principal{"u", "Admin", {"sales"}, "sub"}, Permission::kReadCustomers).ok());
  EXPECT_FALSE(
      CheckPermission(Principal{"u", "admin", {"Sales"}, "sub"}, Permission::kReadCustomers).ok());
}

TEST(Policy, PublicRoutesNeedNothing) {
  EXPECT_TRUE(CheckPermission(Principal{}, Permission::kPublic).ok());
}

}  // namespace
}  // namespace pcustomer
