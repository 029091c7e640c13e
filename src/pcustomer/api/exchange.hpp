#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pcustomer {

// An HTTP request as the application sees it: no transport types, so handlers are plain
// functions that tests can call directly.
struct Request {
  std::string method;  // "GET"
  std::string path;    // raw path, still percent-encoded, without the query
  std::string query;   // raw query string without '?'
  std::string content_type;
  std::string authorization;
  std::string if_match;  // conditional headers (CONTRACT.md section 8); empty = absent
  std::string if_none_match;
  std::string idempotency_key;  // the Idempotency-Key header as sent; empty = absent
  std::string request_id;
  std::string client_address;  // the peer's IP address (proxies' headers are not trusted)
  std::string body;
  std::vector<std::string> path_params;  // percent-decoded {param} values, in pattern order
};

using Header = std::pair<std::string, std::string>;

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<Header> headers;
  // Never sent: why a 5xx happened in the words of a driver or peer, for the server's log.
  std::string log_detail = {};
};

// A JSON answer with `status`: the common case of every handler.
inline Response JsonResponse(std::string body, int status = 200) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// How a handler answers. Called exactly once, from any thread.
using Reply = std::function<void(Response)>;

}  // namespace pcustomer
