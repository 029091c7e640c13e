#pragma once

// Test support for pc_aws_tests only: an in-process HTTP/1.1 server on 127.0.0.1 with a
// scripted handler, and a blocking Send for tests. Its .cpp ends in _test.cpp so that the
// build puts it in the test binary and never in the library.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pcustomer/aws/http_message.hpp"
#include "pcustomer/aws/http_transport.hpp"

namespace pcustomer::testing {

struct FakeRequest {
  std::string method;
  std::string target;
  HttpHeaders headers;
  std::string body;
  int connection = 0;  // 1 for the first accepted connection, 2 for the next, ...
};

struct FakeReply {
  enum class Action {
    kRespond,  // send the response below
    kDrop,     // close the connection without answering
    kHang,     // never answer (until the server stops or closes connections)
  };
  Action action = Action::kRespond;
  int status = 200;
  HttpHeaders headers;
  std::string body;
  bool close = false;  // answer with Connection: close, then close

  static FakeReply Json(int status, std::string body);
  static FakeReply Drop() { return WithAction(Action::kDrop); }
  static FakeReply Hang() { return WithAction(Action::kHang); }

 private:
  static FakeReply WithAction(Action action) {
    FakeReply reply;
    reply.action = action;
    return reply;
  }
};

// Runs on the server's thread, one request at a time.
using FakeHandler = std::function<FakeReply(const FakeRequest&)>;

struct TlsIdentity {
  std::string certificate_pem;
  std::string private_key_pem;
};

class FakeHttpServer {
 public:
  // Listens on 127.0.0.1 on a free port; speaks TLS when `tls` has a certificate.
  explicit FakeHttpServer(FakeHandler handler, TlsIdentity tls = {});
  ~FakeHttpServer();

  uint16_t port() const;
  // "http://127.0.0.1:<port>" (https for TLS).
  std::string url() const;
  int connections_accepted() const;
  std::vector<FakeRequest> requests() const;
  // Closes every open connection, idle or not, and returns once they are closed.
  void CloseConnections();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// A self-signed certificate (usable as its own trust anchor) for the given DNS names and IP
// addresses, with a fresh P-256 key.
TlsIdentity SelfSignedIdentity(const std::vector<std::string>& dns_names,
                               const std::vector<std::string>& ip_addresses);

// Sends and waits for `done`; fails the test (returns Internal) after `limit`.
Result<HttpResponse> SendAndWait(HttpTransport& transport, HttpRequest request,
                                 std::chrono::milliseconds limit = std::chrono::seconds(20));

// Waits for an asynchronous call's result, e.g.
// Wait<CognitoTokens>([&](auto done) { client.SignIn("a", "b", done); }).
template <class T>
Result<T> Wait(const std::function<void(Done<T>)>& start);

}  // namespace pcustomer::testing

#include <future>

namespace pcustomer::testing {

template <class T>
Result<T> Wait(const std::function<void(Done<T>)>& start) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  std::future<Result<T>> future = promise->get_future();
  start([promise](Result<T> result) { promise->set_value(std::move(result)); });
  if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    return Error::Internal("test: no answer within 20 s");
  }
  return future.get();
}

}  // namespace pcustomer::testing
