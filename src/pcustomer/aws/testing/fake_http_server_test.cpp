// Support code for the tests (see fake_http_server.hpp); holds no tests itself.

#include "pcustomer/aws/testing/fake_http_server.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
// clang-format off
#include <utility>  // awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
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
#include <future>
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace pcustomer::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kAwait = asio::use_awaitable;

// What CloseConnections and the destructor must cancel for one live connection.
struct LiveConnection {
  beast::tcp_stream* tcp = nullptr;
  asio::steady_timer* hang = nullptr;
};

}  // namespace

FakeReply FakeReply::Json(int status, std::string body) {
  FakeReply reply;
  reply.status = status;
  reply.headers.Add("Content-Type", "application/x-amz-json-1.1");
  reply.body = std::move(body);
  return reply;
}

class FakeHttpServer::Impl {
 public:
  Impl(FakeHandler handler, TlsIdentity identity) : handler_(std::move(handler)) {
    if (!identity.certificate_pem.empty()) {
      tls_.emplace(ssl::context::tls_server);
      tls_->use_certificate_chain(
          asio::buffer(identity.certificate_pem.data(), identity.certificate_pem.size()));
      tls_->use_private_key(
          asio::buffer(identity.private_key_pem.data(), identity.private_key_pem.size()),
          ssl::context::pem);
    }
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, Accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }

  ~Impl() {
    asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      CloseAll();
    });
    thread_.join();
  }

  uint16_t port() const { return port_; }
  bool tls() const { return tls_.has_value(); }
  int accepted() const { return accepted_.load(); }

  std::vector<FakeRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  void CloseConnections() {
    std::promise<void> closed;
    asio::post(io_, [&] {
      CloseAll();
      closed.set_value();
    });
    closed.get_future().wait();
  }

 private:
  void CloseAll() {
    for (LiveConnection& live : live_) {
      live.tcp->close();
      if (live.hang != nullptr) live.hang->cancel();
    }
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(kAwait, ec));
      if (ec) co_return;
      int index = ++accepted_;
      asio::co_spawn(io_, Session(std::move(socket), index), asio::detached);
    }
  }

  asio::awaitable<void> Session(tcp::socket socket, int index) {
    if (tls_) {
      beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls_);
      auto live = live_.insert(live_.end(), LiveConnection{&stream.next_layer()});
      boost::system::error_code ec;
      co_await stream.async_handshake(ssl::stream_base::server, asio::redirect_error(kAwait, ec));
      if (!ec) co_await Serve(stream, *live, index);
      live_.erase(live);
    } else {
      beast::tcp_stream stream(std::move(socket));
      auto live = live_.insert(live_.end(), LiveConnection{&stream});
      co_await Serve(stream, *live, index);
      live_.erase(live);
    }
  }

  template <class Stream>
  asio::awaitable<void> Serve(Stream& stream, LiveConnection& live, int index) {
    beast::flat_buffer buffer;
    for (;;) {
      boost::system::error_code ec;
      http::request<http::string_body> request;
      co_await http::async_read(stream, buffer, request, asio::redirect_error(kAwait, ec));
      if (ec) co_return;
      FakeRequest seen;
      seen.method = std::string(request.method_string());
      seen.target = std::string(request.target());
      for (const auto& field : request) {
        seen.headers.Add(std::string(field.name_string()), std::string(field.value()));
      }
      seen.body = request.body();
      seen.connection = index;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(seen);
      }
      FakeReply reply = handler_(seen);
      if (reply.action == FakeReply::Action::kDrop) co_return;
      if (reply.action == FakeReply::Action::kHang) {
        asio::steady_timer hang(io_, std::chrono::hours(1));
        live.hang = &hang;
        co_await hang.async_wait(asio::redirect_error(kAwait, ec));
        live.hang = nullptr;
        co_return;
      }
      http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
      bool chunked = false;
      for (const auto& [name, value] : reply.headers.fields()) {
        if (EqualsIgnoringCase(name, "Transfer-Encoding")) {
          chunked = true;  // the serializer writes the chunks and the header
        } else {
          response.insert(name, value);
        }
      }
      response.body() = reply.body;
      response.keep_alive(!reply.close && request.keep_alive());
      if (chunked) {
        response.chunked(true);
      } else {
        response.prepare_payload();
      }
      co_await http::async_write(stream, response, asio::redirect_error(kAwait, ec));
      if (ec || !response.keep_alive()) co_return;
    }
  }

  FakeHandler handler_;
  asio::io_context io_{1};
  tcp::acceptor acceptor_{io_};
  std::optional<ssl::context> tls_;
  uint16_t port_ = 0;
  std::atomic<int> accepted_{0};
  mutable std::mutex mutex_;
  std::vector<FakeRequest> requests_;  // guarded by mutex_
  std::list<LiveConnection> live_;     // loop thread only
  std::thread thread_;
};

FakeHttpServer::FakeHttpServer(FakeHandler handler, TlsIdentity tls)
    : impl_(std::make_unique<Impl>(std::move(handler), std::move(tls))) {}

FakeHttpServer::~FakeHttpServer() = default;

uint16_t FakeHttpServer::port() const { return impl_->port(); }

std::string FakeHttpServer::url() const {
  return std::string(impl_->tls() ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

int FakeHttpServer::connections_accepted() const { return impl_->accepted(); }

std::vector<FakeRequest> FakeHttpServer::requests() const { return impl_->requests(); }

void FakeHttpServer::CloseConnections() { impl_->CloseConnections(); }

namespace {

template <class T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* pointer) const { Free(pointer); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;
using ExtensionPtr =
    std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION, X509_EXTENSION_free>>;

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificate: ") + what + " failed");
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

void AddExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
  Check(extension != nullptr, "extension");
  Check(X509_add_ext(cert, extension.get(), -1) == 1, "add extension");
}

}  // namespace

TlsIdentity SelfSignedIdentity(const std::vector<std::string>& dns_names,
                               const std::vector<std::string>& ip_addresses) {
  KeyPtr key(EVP_EC_gen("P-256"));
  Check(key != nullptr, "key generation");
  CertPtr cert(X509_new());
  Check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("pcustomer test"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  std::string alt_names;
  for (const std::string& dns : dns_names)
    alt_names += (alt_names.empty() ? "" : ",") + ("DNS:" + dns);
  for (const std::string& ip : ip_addresses)
    alt_names += (alt_names.empty() ? "" : ",") + ("IP:" + ip);
  AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(cert.get(), NID_subject_alt_name, alt_names);
  Check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "signing");

  TlsIdentity identity;
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  Check(PEM_write_bio_X509(cert_bio.get(), cert.get()) == 1, "PEM certificate");
  identity.certificate_pem = BioText(cert_bio.get());
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  Check(PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) ==
            1,
        "PEM key");
  identity.private_key_pem = BioText(key_bio.get());
  return identity;
}

Result<HttpResponse> SendAndWait(HttpTransport& transport, HttpRequest request,
                                 std::chrono::milliseconds limit) {
  auto promise = std::make_shared<std::promise<Result<HttpResponse>>>();
  std::future<Result<HttpResponse>> future = promise->get_future();
  transport.Send(std::move(request),
                 [promise](Result<HttpResponse> result) { promise->set_value(std::move(result)); });
  if (future.wait_for(limit) != std::future_status::ready) {
    return Error::Internal("test: no answer within the limit");
  }
  return future.get();
}

}  // namespace pcustomer::testing
