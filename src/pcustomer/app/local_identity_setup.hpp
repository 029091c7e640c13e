#pragma once

#include <memory>

#include "pcustomer/app/config.hpp"
#include "pcustomer/auth/local_identity_provider.hpp"
#include "pcustomer/store/user_store.hpp"

namespace pcustomer {

// The local identity provider of a data directory: loads (or creates) the signing keys in
// `<data_dir>/keys` and, on the first start with no users, creates `admin` (role admin,
// team sales) with PCUSTOMER_ADMIN_PASSWORD, or with a generated password printed once.
Result<std::unique_ptr<LocalIdentityProvider>> OpenLocalIdentity(const Config& config,
                                                                 UserStore& users);

// A random password that satisfies CheckPasswordRules.
std::string GeneratePassword();

}  // namespace pcustomer
