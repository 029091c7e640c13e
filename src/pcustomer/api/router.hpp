#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pcustomer/api/authorizer.hpp"
#include "pcustomer/api/exchange.hpp"

namespace pcustomer {

// A handler gets the request (with decoded path parameters) and the authorised caller,
// and answers through `reply` exactly once.
using Handler = std::function<void(Request request, Principal caller, Reply reply)>;

class IdempotencyGuard;

struct Route {
  std::string method;   // "GET", "POST", ...
  std::string pattern;  // "/pcustomers/{id}": literal segments and {param} segments
  Permission permission = Permission::kPublic;
  bool json_body = false;  // the body must be application/json (else 415)
  Handler handler;
  // Creates or changes: runs under the caller's Idempotency-Key (api/idempotency_guard.hpp).
  bool idempotent = false;
  // Takes many leads at once: its body may be as large as the server's bulk limit.
  bool bulk_body = false;
};

// Maps method + path to a route. Unknown paths get 404, known paths with another method
// 405 with an Allow header; then the content type is checked, then the caller authorised.
class Router {
 public:
  // `guard` (when set) runs the idempotent routes.
  explicit Router(Authorizer& authorizer, IdempotencyGuard* guard = nullptr)
      : authorizer_(authorizer), guard_(guard) {}

  void Add(Route route);
  // Whether the route `path` (a request target; the query is ignored) goes to takes a bulk
  // body: the server reads the body before dispatching, so it asks first.
  bool TakesBulkBody(std::string_view path) const;

  void Dispatch(Request request, Reply reply) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct CompiledRoute {
    Route route;
    std::vector<std::string> segments;  // "{}" marks a parameter
    int literals = 0;                   // segments that are not parameters
  };
  static bool Match(const CompiledRoute& route, const std::vector<std::string_view>& segments,
                    std::vector<std::string>& params);

  Authorizer& authorizer_;
  IdempotencyGuard* guard_;
  std::vector<Route> routes_;
  std::vector<CompiledRoute> compiled_;
};

// "application/json" with optional parameters ("; charset=utf-8"), case-insensitive.
bool IsJsonContentType(std::string_view content_type);

}  // namespace pcustomer
