#include "pcustomer/aws/http_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

// clang-format off
#include <utility>  // awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cerrno>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "pcustomer/aws/http_url.hpp"

namespace pcustomer {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

using Clock = std::chrono::steady_clock;
using BeastRequest = http::request<http::string_body>;
using ResponseParser = http::response_parser<http::string_body>;

constexpr auto kAwait = asio::use_awaitable;
// Generous for AWS answers (a few hundred bytes of headers) while bounding a broken peer.
constexpr uint32_t kHeaderLimit = 64 * 1024;
// Debian's system trust store; OpenSSL's compiled-in default points here too, but a build of
// OpenSSL with another prefix would not.
constexpr const char* kSystemCertificateDirectory = "/etc/ssl/certs";

struct PoolKey {
  bool tls = false;
  std::string host;
  uint16_t port = 0;
  auto operator<=>(const PoolKey&) const = default;
};

// One open connection, plain or TLS.
class Connection {
 public:
  Connection(asio::io_context& io, ssl::context* tls) {
    if (tls != nullptr) {
      secure_.emplace(io, *tls);
    } else {
      plain_.emplace(io);
    }
  }

  beast::tcp_stream& tcp() { return secure_ ? secure_->next_layer() : *plain_; }
  beast::ssl_stream<beast::tcp_stream>* tls() { return secure_ ? &*secure_ : nullptr; }

  // Cancels whatever is in flight on it; idempotent.
  void Close() { tcp().close(); }

  // False once the peer closed an idle connection or sent something unasked: either way
  // the connection cannot carry another request. A peek costs one system call and catches
  // the common case of a server that dropped the connection while it sat in the pool.
  bool LooksOpen() {
    char byte = 0;
    ssize_t got = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }

  beast::flat_buffer buffer;  // bytes read past the last response; empty when reusable
  Clock::time_point idle_since;

 private:
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure_;
};

// Where a request is, for error messages.
enum class Stage { kResolve, kConnect, kHandshake, kWrite, kRead };

std::string Describe(Stage stage, const HttpUrl& url) {
  std::string where = url.host + ":" + std::to_string(url.port);
  switch (stage) {
    case Stage::kResolve:
      return "DNS lookup of " + url.host;
    case Stage::kConnect:
      return "connect to " + where;
    case Stage::kHandshake:
      return "TLS handshake with " + where;
    case Stage::kWrite:
      return "sending request to " + where;
    case Stage::kRead:
      return "reading response from " + where;
  }
  return where;
}

// One request, from Send until `done` has run.
struct Call {
  explicit Call(asio::io_context& io) : deadline(io) {}

  HttpRequest request;
  HttpUrl url;
  Done<HttpResponse> done;
  std::chrono::milliseconds timeout{};
  asio::steady_timer deadline;
  Stage stage = Stage::kResolve;
  // What Abort must cancel; set while the request waits on them.
  std::shared_ptr<Connection> connection;
  tcp::resolver* resolver = nullptr;

  bool finished() const { return !done; }

  // Runs `done` unless it already ran: the deadline, a shutdown and the request itself
  // race to finish, and the first one wins.
  void Finish(Result<HttpResponse> result) {
    if (!done) return;
    Done<HttpResponse> callback = std::move(done);
    done = nullptr;
    deadline.cancel();
    callback(std::move(result));
  }

  void Fail(Stage at, const beast::error_code& ec, std::string detail = {}) {
    std::string reason = ec.message();
    if (!detail.empty()) reason += " (" + detail + ")";
    Finish(Error::Unavailable(Describe(at, url) + " failed: " + reason));
  }

