#pragma once

#include <string>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// A new password for a command: the first line of stdin with `from_stdin` (for scripts),
// else typed twice at a prompt without echo. kBadRequest when stdin is not a terminal
// and `from_stdin` is off, when the two entries differ, or when the password breaks the rules.
Result<std::string> ReadNewPassword(bool from_stdin);

}  // namespace pcustomer
