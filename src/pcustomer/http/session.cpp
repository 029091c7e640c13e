#include <spdlog/spdlog.h>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "pcustomer/api/error_response.hpp"
#include "pcustomer/http/access_log.hpp"
#include "pcustomer/http/dispatch.hpp"
#include "pcustomer/http/loop.hpp"
#include "pcustomer/http/request_id.hpp"

namespace pcustomer {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;

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

BeastResponse ToBeast(Response response, unsigned version, bool keep_alive, const std::string& request_id) {
  BeastResponse out{static_cast<http::status>(response.status), version};
  out.set(http::field::content_type, response.content_type);
  out.set("X-Request-Id", request_id);
  out.set("X-Content-Type-Options", "nosniff");
  for (auto& [name, value] : response.headers) out.set(name, value);
  out.body() = std::move(response.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

Request FromBeast(BeastRequest& in, std::string request_id, const std::string& client_address) {
  Request request;
  request.method = std::string(in.method_string());
  std::string_view target = in.target();
  size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  request.content_type = std::string(in[http::field::content_type]);
  request.authorization = std::string(in[http::field::authorization]);
  request.request_id = std::move(request_id);
  request.client_address = client_address;
  request.body = std::move(in.body());
  return request;
}

// Maps a failed read to the answer the client should get, if any: some failures (a closed
// connection, a deadline) leave nobody to answer.
std::optional<Error> ReadFailureAnswer(const boost::system::error_code& ec) {
  if (ec == http::error::header_limit) {
    return Error{ErrorCode::kHeadersTooLarge, "Request headers are larger than 8 KiB", {}};
  }
  if (ec == http::error::body_limit) {
    return Error{ErrorCode::kPayloadTooLarge, "Request body is larger than 16 KiB", {}};
  }
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::operation_aborted || ec == http::error::partial_message) {
    return std::nullopt;
  }
  return Error::BadRequest("Malformed HTTP request");
}

bool ExpectsContinue(const BeastRequest& request) {
  return beast::iequals(request[http::field::expect], "100-continue");
}

// Reads one request header, counting every byte of it against `limit`. Beast's own
// header_limit applies to the bytes not yet parsed only: a header sent in many small
// pieces would pass it, so the total is counted here.
asio::awaitable<void> ReadHeader(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                 http::request_parser<http::string_body>& parser, size_t limit,
                                 boost::system::error_code& ec) {
  size_t header_bytes = 0;
  for (;;) {
    if (buffer.size() > 0) {
      size_t used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      header_bytes += used;
      if (ec == http::error::need_more) ec = {};
      if (ec) co_return;
      if (header_bytes > limit || (!parser.is_header_done() && header_bytes + buffer.size() > limit)) {
        ec = http::error::header_limit;
        co_return;
      }
      if (parser.is_header_done()) co_return;
    }
    size_t received = co_await stream.async_read_some(buffer.prepare(4096), asio::redirect_error(kAwait, ec));
    if (ec) co_return;
    buffer.commit(received);
  }
}

}  // namespace

asio::awaitable<void> RunSession(LoopContext& loop, tcp::socket socket) {
  boost::system::error_code peer_error;
  const std::string client_address = socket.remote_endpoint(peer_error).address().to_string();
  beast::tcp_stream stream(std::move(socket));
  Registration registration(loop, stream);
  beast::flat_buffer buffer;
  const ServerOptions& options = loop.options;
  boost::system::error_code ec;
  bool unread_input = false;  // we answered before reading the whole request
  bool served_any = false;

  while (!loop.stopping) {
    // Idle: wait for the first byte of the next request. A new connection gets the header
    // deadline, so connections that never send anything do not pile up; a keep-alive
    // connection that already served requests may wait longer.
    registration.SetIdle(true);
    if (buffer.size() == 0) {
      stream.expires_after(served_any ? options.idle_timeout : options.header_timeout);
      size_t received = co_await stream.async_read_some(buffer.prepare(4096), asio::redirect_error(kAwait, ec));
      if (ec) break;
      buffer.commit(received);
    }
    registration.SetIdle(false);
    auto started = std::chrono::steady_clock::now();

    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser.body_limit(options.body_limit);
    stream.expires_after(options.header_timeout);
    co_await ReadHeader(stream, buffer, parser, options.header_limit, ec);
    if (!ec && !parser.is_done()) {
      if (ExpectsContinue(parser.get())) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()),
                                   asio::redirect_error(kAwait, ec));
      }
      stream.expires_after(options.body_timeout);
      if (!ec) co_await http::async_read(stream, buffer, parser, asio::redirect_error(kAwait, ec));
    }

    std::string request_id;
    Response response;
    bool keep_alive = false;
    unsigned version = 11;
    std::string method;
    std::string path;
    if (ec) {
      // The rest of the stream cannot be trusted: answer if there is an answer, then close.
      std::optional<Error> answer = ReadFailureAnswer(ec);
      if (!answer) break;
      unread_input = true;
      request_id = ChooseRequestId("");
      response = ErrorResponse(*answer);
      if (parser.is_header_done()) {
        method = std::string(parser.get().method_string());
        path = std::string(parser.get().target());
      }
    } else {
      BeastRequest& beast_request = parser.get();
      request_id = ChooseRequestId(beast_request["X-Request-Id"]);
      keep_alive = beast_request.keep_alive();
      version = beast_request.version();
      Request request = FromBeast(beast_request, request_id, client_address);
      method = request.method;
      path = request.path;
      InFlight in_flight(loop.counters);
      if (in_flight.count() > options.max_in_flight) {
        response = ErrorResponse(Error::Unavailable("The server is overloaded; retry shortly"));
      } else {
        response = co_await AsyncDispatch(loop.router, loop.io, std::move(request), kAwait);
      }
    }
    keep_alive = keep_alive && !loop.stopping;
    int status = response.status;
    BeastResponse out = ToBeast(std::move(response), version, keep_alive, request_id);
    stream.expires_after(options.write_timeout);
    co_await http::async_write(stream, out, asio::redirect_error(kAwait, ec));
    auto duration = std::chrono::steady_clock::now() - started;
    loop.metrics.Record(status, duration);
    LogAccess(method, path, status, duration, request_id);
    if (ec || !keep_alive) break;
    served_any = true;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (unread_input) {
    // Closing with unread bytes makes the kernel send a reset, which can destroy the error
    // response before the client reads it. Read and drop what remains, briefly.
    stream.expires_after(std::chrono::seconds(1));
    for (size_t drained = 0; drained < 1024 * 1024;) {
      buffer.clear();
      size_t n = co_await stream.async_read_some(buffer.prepare(16384), asio::redirect_error(kAwait, ec));
      if (ec) break;
      drained += n;
    }
  }
}

}  // namespace pcustomer
