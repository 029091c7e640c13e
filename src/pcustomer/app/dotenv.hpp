#pragma once

#include <map>
#include <string>
#include <string_view>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Parses a .env file: KEY=VALUE lines, `#` comments, optional `export `, values optionally
// in single or double quotes. kBadRequest naming the line for anything else.
Result<std::map<std::string, std::string>> ParseDotEnv(std::string_view text);

}  // namespace pcustomer
