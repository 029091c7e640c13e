#include "pcustomer/app/admin_commands.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "pcustomer/app/blocking.hpp"
#include "pcustomer/app/password_input.hpp"
#include "pcustomer/app/store_setup.hpp"
#include "pcustomer/auth/local_identity_provider.hpp"
#include "pcustomer/auth/password_hasher.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int Fail(int status, const std::string& message) {
  std::fprintf(stderr, "pcustomer: %s\n", message.c_str());
  return status;
}

int FailWith(const Error& error) {
  std::string line = error.message;
  for (const Reason& reason : error.reasons) line += "; " + reason.desc;
  bool usage = error.code == ErrorCode::kBadRequest || error.code == ErrorCode::kConflict ||
               error.code == ErrorCode::kNotFound;
  return Fail(usage ? kExitUsage : kExitFailure, line);
}

Result<User> FindExisting(UserStore& users, const std::string& username) {
  auto found = Wait<std::optional<User>>(
      [&](Done<std::optional<User>> done) { users.FindUser(username, std::move(done)); });
  if (!found) return std::move(found).error();
  if (!*found) return Error::NotFound("no user named '" + username + "'");
  return std::move(**found);
}

Status Update(UserStore& users, User user) {
  auto updated = Wait<Ok>([&](Done<Ok> done) { users.UpdateUser(user, std::move(done)); });
  if (!updated) return updated.error();
  // Sessions opened with the old password or before the account was disabled end now.
  return Wait<Ok>([&](Done<Ok> done) { users.RevokeUserTokens(user.username, std::move(done)); });
}

}  // namespace

int RunUserAdd(const Config& config, const std::string& username, const std::string& role,
               const std::string& team, bool password_stdin) {
  if (Status rules = CheckUsernameRules(username); !rules) return FailWith(rules.error());
  if (role != "employee" && role != "admin")
    return Fail(kExitUsage, "--role must be employee or admin");
  if (team != "marketing" && team != "sales")
    return Fail(kExitUsage, "--team must be marketing or sales");
  auto password = ReadNewPassword(password_stdin);
  if (!password) return FailWith(password.error());
  auto opened = OpenStores(config);
  if (!opened) return FailWith(opened.error());
  Result<std::string> hash = PasswordHasher().Hash(*password);
  if (!hash) return FailWith(hash.error());
  User user{username, std::move(hash).value(), role, team, false, NowUnixMillis() / 1000};
  auto created = Wait<Ok>([&](Done<Ok> done) { opened->users->CreateUser(user, std::move(done)); });
  if (!created) return FailWith(created.error());
  std::printf("created user %s (role %s, team %s)\n", username.c_str(), role.c_str(), team.c_str());
  return 0;
}

int RunUserList(const Config& config) {
  auto opened = OpenStores(config);
  if (!opened) return FailWith(opened.error());
  auto users = Wait<std::vector<User>>(
      [&](Done<std::vector<User>> done) { opened->users->ListUsers(std::move(done)); });
  if (!users) return FailWith(users.error());
  std::printf("%-30s %-9s %-10s %s\n", "USERNAME", "ROLE", "TEAM", "STATUS");
  for (const User& user : *users) {
    std::printf("%-30s %-9s %-10s %s\n", user.username.c_str(), user.role.c_str(),
                user.team.c_str(), user.disabled ? "disabled" : "active");
  }
  return 0;
}

int RunUserPasswd(const Config& config, const std::string& username, bool password_stdin) {
  auto opened = OpenStores(config);
  if (!opened) return FailWith(opened.error());
  auto user = FindExisting(*opened->users, username);
  if (!user) return FailWith(user.error());
  auto password = ReadNewPassword(password_stdin);
  if (!password) return FailWith(password.error());
  Result<std::string> hash = PasswordHasher().Hash(*password);
  if (!hash) return FailWith(hash.error());
  user->password_hash = std::move(hash).value();
  if (Status updated = Update(*opened->users, *user); !updated) return FailWith(updated.error());
  std::printf("password of %s changed; its sessions were signed out\n", user->username.c_str());
  return 0;
}

int RunUserDisable(const Config& config, const std::string& username) {
  auto opened = OpenStores(config);
  if (!opened) return FailWith(opened.error());
  auto user = FindExisting(*opened->users, username);
  if (!user) return FailWith(user.error());
  user->disabled = true;
  if (Status updated = Update(*opened->users, *user); !updated) return FailWith(updated.error());
  std::printf(
      "user %s disabled; its sessions were signed out (access tokens already issued end within the "
      "hour)\n",
      user->username.c_str());
  return 0;
}

int RunKeysRotate(const Config& config) {
  auto keys = SigningKeyStore::LoadOrCreate(std::filesystem::path(config.data_dir));
  if (!keys) return FailWith(keys.error());
  auto kid = keys->Rotate(NowUnixMillis() / 1000, LocalIdentityOptions{}.access_token_seconds);
  if (!kid) return FailWith(kid.error());
  std::printf("new signing key %s; running servers switch to it within a minute\n", kid->c_str());
  return 0;
}

}  // namespace pcustomer
