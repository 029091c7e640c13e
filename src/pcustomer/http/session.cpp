#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <memory>
#include <optional>

#include "pcustomer/api/error_response.hpp"
#include "pcustomer/http/access_log.hpp"
#include "pcustomer/http/dispatch.hpp"
#include "pcustomer/http/loop.hpp"
#include "pcustomer/http/request_framing.hpp"
#include "pcustomer/http/request_id.hpp"
#include "pcustomer/util/ascii.hpp"

namespace pcustomer {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;
using RequestParser = http::request_parser<http::string_body>;

constexpr auto kAwait = asio::use_awaitable;

// Keeps the loop's registry of sessions in step with this session's life.
class Registration {
 public:
  Registration(LoopContext& loop, beast::tcp_stream& stream) : loop_(loop) {
    loop_.sessions.push_front(SessionHandle{&stream, true});
    handle_ = loop_.sessions.begin();
    loop_.counters.connections.fetch_add(1, std::memory_order_relaxed);
  }
  ~Registration() {
    loop_.sessions.erase(handle_);
    loop_.counters.connections.fetch_sub(1, std::memory_order_relaxed);
  }
  void SetIdle(bool idle) { handle_->idle = idle; }

 private:
  LoopContext& loop_;
  std::list<SessionHandle>::iterator handle_;
};

// Counts a request as in flight for as long as it lives.
class InFlight {
 public:
  explicit InFlight(ServerCounters& counters) : counters_(counters) {
    count_ = counters_.in_flight.fetch_add(1, std::memory_order_relaxed) + 1;
  }
  ~InFlight() { counters_.in_flight.fetch_sub(1, std::memory_order_relaxed); }
  size_t count() const { return count_; }

