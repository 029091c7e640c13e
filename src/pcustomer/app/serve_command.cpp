#include "pcustomer/app/serve_command.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "pcustomer/api/auth_routes.hpp"
#include "pcustomer/api/customer_routes.hpp"
#include "pcustomer/api/docs_routes.hpp"
#include "pcustomer/api/idempotency_guard.hpp"
#include "pcustomer/api/lead_work_routes.hpp"
#include "pcustomer/api/system_routes.hpp"
#include "pcustomer/api/token_authorizer.hpp"
#include "pcustomer/api/trash_routes.hpp"
#include "pcustomer/app/cognito_identity_setup.hpp"
#include "pcustomer/app/local_identity_setup.hpp"
#include "pcustomer/app/store_setup.hpp"
#include "pcustomer/app/trash_sweeper.hpp"
#include "pcustomer/http/access_log.hpp"
#include "pcustomer/http/server.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {
namespace {

// Graceful stop has this long; past it the process leaves anyway so that an orchestrator's
// 10-second kill never finds it still running.
constexpr auto kStopGrace = std::chrono::milliseconds(9000);

// Signals are blocked in every thread and taken here, so no event loop is interrupted.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return signals;
}

void WaitForStopSignalThenStop(sigset_t signals, Server& server) {
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("received signal {}, finishing in-flight requests", received);
  server.Stop();
  std::thread([signals]() mutable {
    // A second signal, or the grace period running out, ends the process at once.
    timespec timeout{kStopGrace.count() / 1000, (kStopGrace.count() % 1000) * 1000000};
    // EINTR is neither a signal of ours nor the end of the grace period: taking it for the
    // latter made a normal exit print "grace period over" and cut it short.
    int again = 0;
    do {
      again = sigtimedwait(&signals, nullptr, &timeout);
    } while (again < 0 && errno == EINTR);
    // Plain write(2): the loggers may already be torn down by the exiting main thread.
    const char* message = again > 0 ? "pcustomer: second signal, exiting now\n"
                                    : "pcustomer: grace period over, exiting now\n";
    [[maybe_unused]] auto written = write(STDERR_FILENO, message, std::strlen(message));
    std::_Exit(0);
  }).detach();
}

}  // namespace

int RunServe(const Config& config) {
  sigset_t signals = BlockStopSignals();
  InitLogging(spdlog::level::from_str(config.log_level));
  // Before the stores open their files, so that every descriptor counts against one limit.
  ServerOptions options;
  const FdBudget fds = RaiseFdLimit(options.max_connections);

  auto stores = OpenStores(config);
  if (!stores) {
    std::fprintf(stderr, "pcustomer: cannot open the %s store: %s\n", config.store.c_str(),
                 stores.error().Described().c_str());
    return 1;
  }
  CustomerStore& store = *stores->customers;
  auto cursor_key = stores->secrets->LoadOrCreateSecret("cursor");
  if (!cursor_key) {
    std::fprintf(stderr, "pcustomer: cannot read the cursor key: %s\n",
                 cursor_key.error().Described().c_str());
    return 1;
  }

  // Cognito needs the AWS HTTP client; the DynamoDB store already brought one.
  std::shared_ptr<AwsRuntime> aws = stores->aws;
  Result<std::unique_ptr<IdentityProvider>> identity = Error::Internal("no identity provider");
  if (config.auth == "cognito") {
    if (!aws) {
      auto runtime = OpenAwsRuntime(config);
      if (!runtime) {
        std::fprintf(stderr, "pcustomer: %s\n", runtime.error().Described().c_str());
        return 1;
      }
      aws = std::move(*runtime);
    }
    auto cognito = OpenCognitoIdentity(config, *aws->http);
    identity =
        cognito ? Result<std::unique_ptr<IdentityProvider>>(std::move(*cognito)) : cognito.error();
  } else {
    auto local = OpenLocalIdentity(config, *stores->users);
    identity = local ? Result<std::unique_ptr<IdentityProvider>>(std::move(*local)) : local.error();
  }
  if (!identity) {
    std::fprintf(stderr, "pcustomer: cannot set up the identity provider: %s\n",
                 identity.error().Described().c_str());
    return 1;
  }

  TokenAuthorizer authorizer(**identity);
  IdempotencyGuard idempotency(*stores->idempotency, NowUnixMillis);
  Router router(authorizer, &idempotency);
  RegisterSystemRoutes(router, store);
  RegisterAuthRoutes(router, **identity);
  const LeadOwners owners(identity->get(), config.assignment == "round_robin"
                                               ? LeadAssignment::kRoundRobin
                                               : LeadAssignment::kNone);
  CustomerRoutes customers(store, CursorCodec(*cursor_key), owners);
  customers.Register(router);
  LeadWorkRoutes work(store, CursorCodec(*cursor_key), NowUnixMillis);
  work.Register(router);
  TrashRoutes trash(store, CursorCodec(*cursor_key));
  trash.Register(router);
  RegisterDocsRoutes(router);

  // The metrics route reads the server, which needs the finished router: it is wired late.
  const Server* metrics_source = nullptr;
  router.Add({"GET", "/metrics", Permission::kPublic, false,
              [&metrics_source](Request, Principal, Reply reply) {
                Response response;
                response.content_type = "text/plain; version=0.0.4; charset=utf-8";
                response.body = metrics_source->MetricsText();
                reply(std::move(response));
              }});

  options.host = config.host;
  options.max_connections = fds.max_connections;
  options.port = config.port;
  options.threads = config.threads;
  Server server(options, router);
  metrics_source = &server;
  if (Status listening = server.Listen(); !listening) {
    std::fprintf(stderr, "pcustomer: %s\n", listening.error().Described().c_str());
    return 1;
  }
  std::string host =
      config.host.find(':') == std::string::npos ? config.host : "[" + config.host + "]";
  std::printf("pcustomer listening on http://%s:%u (fd limit %zu, max connections %zu)\n",
              host.c_str(), static_cast<unsigned>(server.port()), fds.limit, fds.max_connections);
  std::fflush(stdout);

  // Run() returns only after Stop(), which the signal waiter calls; joining it before the
  // server goes out of scope keeps Stop() from touching a destroyed server.
  PeriodicTrashSweep trash_sweep(store, config.trash_days,
                                 std::chrono::seconds(config.trash_sweep_seconds));
  std::thread signal_waiter(WaitForStopSignalThenStop, signals, std::ref(server));
  server.Run();
  signal_waiter.join();
  spdlog::info("stopped");
  return 0;
}

}  // namespace pcustomer
