// pcustomer: the potential-customer service and its administration commands.

#include <malloc.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>

#include "pcustomer/app/admin_commands.hpp"
#include "pcustomer/app/config.hpp"
#include "pcustomer/app/dynamodb_commands.hpp"
#include "pcustomer/app/serve_command.hpp"
#include "pcustomer/app/trash_sweeper.hpp"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// Flags of `serve`, each overriding the environment variable it names.
struct ServeFlags {
  std::optional<std::string> host, port, data_dir, store, auth, log_level, threads;

  void Register(CLI::App& command) {
    command.add_option("--host", host, "Listen address (HOST, default 127.0.0.1)");
    command.add_option("--port", port, "Listen port, 0 = any free port (PORT, default 7800)");
    command.add_option("--data-dir", data_dir,
                       "Data directory (PCUSTOMER_DATA_DIR, default ./data)");
    command.add_option("--store", store, "sqlite or dynamodb (PCUSTOMER_STORE, default sqlite)");
    command.add_option("--auth", auth, "local or cognito (PCUSTOMER_AUTH, default local)");
    command.add_option(
        "--log-level", log_level,
        "trace, debug, info, warn, error or off (PCUSTOMER_LOG_LEVEL, default info)");
    command.add_option("--threads", threads, "Event loops, 0 = one per core (PCUSTOMER_THREADS)");
  }

  void Apply(pcustomer::Settings& settings) const {
    auto put = [&settings](const char* name, const std::optional<std::string>& value) {
      if (value) settings[name] = *value;
    };
    put("HOST", host);
    put("PORT", port);
    put("PCUSTOMER_DATA_DIR", data_dir);
    put("PCUSTOMER_STORE", store);
    put("PCUSTOMER_AUTH", auth);
    put("PCUSTOMER_LOG_LEVEL", log_level);
    put("PCUSTOMER_THREADS", threads);
  }
};

void PrintConfigError(const pcustomer::Error& error) {
  std::string line = "pcustomer: " + error.message;
  for (size_t i = 0; i < error.reasons.size(); ++i) {
    line += (i == 0 ? ": " : "; ") + error.reasons[i].source + " " + error.reasons[i].desc;
  }
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace

// The configuration from .env, the environment and the given flags; exits on error.
std::optional<pcustomer::Config> LoadConfig(std::initializer_list<const ServeFlags*> flags) {
  auto settings = pcustomer::SettingsFromEnvironment();
  if (!settings) {
    PrintConfigError(settings.error());
    return std::nullopt;
  }
  for (const ServeFlags* set : flags) set->Apply(*settings);
  auto config = pcustomer::BuildConfig(*settings);
  if (!config) {
    PrintConfigError(config.error());
    return std::nullopt;
  }
  return std::move(*config);
}

int main(int argc, char** argv) {
  // Argon2id takes 19 MiB per password check. A fixed mmap threshold makes such buffers go
  // back to the system when freed; glibc's adaptive threshold would keep them in the heap
  // after the first one, and the resident size would stay high for good.
  mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
  CLI::App app{"pcustomer: potential customer management service"};
  app.require_subcommand(0, 1);
  // `pcustomer --port 0` and `pcustomer serve --port 0` mean the same.
  ServeFlags default_flags;
  default_flags.Register(app);
  ServeFlags flags;
  CLI::App* serve = app.add_subcommand("serve", "Run the HTTP service (the default command)");
  flags.Register(*serve);

  // Administration commands work on the store of --data-dir (PCUSTOMER_DATA_DIR).
  ServeFlags admin_flags;
  auto add_data_dir = [&admin_flags](CLI::App* command) {
    command->add_option("--data-dir", admin_flags.data_dir,
                        "Data directory (PCUSTOMER_DATA_DIR, default ./data)");
  };
  CLI::App* user = app.add_subcommand("user", "Manage users of the local identity provider");
  user->require_subcommand(1);
  std::string username, role, team;
  bool password_stdin = false;
  CLI::App* user_add = user->add_subcommand("add", "Create a user");
  user_add->add_option("USERNAME", username, "3 to 30 of a-z A-Z 0-9 . _ -")->required();
  user_add->add_option("--role", role, "employee or admin")->required();
  user_add->add_option("--team", team, "marketing or sales")->required();
  user_add->add_flag("--password-stdin", password_stdin,
                     "Read the password from the first line of stdin");
  add_data_dir(user_add);
  CLI::App* user_list = user->add_subcommand("list", "List users");
  add_data_dir(user_list);
  CLI::App* user_passwd =
      user->add_subcommand("passwd", "Set a user's password and sign out its sessions");
  user_passwd->add_option("USERNAME", username, "The user")->required();
  user_passwd->add_flag("--password-stdin", password_stdin,
                        "Read the password from the first line of stdin");
  add_data_dir(user_passwd);
  CLI::App* user_disable =
      user->add_subcommand("disable", "Disable a user and sign out its sessions");
  user_disable->add_option("USERNAME", username, "The user")->required();
  add_data_dir(user_disable);
  CLI::App* keys = app.add_subcommand("keys", "Manage the local identity provider's signing keys");
  keys->require_subcommand(1);
  CLI::App* keys_rotate = keys->add_subcommand("rotate", "Sign new tokens with a new key");
  add_data_dir(keys_rotate);

  CLI::App* trash = app.add_subcommand("trash", "Manage the trash of deleted leads");
  trash->require_subcommand(1);
  CLI::App* trash_sweep = trash->add_subcommand(
      "sweep", "Erase leads trashed more than PCUSTOMER_TRASH_DAYS days ago, now");
  add_data_dir(trash_sweep);

  CLI::App* dynamodb = app.add_subcommand(
      "dynamodb", "Set up and check the DynamoDB table (DYNAMODB_TABLE_NAME_PCUSTOMERS)");
  dynamodb->require_subcommand(1);
  CLI::App* create_table =
      dynamodb->add_subcommand("create-table", "Create the table if missing and wait until ACTIVE");
  CLI::App* migrate_table = dynamodb->add_subcommand(
      "migrate", "Add the indexes a table made before them lacks; waits until each is ACTIVE");
  CLI::App* check_table =
      dynamodb->add_subcommand("check", "Say what is wrong with credentials, endpoint or table");
  CLI::App* backfill = dynamodb->add_subcommand(
      "backfill-phones", "Claim the phones of customers written by the reference application");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    return status == 0 ? 0 : kExitUsage;
  }

  auto config = LoadConfig({&default_flags, &flags, &admin_flags});
  if (!config) return kExitUsage;
  try {
    if (*user_add) return pcustomer::RunUserAdd(*config, username, role, team, password_stdin);
    if (*user_list) return pcustomer::RunUserList(*config);
    if (*user_passwd) return pcustomer::RunUserPasswd(*config, username, password_stdin);
    if (*user_disable) return pcustomer::RunUserDisable(*config, username);
    if (*keys_rotate) return pcustomer::RunKeysRotate(*config);
    if (*trash_sweep) return pcustomer::RunTrashSweep(*config);
    if (*create_table) return pcustomer::RunDynamoDbCreateTable(*config);
    if (*migrate_table) return pcustomer::RunDynamoDbMigrate(*config);
    if (*check_table) return pcustomer::RunDynamoDbCheck(*config);
    if (*backfill) return pcustomer::RunDynamoDbBackfillPhones(*config);
    return pcustomer::RunServe(*config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pcustomer: %s\n", e.what());
    return kExitFailure;
  }
}