 private:
  ServerCounters& counters_;
  size_t count_;
};

// One request as read from the connection: either a request to handle, or the answer to
// give because it could not be read (then the connection closes after it).
struct ReadOutcome {
  std::optional<Request> request;
  std::optional<Error> refusal;
  bool head = false;
  bool keep_alive = false;
  unsigned version = 11;
  std::string request_id;
  std::string method;  // for the access log, also when refused
  std::string path;
};

// A configured limit as the client reads it: "16 KiB", or "1000 bytes" when it is not a
// whole number of KiB (rounding would name a limit other than the one in force).
std::string SizeText(size_t bytes) {
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

// Maps a failed read to the answer the client should get, if any: some failures (a closed
// connection, a deadline) leave nobody to answer.
std::optional<Error> ReadFailureAnswer(const boost::system::error_code& ec,
                                       const ServerOptions& options, size_t body_limit) {
  if (ec == http::error::header_limit) {
    return Error{ErrorCode::kHeadersTooLarge,
                 "Request headers are larger than " + SizeText(options.header_limit),
                 {}};
  }
  if (ec == http::error::body_limit) {
    return Error{
        ErrorCode::kPayloadTooLarge, "Request body is larger than " + SizeText(body_limit), {}};
  }
  if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
      ec == http::error::partial_message) {
    return std::nullopt;
  }
  return Error::BadRequest("Malformed HTTP request");
}

bool ExpectsContinue(const BeastRequest& request) {
  return EqualsIgnoringCase(request[http::field::expect], "100-continue");
}

// True when the client has sent bytes this session has not read yet.
bool InputWaiting(beast::tcp_stream& stream, const beast::flat_buffer& buffer) {
  boost::system::error_code ec;
  return buffer.size() > 0 || stream.socket().available(ec) > 0;
}

Request FromBeast(BeastRequest& in, std::string request_id, const std::string& client_address) {
  Request request;
  // HEAD runs the GET route; the session drops the body when it writes the answer.
  request.method = in.method() == http::verb::head ? "HEAD" : std::string(in.method_string());
  std::string target = OriginForm(in.target());
  size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = target.substr(question + 1);
  request.content_type = std::string(in[http::field::content_type]);
  request.authorization = std::string(in[http::field::authorization]);
  request.if_match = std::string(in[http::field::if_match]);
  request.if_none_match = std::string(in[http::field::if_none_match]);
  request.idempotency_key = std::string(in["Idempotency-Key"]);
  request.request_id = std::move(request_id);
  request.client_address = client_address;
  request.body = std::move(in.body());
  return request;
}

BeastResponse ToBeast(Response response, const ReadOutcome& read, bool keep_alive) {
  BeastResponse out{static_cast<http::status>(response.status), read.version};
  out.set(http::field::content_type, response.content_type);
  out.set("X-Request-Id", read.request_id);
  out.set("X-Content-Type-Options", "nosniff");
  for (auto& [name, value] : response.headers) out.set(name, value);
  out.keep_alive(keep_alive);
  if (response.status == 304) {
    // Not modified: no body, and no Content-Type or Content-Length for one (RFC 9110 15.4.5).
    out.erase(http::field::content_type);
  } else if (read.head) {
    // The GET's headers, Content-Length included, without its body (RFC 9110 9.3.2).
    out.content_length(response.body.size());
  } else {
    out.body() = std::move(response.body);
    out.prepare_payload();
  }
  return out;
}

// Reads one request header, counting every byte of it against `limit`. Beast's own
// header_limit applies to the bytes not yet parsed only: a header sent in many small
// pieces would pass it, so the total is counted here. Empty lines before the request line
// are skipped (they count against the limit, so an endless stream of them ends too).
asio::awaitable<void> ReadHeader(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                 RequestParser& parser, size_t limit,
                                 boost::system::error_code& ec) {
  size_t header_bytes = 0;
  bool started = false;
  for (;;) {
    if (!started && buffer.size() > 0) {
      std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
      size_t empty = LeadingEmptyLineBytes(data);
      buffer.consume(empty);
      header_bytes += empty;
      data.remove_prefix(empty);
      started = !data.empty() && data != "\r";
    }
    if (started && buffer.size() > 0) {
      size_t used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      header_bytes += used;
      if (ec == http::error::need_more) ec = {};
      if (ec) co_return;
      // A whole header arriving in one read is parsed in one put: count it here too.
      if (header_bytes > limit) {
        ec = http::error::header_limit;
        co_return;
      }
      if (parser.is_header_done()) co_return;
    }
    if (header_bytes + buffer.size() > limit) {
      ec = http::error::header_limit;
      co_return;
    }
    size_t received =
        co_await stream.async_read_some(buffer.prepare(4096), asio::redirect_error(kAwait, ec));
    if (ec) co_return;
    buffer.commit(received);
  }
}

// The body limit of the route `target` goes to.
size_t BodyLimitFor(std::string_view target, const Router& router, const ServerOptions& options) {
  return router.TakesBulkBody(target) ? options.bulk_body_limit : options.body_limit;
}

// Reads the next request: header, framing checks, then the body.
asio::awaitable<ReadOutcome> ReadRequest(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                         const Router& router, const ServerOptions& options,
                                         const std::string& client_address) {
  ReadOutcome outcome;
  RequestParser parser;
  parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
  // The parser checks a Content-Length against its limit while it reads the header, before
  // the route is known: it gets the largest, and the route's is applied below.
  parser.body_limit(std::max(options.body_limit, options.bulk_body_limit));
  boost::system::error_code ec;
  stream.expires_after(options.header_timeout);
  co_await ReadHeader(stream, buffer, parser, options.header_limit, ec);
  size_t body_limit = options.body_limit;
  if (!ec && parser.is_header_done()) {
    outcome.method = std::string(parser.get().method_string());
    outcome.path = std::string(parser.get().target());
    outcome.refusal = CheckFraming(parser.get().base());
    body_limit = BodyLimitFor(outcome.path, router, options);
    const auto length = parser.content_length();
    if (length && *length > body_limit) {
      ec = http::error::body_limit;
    } else {
      parser.body_limit(body_limit);
    }
  }
  if (!ec && !outcome.refusal && !parser.is_done()) {
    if (ExpectsContinue(parser.get())) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()),
                                 asio::redirect_error(kAwait, ec));
    }
    stream.expires_after(options.body_timeout);
    if (!ec) co_await http::async_read(stream, buffer, parser, asio::redirect_error(kAwait, ec));
  }
  // Refused while reading the header: the Content-Length passed even the largest limit, and
  // the answer names the limit of the route asked for.
  if (ec == http::error::body_limit && !parser.is_header_done()) {
    body_limit = BodyLimitFor(std::string_view(parser.get().target()), router, options);
  }
  if (ec) outcome.refusal = ReadFailureAnswer(ec, options, body_limit);
  if (ec || outcome.refusal) {
    // The rest of the stream cannot be trusted: answer if there is an answer, then close.
    outcome.request_id = ChooseRequestId("");
    co_return outcome;
  }
  BeastRequest& request = parser.get();
  outcome.request_id = ChooseRequestId(request["X-Request-Id"]);
  outcome.head = request.method() == http::verb::head;
  outcome.keep_alive = request.keep_alive();
  outcome.version = request.version();
  outcome.request = FromBeast(request, outcome.request_id, client_address);
  co_return outcome;
}