  // Cancels whatever the request waits on, so that its coroutine ends soon.
  void Abort() {
    if (resolver != nullptr) resolver->cancel();
    if (connection) connection->Close();
  }
};

// The outcome of writing a request and reading its response on one connection.
struct Attempt {
  std::optional<beast::error_code> error;
  HttpResponse response;
  bool keep_alive = false;
  size_t written = 0;
  bool received_any = false;
};

// Header names and values go on the wire verbatim, so a line break in one would let a
// caller's data forge headers.
bool HasLineBreak(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

std::optional<std::string> CheckRequest(const HttpRequest& request) {
  if (request.method.empty() || request.method.find_first_of(" \t\r\n") != std::string::npos) {
    return "invalid HTTP method";
  }
  for (const auto& [name, value] : request.headers.fields()) {
    if (name.empty() || HasLineBreak(name) || HasLineBreak(value) ||
        name.find_first_of(" \t:") != std::string::npos) {
      return "invalid HTTP header " + name;
    }
  }
  return std::nullopt;
}

BeastRequest ToBeast(const HttpRequest& request, const HttpUrl& url,
                     const std::string& user_agent) {
  BeastRequest message;
  http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    message.method_string(request.method);
  } else {
    message.method(verb);
  }
  message.target(url.target);
  message.version(11);
  for (const auto& [name, value] : request.headers.fields()) message.insert(name, value);
  if (!request.headers.Contains("Host")) message.set(http::field::host, url.Authority());
  if (!request.headers.Contains("User-Agent")) message.set(http::field::user_agent, user_agent);
  message.body() = request.body;
  message.prepare_payload();
  return message;
}

template <class Stream>
asio::awaitable<void> WriteThenRead(Stream& stream, Call& call, Connection& connection,
                                    BeastRequest& request, ResponseParser& parser,
                                    uint64_t body_limit, Attempt& attempt, beast::error_code& ec) {
  call.stage = Stage::kWrite;
  attempt.written = co_await http::async_write(stream, request, asio::redirect_error(kAwait, ec));
  if (ec) co_return;
  call.stage = Stage::kRead;
  co_await http::async_read_header(stream, connection.buffer, parser,
                                   asio::redirect_error(kAwait, ec));
  if (ec) co_return;
  // Beast 1.74 enforces body_limit for chunked and read-to-end bodies but not against a
  // Content-Length, so that case is checked here before any body is buffered.
  if (boost::optional<uint64_t> length = parser.content_length();
      !parser.is_done() && length && *length > body_limit) {
    ec = http::error::body_limit;
    co_return;
  }
  if (!parser.is_done()) {
    co_await http::async_read(stream, connection.buffer, parser, asio::redirect_error(kAwait, ec));
  }
}

// Names the server to OpenSSL: SNI for host names (never for addresses, RFC 6066), and the
// name or address the certificate must match.
bool SetPeerName(SSL* ssl, const std::string& host) {
  boost::system::error_code not_an_address;
  asio::ip::make_address(host, not_an_address);
  if (!not_an_address) return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
  return SSL_set_tlsext_host_name(ssl, host.c_str()) == 1 && SSL_set1_host(ssl, host.c_str()) == 1;
}

}  // namespace

class HttpClient::Impl {
 public:
  explicit Impl(Options options) : options_(std::move(options)), work_(io_.get_executor()) {
    ConfigureTls();
    thread_ = std::thread([this] { io_.run(); });
  }

  ~Impl() {
    asio::post(io_, [this] { Shutdown(); });
    work_.reset();
    thread_.join();
  }

  void Send(HttpRequest request, Done<HttpResponse> done) {
    std::optional<HttpUrl> url = ParseHttpUrl(request.url);
    if (!url) {
      done(Error::Internal("HTTP client: not an http(s) URL: " + request.url));
      return;
    }
    if (std::optional<std::string> problem = CheckRequest(request)) {
      done(Error::Internal("HTTP client: " + *problem));
      return;
    }
    auto call = std::make_shared<Call>(io_);
    call->timeout = request.timeout > std::chrono::milliseconds::zero() ? request.timeout
                                                                        : options_.default_timeout;
    call->request = std::move(request);
    call->url = std::move(*url);
    call->done = std::move(done);
    asio::post(io_, [this, call] { Start(call); });
  }

 private:
  void ConfigureTls() {
    tls_.set_verify_mode(ssl::verify_peer);
    SSL_CTX_set_min_proto_version(tls_.native_handle(), TLS1_2_VERSION);
    // Either may be missing on a given machine; verification then fails per request with a
    // clear reason instead of the client refusing to exist.
    boost::system::error_code ignored;
    tls_.set_default_verify_paths(ignored);
    tls_.add_verify_path(kSystemCertificateDirectory, ignored);
    if (!options_.extra_ca_file.empty()) {
      boost::system::error_code ec;
      tls_.load_verify_file(options_.extra_ca_file, ec);
      if (ec) {
        throw std::runtime_error("loading CA file " + options_.extra_ca_file +
                                 " failed: " + ec.message());
      }
    }
  }

