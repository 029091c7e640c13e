// pcustomer: the potential-customer service and its administration commands.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <optional>

#include "pcustomer/app/config.hpp"
#include "pcustomer/app/serve_command.hpp"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// Flags of `serve`, each overriding the environment variable it names.
struct ServeFlags {
  std::optional<std::string> host, port, data_dir, store, auth, log_level, threads;

  void Register(CLI::App& command) {
    command.add_option("--host", host, "Listen address (HOST, default 127.0.0.1)");
    command.add_option("--port", port, "Listen port, 0 = any free port (PORT, default 7800)");
    command.add_option("--data-dir", data_dir, "Data directory (PCUSTOMER_DATA_DIR, default ./data)");
    command.add_option("--store", store, "sqlite or dynamodb (PCUSTOMER_STORE, default sqlite)");
    command.add_option("--auth", auth, "local or cognito (PCUSTOMER_AUTH, default local)");
    command.add_option("--log-level", log_level,
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

int main(int argc, char** argv) {
  CLI::App app{"pcustomer: potential customer management service"};
  app.require_subcommand(0, 1);
  // `pcustomer --port 0` and `pcustomer serve --port 0` mean the same.
  ServeFlags default_flags;
  default_flags.Register(app);
  ServeFlags flags;
  CLI::App* serve = app.add_subcommand("serve", "Run the HTTP service (the default command)");
  flags.Register(*serve);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    return status == 0 ? 0 : kExitUsage;
  }

  auto settings = pcustomer::SettingsFromEnvironment();
  if (!settings) {
    PrintConfigError(settings.error());
    return kExitUsage;
  }
  default_flags.Apply(*settings);
  flags.Apply(*settings);
  auto config = pcustomer::BuildConfig(*settings);
  if (!config) {
    PrintConfigError(config.error());
    return kExitUsage;
  }
  try {
    return pcustomer::RunServe(*config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pcustomer: %s\n", e.what());
    return kExitFailure;
  }
}