asio::awaitable<Response> Handle(LoopContext& loop, Request request) {
  InFlight in_flight(loop.counters);
  if (in_flight.count() > loop.options.max_in_flight) {
    co_return ErrorResponse(Error::Unavailable("The server is overloaded; retry shortly"));
  }
  co_return co_await AsyncDispatch(loop.router, loop.io, std::move(request), kAwait);
}

// Waits until a socket has bytes to read, at most until a deadline, without holding a read
// buffer. Wait() is not a coroutine and RunSession awaits it directly: a nested coroutine's
// frame would stay allocated for every idle connection, interleaved with Asio's per-socket
// state, and keep half-empty pages resident after a crowd of connections has gone. The
// timer's handler may run after the wait it guards has ended (both can complete in one
// turn of the loop), so it acts only on the wait it was armed for, through state it shares.
class IdleWait {
 public:
  explicit IdleWait(const asio::any_io_executor& executor)
      : timer_(executor), state_(std::make_shared<State>()) {}
  ~IdleWait() {
    state_->socket = nullptr;
    ++state_->generation;
  }
  IdleWait(const IdleWait&) = delete;
  IdleWait& operator=(const IdleWait&) = delete;

  // Arms the deadline; co_await the result, then pass its error to Finish().
  asio::awaitable<void> Wait(tcp::socket& socket, std::chrono::milliseconds deadline,
                             boost::system::error_code& ec) {
    state_->socket = &socket;
    state_->timed_out = false;
    const std::uint64_t armed = ++state_->generation;
    timer_.expires_after(deadline);
    timer_.async_wait([state = state_, armed](const boost::system::error_code& timer_error) {
      if (timer_error || state->generation != armed || state->socket == nullptr) return;
      state->timed_out = true;
      boost::system::error_code ignored;
      state->socket->cancel(ignored);
    });
    return socket.async_wait(tcp::socket::wait_read, asio::redirect_error(kAwait, ec));
  }

  // No error when the socket is readable; beast::error::timeout at the deadline;
  // operation_aborted when Stop() cancelled the wait.
  boost::system::error_code Finish(boost::system::error_code ec) {
    ++state_->generation;  // disarms a timer handler that is already queued
    timer_.cancel();
    return state_->timed_out ? beast::error::timeout : ec;
  }

 private:
  struct State {
    tcp::socket* socket = nullptr;
    std::uint64_t generation = 0;
    bool timed_out = false;
  };
  asio::steady_timer timer_;
  std::shared_ptr<State> state_;
};

// What to do after waiting for the next request's first byte.
enum class NextStep { kRead, kWaitAgain, kClose };

// Before a wait: read at once when the next request is already buffered (pipelined); close
// when the server is stopping and the client has nothing in transit (unless
// `wait_while_stopping`: a connection accepted during the stop may send its first request).
NextStep BeforeWait(const LoopContext& loop, beast::tcp_stream& stream,
                    const beast::flat_buffer& buffer, bool wait_while_stopping) {
  if (buffer.size() > 0) return NextStep::kRead;
  if (loop.stopping && !wait_while_stopping && !InputWaiting(stream, buffer))
    return NextStep::kClose;
  return NextStep::kWaitAgain;
}

// After a wait: Stop() cancels idle waits, and a request already on its way is still served
// (BeforeWait checks for waiting input); a deadline or a failure closes the connection.
NextStep AfterWait(const LoopContext& loop, const boost::system::error_code& ec) {
  if (!ec) return NextStep::kRead;
  return ec == asio::error::operation_aborted && loop.stopping ? NextStep::kWaitAgain
                                                               : NextStep::kClose;
}

// Closing with unread bytes makes the kernel send a reset, which can destroy the error
// response before the client reads it. Read and drop what remains, briefly.
asio::awaitable<void> DrainInput(beast::tcp_stream& stream, beast::flat_buffer& buffer) {
  boost::system::error_code ec;
  stream.expires_after(std::chrono::seconds(1));
  for (size_t drained = 0; drained < 1024 * 1024;) {
    buffer.clear();
    size_t n =
        co_await stream.async_read_some(buffer.prepare(16384), asio::redirect_error(kAwait, ec));
    if (ec) break;
    drained += n;
  }
}

