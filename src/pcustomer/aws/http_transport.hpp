#pragma once

#include "pcustomer/aws/http_message.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Sends HTTP requests without blocking the caller. The seam between AWS service clients and
// the network: production uses HttpClient, tests may substitute their own.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  // Sends `request` and calls `done` exactly once: with the response for any status the
  // server answered (4xx and 5xx included), or with kUnavailable when the server could not
  // be reached, did not answer in time, or answered something that is not HTTP/1.x within
  // the limits. Thread-safe; never blocks on the network.
  virtual void Send(HttpRequest request, Done<HttpResponse> done) = 0;
};

}  // namespace pcustomer
