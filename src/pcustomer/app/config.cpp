#include "pcustomer/app/config.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "pcustomer/app/dotenv.hpp"
#include "pcustomer/util/numbers.hpp"

namespace pcustomer {
namespace {

bool IsIpv4Or6(const std::string& host) {
  // Accept digits, dots, colons and hex: the server's bind reports anything subtler.
  if (host.empty()) return false;
  for (char c : host) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
              c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

const std::vector<std::string>& ConfigVariableNames() {
  static const std::vector<std::string> names = {"HOST",
                                                 "PORT",
                                                 "PCUSTOMER_DATA_DIR",
                                                 "PCUSTOMER_STORE",
                                                 "PCUSTOMER_AUTH",
                                                 "PCUSTOMER_LOG_LEVEL",
                                                 "PCUSTOMER_THREADS",
                                                 "PCUSTOMER_ADMIN_PASSWORD",
                                                 "PCUSTOMER_TRASH_DAYS",
                                                 "PCUSTOMER_TRASH_SWEEP_SECONDS",
                                                 "PCUSTOMER_ASSIGNMENT",
                                                 "DYNAMODB_TABLE_NAME_PCUSTOMERS",
                                                 "AWS_REGION",
                                                 "AWS_DEFAULT_REGION",
                                                 "AWS_PROFILE",
                                                 "AWS_ACCESS_KEY_ID",
                                                 "AWS_SECRET_ACCESS_KEY",
                                                 "AWS_SESSION_TOKEN",
                                                 "AWS_ENDPOINT_URL",
                                                 "AWS_ENDPOINT_URL_DYNAMODB",
                                                 "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
                                                 "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                                                 "COGNITO_USER_POOL_ID",
                                                 "COGNITO_APP_CLIENT_ID",
                                                 "COGNITO_APP_CLIENT_SECRET"};
  return names;
}

Result<Config> BuildConfig(const Settings& settings) {
  Config config;
  config.variables = settings;
  std::vector<Reason> problems;
  auto get = [&settings](const char* name) -> const std::string* {
    auto found = settings.find(name);
    return found == settings.end() ? nullptr : &found->second;
  };

  if (const std::string* host = get("HOST")) {
    // The reference defaults to "localhost"; bind it to loopback explicitly.
    config.host = *host == "localhost" ? "127.0.0.1" : *host;
    if (!IsIpv4Or6(config.host)) problems.push_back({"HOST", "must be an IP address or localhost"});
  }
  if (const std::string* port = get("PORT")) {
    if (auto value = ParseIntegerInRange(*port, 0, 65535)) {
      config.port = static_cast<uint16_t>(*value);
    } else {
      problems.push_back({"PORT", "must be an integer from 0 to 65535"});
    }
  }
  if (const std::string* dir = get("PCUSTOMER_DATA_DIR")) {
    config.data_dir = *dir;
    if (dir->empty()) problems.push_back({"PCUSTOMER_DATA_DIR", "must not be empty"});
  }
  if (const std::string* store = get("PCUSTOMER_STORE")) {
    config.store = *store;
    if (*store != "sqlite" && *store != "dynamodb")
      problems.push_back({"PCUSTOMER_STORE", "must be sqlite or dynamodb"});
  }
  if (const std::string* auth = get("PCUSTOMER_AUTH")) {
    config.auth = *auth;
    if (*auth != "local" && *auth != "cognito")
      problems.push_back({"PCUSTOMER_AUTH", "must be local or cognito"});
  }
  if (const std::string* region = get("AWS_REGION"); region && !region->empty()) {
    config.aws_region = *region;
  } else if (const std::string* fallback = get("AWS_DEFAULT_REGION");
             fallback && !fallback->empty()) {
    config.aws_region = *fallback;
  }
  if (const std::string* pool = get("COGNITO_USER_POOL_ID")) config.cognito_user_pool_id = *pool;
  if (const std::string* client = get("COGNITO_APP_CLIENT_ID"))
    config.cognito_app_client_id = *client;
  if (const std::string* secret = get("COGNITO_APP_CLIENT_SECRET"); secret && !secret->empty()) {
    config.cognito_app_client_secret = *secret;
  }
  if (config.auth == "cognito") {
    if (config.cognito_user_pool_id.empty())
      problems.push_back({"COGNITO_USER_POOL_ID", "is required with PCUSTOMER_AUTH=cognito"});
    if (config.cognito_app_client_id.empty())
      problems.push_back({"COGNITO_APP_CLIENT_ID", "is required with PCUSTOMER_AUTH=cognito"});
  }
  if (const std::string* level = get("PCUSTOMER_LOG_LEVEL")) {
    config.log_level = *level;
    static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
    bool known = false;
    for (const char* candidate : kLevels) known = known || *level == candidate;
    if (!known)
      problems.push_back({"PCUSTOMER_LOG_LEVEL", "must be trace, debug, info, warn, error or off"});
  }
  if (const std::string* threads = get("PCUSTOMER_THREADS")) {
    if (auto value = ParseIntegerInRange(*threads, 0, 256)) {
      config.threads = *value;
    } else {
      problems.push_back({"PCUSTOMER_THREADS", "must be an integer from 0 to 256"});
    }
  }
  if (const std::string* password = get("PCUSTOMER_ADMIN_PASSWORD")) {
    if (!password->empty()) config.admin_password = *password;
  }
  if (const std::string* assignment = get("PCUSTOMER_ASSIGNMENT")) {
    if (*assignment == "none" || *assignment == "round_robin") {
      config.assignment = *assignment;
    } else {
      problems.push_back({"PCUSTOMER_ASSIGNMENT", "must be none or round_robin"});
    }
  }
  if (const std::string* days = get("PCUSTOMER_TRASH_DAYS")) {
    if (auto value = ParseIntegerInRange(*days, 0, 3650)) {
      config.trash_days = *value;
    } else {
      problems.push_back({"PCUSTOMER_TRASH_DAYS", "must be an integer from 0 to 3650"});
    }
  }
  if (const std::string* seconds = get("PCUSTOMER_TRASH_SWEEP_SECONDS")) {
    if (auto value = ParseIntegerInRange(*seconds, 1, 86400)) {
      config.trash_sweep_seconds = *value;
    } else {
      problems.push_back({"PCUSTOMER_TRASH_SWEEP_SECONDS", "must be an integer from 1 to 86400"});
    }
  }
  if (const std::string* table = get("DYNAMODB_TABLE_NAME_PCUSTOMERS")) {
    config.table_name = *table;
    if (table->size() < 3 || table->size() > 255) {
      problems.push_back({"DYNAMODB_TABLE_NAME_PCUSTOMERS", "must be 3 to 255 characters"});
    }
  }
  if (!problems.empty()) return Error::BadRequest("Invalid configuration", std::move(problems));
  return config;
}

Result<Settings> SettingsFromEnvironment(const std::string& dotenv_path) {
  Settings settings;
  if (std::ifstream file(dotenv_path); file) {
    std::stringstream text;
    text << file.rdbuf();
    auto parsed = ParseDotEnv(text.str());
    if (!parsed) return std::move(parsed).error();
    for (const std::string& name : ConfigVariableNames()) {
      if (auto found = parsed->find(name); found != parsed->end()) settings[name] = found->second;
    }
  }
  for (const std::string& name : ConfigVariableNames()) {
    if (const char* value = std::getenv(name.c_str())) settings[name] = value;
  }
  return settings;
}

}  // namespace pcustomer