// How one request and its answer went.
struct Exchange {
  bool keep_open = false;     // the connection may carry the next request
  bool unread_input = false;  // answered before the whole request was read
};

// Writes the answer to `read` and records it (metrics, access log, the reason of a 5xx).
// True when the connection may carry the next request.
asio::awaitable<bool> WriteAnswer(LoopContext& loop, beast::tcp_stream& stream,
                                  const beast::flat_buffer& buffer, const ReadOutcome& read,
                                  Response response,
                                  std::chrono::steady_clock::time_point started) {
  // While stopping, a connection stays open only for requests already sent; the last
  // answer says Connection: close.
  const bool keep_alive = read.keep_alive && (!loop.stopping || InputWaiting(stream, buffer));
  const int status = response.status;
  if (!response.log_detail.empty()) {
    spdlog::warn("{} {} answered {} (request {}): {}", read.method, read.path.substr(0, 512),
                 status, read.request_id, response.log_detail);
  }
  BeastResponse out = ToBeast(std::move(response), read, keep_alive);
  boost::system::error_code ec;
  stream.expires_after(loop.options.write_timeout);
  co_await http::async_write(stream, out, asio::redirect_error(kAwait, ec));
  auto duration = std::chrono::steady_clock::now() - started;
  loop.metrics.Record(status, duration);
  LogAccess(read.method, read.path, status, duration, read.request_id);
  co_return !ec && keep_alive;
}

// Reads one request, answers it and writes the answer. A coroutine of its own so that the
// request and the answer occupy memory only while they are served, not in the session's
// frame for as long as the connection stays open.
asio::awaitable<Exchange> ServeOneRequest(LoopContext& loop, beast::tcp_stream& stream,
                                          beast::flat_buffer& buffer,
                                          const std::string& client_address) {
  const auto started = std::chrono::steady_clock::now();
  ReadOutcome read =
      co_await ReadRequest(stream, buffer, loop.router, loop.options, client_address);
  if (!read.request && !read.refusal) co_return Exchange{};  // nobody left to answer
  Response response;
  Exchange exchange;
  if (read.request) {
    response = co_await Handle(loop, std::move(*read.request));
  } else {
    exchange.unread_input = true;
    response = ErrorResponse(*read.refusal);
  }
  exchange.keep_open =
      co_await WriteAnswer(loop, stream, buffer, read, std::move(response), started);
  co_return exchange;
}

}  // namespace

asio::awaitable<void> RunSession(LoopContext& loop, tcp::socket socket) {
  boost::system::error_code peer_error;
  const std::string client_address = socket.remote_endpoint(peer_error).address().to_string();
  beast::tcp_stream stream(std::move(socket));
  Registration registration(loop, stream);
  beast::flat_buffer buffer;
  IdleWait idle(stream.get_executor());
  const ServerOptions& options = loop.options;
  // A new connection gets the header deadline, so connections that never send anything do
  // not pile up; one accepted while stopping gets less; a keep-alive connection that has
  // served requests may wait longer.
  bool first_request_while_stopping = loop.stopping;
  std::chrono::milliseconds wait = loop.stopping ? options.drain_timeout : options.header_timeout;
  Exchange exchange;

  for (;;) {
    registration.SetIdle(true);
    NextStep next = BeforeWait(loop, stream, buffer, first_request_while_stopping);
    while (next == NextStep::kWaitAgain) {
      buffer.shrink_to_fit();  // an idle connection holds no read buffer
      boost::system::error_code ec;
      co_await idle.Wait(stream.socket(), wait, ec);
      next = AfterWait(loop, idle.Finish(ec));
      if (next == NextStep::kWaitAgain)
        next = BeforeWait(loop, stream, buffer, first_request_while_stopping);
    }
    if (next == NextStep::kClose) break;
    first_request_while_stopping = false;
    registration.SetIdle(false);
    exchange = co_await ServeOneRequest(loop, stream, buffer, client_address);
    if (!exchange.keep_open) break;
    wait = options.idle_timeout;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (exchange.unread_input) co_await DrainInput(stream, buffer);
}

}  // namespace pcustomer
