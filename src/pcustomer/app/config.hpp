#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Settings by environment-variable name, e.g. {"PORT": "7800"}: what .env, the process
// environment and command-line flags provide, in rising precedence.
using Settings = std::map<std::string, std::string>;

// The validated configuration of `pcustomer serve` (CONTRACT section 2).
struct Config {
  std::string host = "127.0.0.1";
  uint16_t port = 7800;
  std::string data_dir = "./data";
  std::string store = "sqlite";  // "sqlite" or "dynamodb"
  std::string auth = "local";    // "local" or "cognito"
  std::string log_level = "info";
  int threads = 0;  // 0 = one event loop per core
  std::optional<std::string> admin_password;
  std::string table_name = "pcustomers";
  // Trashed leads are erased this many days after their deletion (PCUSTOMER_TRASH_DAYS), by a
  // sweep every trash_sweep_seconds (PCUSTOMER_TRASH_SWEEP_SECONDS).
  int trash_days = 30;
  int trash_sweep_seconds = 3600;
  // PCUSTOMER_ASSIGNMENT: "none", or "round_robin" (new leads without an owner go to the
  // enabled sales users in turn).
  std::string assignment = "none";
  std::string aws_region = "ap-southeast-1";  // the reference's default
  std::string cognito_user_pool_id;
  std::string cognito_app_client_id;
  std::optional<std::string> cognito_app_client_secret;
  // Every recognised variable as given, for AWS endpoint and credential lookups.
  Settings variables;
};

// The variable names BuildConfig reads, so callers can pick them out of the environment.
const std::vector<std::string>& ConfigVariableNames();

// Validates every setting at once: kBadRequest whose reasons name each bad variable.
Result<Config> BuildConfig(const Settings& settings);

// .env from `dotenv_path` (if it exists) overlaid by the process environment.
Result<Settings> SettingsFromEnvironment(const std::string& dotenv_path = ".env");

}  // namespace pcustomer
