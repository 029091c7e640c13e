#pragma once

#include <string>

#include "pcustomer/app/config.hpp"

namespace pcustomer {

// Administration of the local identity provider, on the store of `config.data_dir`. They
// may run while a server uses the same store. Each returns the process exit status and
// reports failures on stderr in one line.
int RunUserAdd(const Config& config, const std::string& username, const std::string& role,
               const std::string& team, bool password_stdin);
int RunUserList(const Config& config);
int RunUserPasswd(const Config& config, const std::string& username, bool password_stdin);
int RunUserDisable(const Config& config, const std::string& username);

// Adds a new signing key; the old public key stays published until tokens it signed expire.
int RunKeysRotate(const Config& config);

}  // namespace pcustomer
