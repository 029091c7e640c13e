#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

class Router;

// Limits and deadlines of the HTTP server. Each value is a defence: a client that is slow,
// silent or oversized gets an answer or a closed connection, never a stuck worker.
struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 7800;            // 0 = any free port
  int threads = 0;                 // event loops; 0 = one per core
  size_t header_limit = 8 * 1024;  // 431 past it
  size_t body_limit = 16 * 1024;   // 413 past it: JSON bodies of this API are far smaller
  // The limit of the routes that take many leads at once (Route::bulk_body; POST
  // /pcustomers/batch: 100 leads of at most a few hundred bytes each, escapes included).
  size_t bulk_body_limit = 256 * 1024;
  size_t max_in_flight = 4096;  // requests being handled at once; 503 past it
  // Per process; further connections are closed at once. RaiseFdLimit lowers it to what the
  // descriptor limit allows, which is the real bound on most machines.
  size_t max_connections = 100'000;
  std::chrono::milliseconds header_timeout{10'000};  // from the first byte to the last header
  std::chrono::milliseconds body_timeout{15'000};
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive connection with no request
  std::chrono::milliseconds write_timeout{15'000};
  // A connection accepted while stopping (it was waiting in the listen queue) has this long
  // to send its request: it gets one answer with Connection: close.
  std::chrono::milliseconds drain_timeout{1'000};
};

// Descriptors this process may open, after RaiseFdLimit.
struct FdBudget {
  size_t limit = 0;            // the soft RLIMIT_NOFILE now in force
  size_t max_connections = 0;  // what is left for connections after the store, logs and peers
};

// Raises the soft descriptor limit to the hard one (a default soft limit of 1024 would cap
// the server far below its connection limit) and caps `configured` connections so that
// accepting never runs the process out of descriptors.
FdBudget RaiseFdLimit(size_t configured_max_connections);

// An HTTP/1.1 server: one event loop per thread, each with its own acceptor on the same
// port (SO_REUSEPORT), keep-alive and pipelining (answered in order).
class Server {
 public:
  Server(ServerOptions options, const Router& router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; kUnavailable with the reason when the address cannot be used.
  Status Listen();
  uint16_t port() const;

  // Serves until Stop() and every in-flight request is answered. Blocks.
  void Run();
  // Stops accepting, lets in-flight requests finish, closes idle connections. Thread-safe.
  void Stop();

  // Request counts, latency histogram and live gauges in the Prometheus text format.
  std::string MetricsText() const;

 private:
  struct Loop;
  struct Shared;
  std::unique_ptr<Shared> shared_;
  ServerOptions options_;
  const Router& router_;
  std::vector<std::unique_ptr<Loop>> loops_;
  uint16_t port_ = 0;
};

}  // namespace pcustomer
