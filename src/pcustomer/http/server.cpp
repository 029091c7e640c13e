#include "pcustomer/http/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <thread>

#include "pcustomer/http/loop.hpp"
#include "pcustomer/util/escaped_exceptions.hpp"

namespace pcustomer {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

struct Server::Loop {
  LoopContext context;
  tcp::acceptor acceptor;
  std::thread thread;

  Loop(const ServerOptions& options, const Router& router, ServerCounters& counters,
       HttpMetrics& metrics)
      : context(options, router, counters, metrics), acceptor(context.io) {}
};

// State every loop shares: the process-wide caps and the metrics.
struct Server::Shared {
  ServerCounters counters;
  HttpMetrics metrics;
};

namespace {

// Accept failures come in floods (out of descriptors, every pending connection fails the
// same way): log the first, then at most one summary line per interval.
class AcceptFailureLog {
 public:
  void Note(const boost::system::error_code& ec) {
    auto now = std::chrono::steady_clock::now();
    if (now < next_) {
      ++suppressed_;
      return;
    }
    if (suppressed_ > 0) {
      spdlog::warn("accept failed: {} (and {} more failures since the last line)", ec.message(),
                   suppressed_);
    } else {
      spdlog::warn("accept failed: {}", ec.message());
    }
    suppressed_ = 0;
    next_ = now + std::chrono::seconds(10);
  }

 private:
  std::chrono::steady_clock::time_point next_{};
  size_t suppressed_ = 0;
};

bool IsOutOfDescriptors(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors ||
         ec == boost::system::errc::too_many_files_open_in_system ||
         ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

// Serves an accepted connection, or closes it at once past the connection cap.
void StartSession(LoopContext& loop, tcp::socket socket) {
  boost::system::error_code ec;
  if (loop.counters.connections.load(std::memory_order_relaxed) >= loop.options.max_connections) {
    socket.close(ec);
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);
  asio::co_spawn(loop.io, RunSession(loop, std::move(socket)),
                 [](const std::exception_ptr& failure) {
                   if (failure) RecordEscapedException("http session", failure);
                 });
}

asio::awaitable<void> AcceptLoop(LoopContext& loop, tcp::acceptor& acceptor) {
  AcceptFailureLog failures;
  // Out of descriptors, accept fails at once for as long as the pending connection waits:
  // pause instead of spinning, longer each time, until a descriptor is free again.
  constexpr auto kFirstPause = std::chrono::milliseconds(10);
  constexpr auto kLongestPause = std::chrono::milliseconds(1000);
  auto pause = kFirstPause;
  asio::steady_timer timer(loop.io);
  while (!loop.stopping) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
      failures.Note(ec);
      if (IsOutOfDescriptors(ec)) {
        timer.expires_after(pause);
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        pause = std::min(pause * 2, kLongestPause);
      }
      continue;
    }
    pause = kFirstPause;
    StartSession(loop, std::move(socket));
  }
}

// Connections the kernel accepted but this loop did not yet: closing the listener would
// reset them although their clients may have sent a request. They get a session each.
void AdoptPendingConnections(LoopContext& loop, tcp::acceptor& acceptor) {
  boost::system::error_code ec;
  acceptor.non_blocking(true, ec);
  while (!ec) {
    tcp::socket socket(loop.io);
    acceptor.accept(socket, ec);
    if (!ec) StartSession(loop, std::move(socket));
  }
}

}  // namespace

Server::Server(ServerOptions options, const Router& router)
    : shared_(std::make_unique<Shared>()), options_(std::move(options)), router_(router) {
  int threads = options_.threads > 0
                    ? options_.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) {
    loops_.push_back(
        std::make_unique<Loop>(options_, router_, shared_->counters, shared_->metrics));
  }
}

Server::~Server() {
  Stop();
  for (auto& loop : loops_) {
    if (loop->thread.joinable()) loop->thread.join();
  }
}

Status Server::Listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  if (ec) return Error::Unavailable("invalid listen address '" + options_.host + "'");
  uint16_t port = options_.port;
  for (auto& loop : loops_) {
    tcp::endpoint endpoint(address, port);
    tcp::acceptor& acceptor = loop->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    // Every loop binds the same port; the kernel spreads new connections among them.
    if (!ec) acceptor.set_option(ReusePort(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Error::Unavailable("cannot listen on " + options_.host + ":" + std::to_string(port) +
                                ": " + ec.message());
    }
    port = acceptor.local_endpoint().port();
  }
  port_ = port;
  return Ok{};
}

uint16_t Server::port() const { return port_; }

std::string Server::MetricsText() const { return shared_->metrics.Render(shared_->counters); }

void Server::Run() {
  for (auto& loop : loops_) {
    asio::co_spawn(loop->context.io, AcceptLoop(loop->context, loop->acceptor),
                   [](const std::exception_ptr& failure) {
                     if (failure) RecordEscapedException("http accept loop", failure);
                   });
    loop->thread = std::thread([&io = loop->context.io] { io.run(); });
  }
  for (auto& loop : loops_) loop->thread.join();
}

void Server::Stop() {
  for (auto& loop : loops_) {
    asio::post(loop->context.io, [raw = loop.get()] {
      LoopContext& context = raw->context;
      if (context.stopping) return;
      context.stopping = true;
      AdoptPendingConnections(context, raw->acceptor);
      boost::system::error_code ignored;
      raw->acceptor.close(ignored);
      // Busy sessions finish their request and then close. Idle ones wake up: each serves
      // a request that has already arrived, or closes.
      for (SessionHandle& session : context.sessions) {
        if (session.idle) session.stream->cancel();
      }
    });
  }
}

}  // namespace pcustomer
