#include "pcustomer/app/local_identity_setup.hpp"

#include <cstdio>
#include <filesystem>

#include "pcustomer/app/blocking.hpp"
#include "pcustomer/util/clock.hpp"
#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

Status BootstrapAdmin(const Config& config, UserStore& users, const PasswordHasher& hasher) {
  auto count = Wait<int64_t>([&users](Done<int64_t> done) { users.CountUsers(std::move(done)); });
  if (!count) return count.error();
  if (*count > 0) return Ok{};
  bool generated = !config.admin_password.has_value();
  std::string password = generated ? GeneratePassword() : *config.admin_password;
  if (Status rules = CheckPasswordRules(password); !rules) {
    return Error::BadRequest("PCUSTOMER_ADMIN_PASSWORD is not acceptable: " +
                             rules.error().reasons.front().desc);
  }
  Result<std::string> hash = hasher.Hash(password);
  if (!hash) return std::move(hash).error();
  User admin{"admin", std::move(hash).value(), "admin", "sales", false, NowUnixMillis() / 1000};
  auto created =
      Wait<Ok>([&users, &admin](Done<Ok> done) { users.CreateUser(admin, std::move(done)); });
  // Another process sharing the store may have created it first: that is fine.
  if (!created && created.error().code != ErrorCode::kConflict) return created.error();
  if (created && generated) {
    std::fprintf(stderr,
                 "pcustomer: created user 'admin' with password %s\n"
                 "pcustomer: it is shown only now; change it with `pcustomer user passwd admin`\n",
                 password.c_str());
  }
  return Ok{};
}

}  // namespace

std::string GeneratePassword() {
  // 120 random bits in URL-safe characters, plus one character of each class the rules ask for.
  return Base64UrlEncode(RandomBytes(15)) + "a7Z!";
}

Result<std::unique_ptr<LocalIdentityProvider>> OpenLocalIdentity(const Config& config,
                                                                 UserStore& users) {
  auto keys = SigningKeyStore::LoadOrCreate(std::filesystem::path(config.data_dir));
  if (!keys) return std::move(keys).error();
  auto provider = std::make_unique<LocalIdentityProvider>(
      users, std::make_shared<SigningKeyStore>(std::move(*keys)), LocalIdentityOptions{});
  if (Status admin = BootstrapAdmin(config, users, provider->hasher()); !admin)
    return admin.error();
  return provider;
}

}  // namespace pcustomer
