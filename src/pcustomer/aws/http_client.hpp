#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "pcustomer/aws/http_transport.hpp"

namespace pcustomer {

// An asynchronous HTTP/1.1 client for AWS-style JSON APIs, with its own event loop thread so
// that callers never wait on the network.
//
// - Connections are kept per scheme, host and port and reused after a complete keep-alive
//   response; at most `max_idle_per_host` idle ones are kept, each for at most
//   `idle_timeout`. A reused connection that the server closed is replaced by a fresh one;
//   if that is only found out after the request went out, the request is retried once on a
//   fresh connection, provided no byte of a response arrived and the request is idempotent
//   (IsIdempotent) or was not written at all.
// - https verifies the server's certificate chain against the system store and its name
//   against the URL's host (SNI is sent for names).
// - Each request has one deadline covering DNS, connect, handshake, write and read.
// - Failures come back as kUnavailable "<what> failed: <reason>" (or "... timed out");
//   a URL that is not http(s) as kInternal, since only code builds URLs.
class HttpClient final : public HttpTransport {
 public:
  struct Options {
    std::chrono::milliseconds default_timeout = std::chrono::seconds(5);
    // Larger than any AWS JSON answer the service asks for (DynamoDB pages stop at 1 MB).
    size_t body_limit = 16 * 1024 * 1024;
    size_t max_idle_per_host = 8;
    // Below the 60 s after which AWS front ends drop idle connections.
    std::chrono::milliseconds idle_timeout = std::chrono::seconds(30);
    // Trust anchors: the system store (/etc/ssl/certs), plus this PEM file when set (tests
    // use it for a self-signed server).
    std::string extra_ca_file;
    std::string user_agent = "pcustomer";
  };

  // Throws std::runtime_error when `extra_ca_file` is set but cannot be loaded.
  explicit HttpClient(Options options);
  HttpClient() : HttpClient(Options{}) {}
  // Completes every request still in flight with kUnavailable and joins the loop thread.
  // Must not run on that thread, i.e. not from inside a `done`.
  ~HttpClient() override;

  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // See HttpTransport::Send. `done` runs on the client's thread (or on the caller's, for a
  // URL that does not parse) and must not block; it may call Send again.
  void Send(HttpRequest request, Done<HttpResponse> done) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pcustomer