  // Loop thread.
  void Start(const std::shared_ptr<Call>& call) {
    if (stopping_) {
      call->Finish(Error::Unavailable("HTTP client is shutting down"));
      return;
    }
    active_.insert(call);
    call->deadline.expires_after(call->timeout);
    call->deadline.async_wait([weak = std::weak_ptr<Call>(call)](beast::error_code ec) {
      std::shared_ptr<Call> timed_out = weak.lock();
      if (ec || !timed_out || timed_out->finished()) return;
      timed_out->Finish(Error::Unavailable(Describe(timed_out->stage, timed_out->url) +
                                           " timed out after " +
                                           std::to_string(timed_out->timeout.count()) + " ms"));
      timed_out->Abort();
    });
    asio::co_spawn(io_, Run(call), [this, call](const std::exception_ptr& failure) {
      active_.erase(call);
      if (!failure) return;
      std::string what = "unknown exception";
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      call->Finish(Error::Internal("HTTP client failed: " + what));
      call->Abort();
    });
  }

  // Loop thread.
  asio::awaitable<void> Run(std::shared_ptr<Call> call) {
    PoolKey key{call->url.tls, call->url.host, call->url.port};
    // The first attempt may reuse a pooled connection; the retry always opens a fresh one,
    // so there is at most one retry.
    for (bool first = true;; first = false) {
      std::shared_ptr<Connection> connection = first ? TakeIdle(key) : nullptr;
      const bool reused = connection != nullptr;
      if (!connection) {
        connection = co_await Connect(*call);
        if (!connection) co_return;
      }
      call->connection = connection;
      Attempt attempt = co_await Exchange(*call, *connection);
      call->connection = nullptr;
      if (call->finished()) {
        connection->Close();
        co_return;
      }
      if (!attempt.error) {
        if (attempt.keep_alive && connection->buffer.size() == 0) {
          PutIdle(key, std::move(connection));
        } else {
          connection->Close();
        }
        call->Finish(std::move(attempt.response));
        co_return;
      }
      connection->Close();
      // A server may close an idle connection at any moment, also just as a request goes
      // out; then nothing comes back. Sending again is safe only if the first copy cannot
      // have had an effect, or a second copy would not add one.
      const bool retry =
          reused && !attempt.received_any && (attempt.written == 0 || IsIdempotent(call->request));
      if (!retry || stopping_) {
        call->Fail(call->stage, *attempt.error);
        co_return;
      }
    }
  }

  // Loop thread. A connected (and for https, verified) connection, or null after finishing
  // `call` with the reason.
  asio::awaitable<std::shared_ptr<Connection>> Connect(Call& call) {
    beast::error_code ec;
    call.stage = Stage::kResolve;
    tcp::resolver resolver(io_);
    call.resolver = &resolver;
    tcp::resolver::results_type endpoints = co_await resolver.async_resolve(
        call.url.host, std::to_string(call.url.port), asio::redirect_error(kAwait, ec));
    call.resolver = nullptr;
    if (call.finished()) co_return nullptr;
    if (ec) {
      call.Fail(Stage::kResolve, ec);
      co_return nullptr;
    }

    auto connection = std::make_shared<Connection>(io_, call.url.tls ? &tls_ : nullptr);
    call.connection = connection;
    call.stage = Stage::kConnect;
    co_await connection->tcp().async_connect(endpoints, asio::redirect_error(kAwait, ec));
    if (call.finished()) co_return nullptr;
    if (ec) {
      call.Fail(Stage::kConnect, ec);
      co_return nullptr;
    }
    boost::system::error_code ignored;
    connection->tcp().socket().set_option(tcp::no_delay(true), ignored);

    if (auto* tls = connection->tls()) {
      call.stage = Stage::kHandshake;
      if (!SetPeerName(tls->native_handle(), call.url.host)) {
        call.Finish(Error::Unavailable(Describe(Stage::kHandshake, call.url) +
                                       " failed: cannot set the expected server name"));
        co_return nullptr;
      }
      co_await tls->async_handshake(ssl::stream_base::client, asio::redirect_error(kAwait, ec));
      if (call.finished()) co_return nullptr;
      if (ec) {
        long verify = SSL_get_verify_result(tls->native_handle());
        call.Fail(Stage::kHandshake, ec,
                  verify == X509_V_OK ? std::string() : X509_verify_cert_error_string(verify));
        co_return nullptr;
      }
    }
    co_return connection;
  }

