#pragma once

// Internal to the http layer: the state one event loop shares with its sessions.

// <utility> first: Boost 1.74's awaitable.hpp uses std::exchange without including it, and
// include sorting would put it after.
// clang-format off
#include <utility>
#include <boost/asio/awaitable.hpp>
// clang-format on
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <list>

#include "pcustomer/http/metrics.hpp"
#include "pcustomer/http/server.hpp"

namespace pcustomer {

struct ServerCounters {
  std::atomic<size_t> in_flight{0};
  std::atomic<size_t> connections{0};
};

// A live connection as its loop sees it, so Stop() can close the idle ones.
struct SessionHandle {
  boost::beast::tcp_stream* stream = nullptr;
  bool idle = true;
};

struct LoopContext {
  boost::asio::io_context io{1};
  const ServerOptions& options;
  const Router& router;
  ServerCounters& counters;
  HttpMetrics& metrics;
  bool stopping = false;  // touched only on this loop's thread
  std::list<SessionHandle> sessions;

  LoopContext(const ServerOptions& o, const Router& r, ServerCounters& c, HttpMetrics& m)
      : options(o), router(r), counters(c), metrics(m) {}
};

// Serves one connection until it closes. Runs on `loop`'s thread.
boost::asio::awaitable<void> RunSession(LoopContext& loop, boost::asio::ip::tcp::socket socket);

}  // namespace pcustomer