  // Loop thread.
  asio::awaitable<Attempt> Exchange(Call& call, Connection& connection) {
    Attempt attempt;
    BeastRequest request = ToBeast(call.request, call.url, options_.user_agent);
    ResponseParser parser;
    parser.body_limit(options_.body_limit);
    parser.header_limit(kHeaderLimit);
    if (request.method() == http::verb::head) parser.skip(true);
    beast::error_code ec;
    if (auto* tls = connection.tls()) {
      co_await WriteThenRead(*tls, call, connection, request, parser, options_.body_limit, attempt,
                             ec);
    } else {
      co_await WriteThenRead(connection.tcp(), call, connection, request, parser,
                             options_.body_limit, attempt, ec);
    }
    attempt.received_any = parser.got_some() || connection.buffer.size() > 0;
    if (ec) {
      attempt.error = ec;
      co_return attempt;
    }
    http::response<http::string_body> message = parser.release();
    attempt.keep_alive = message.keep_alive();
    attempt.response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      attempt.response.headers.Add(std::string(field.name_string()), std::string(field.value()));
    }
    attempt.response.body = std::move(message.body());
    co_return attempt;
  }

  // Loop thread. The most recently used open connection to `key`, if any.
  std::shared_ptr<Connection> TakeIdle(const PoolKey& key) {
    auto found = idle_.find(key);
    if (found == idle_.end()) return nullptr;
    std::vector<std::shared_ptr<Connection>>& pool = found->second;
    const Clock::time_point now = Clock::now();
    while (!pool.empty()) {
      std::shared_ptr<Connection> connection = std::move(pool.back());
      pool.pop_back();
      if (now - connection->idle_since < options_.idle_timeout && connection->LooksOpen()) {
        return connection;
      }
      connection->Close();
    }
    return nullptr;
  }

  // Loop thread.
  void PutIdle(const PoolKey& key, std::shared_ptr<Connection> connection) {
    if (stopping_ || options_.max_idle_per_host == 0) {
      connection->Close();
      return;
    }
    std::vector<std::shared_ptr<Connection>>& pool = idle_[key];
    const Clock::time_point now = Clock::now();
    // Oldest first: drop the expired ones and make room.
    while (!pool.empty() && (pool.size() >= options_.max_idle_per_host ||
                             now - pool.front()->idle_since >= options_.idle_timeout)) {
      pool.front()->Close();
      pool.erase(pool.begin());
    }
    connection->idle_since = now;
    pool.push_back(std::move(connection));
  }

  // Loop thread.
  void Shutdown() {
    stopping_ = true;
    for (auto& [key, pool] : idle_) {
      for (auto& connection : pool) connection->Close();
    }
    idle_.clear();
    std::vector<std::shared_ptr<Call>> calls(active_.begin(), active_.end());
    for (const auto& call : calls) {
      call->Finish(Error::Unavailable("HTTP client shut down before " +
                                      Describe(call->stage, call->url) + " completed"));
      call->Abort();
    }
  }

  Options options_;
  asio::io_context io_{1};
  ssl::context tls_{ssl::context::tls_client};
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  // Touched only on the loop thread:
  bool stopping_ = false;
  std::map<PoolKey, std::vector<std::shared_ptr<Connection>>> idle_;
  std::set<std::shared_ptr<Call>> active_;
  // Last, so that the loop starts after everything it uses exists.
  std::thread thread_;
};

HttpClient::HttpClient(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpClient::~HttpClient() = default;

void HttpClient::Send(HttpRequest request, Done<HttpResponse> done) {
  impl_->Send(std::move(request), std::move(done));
}

}  // namespace pcustomer
