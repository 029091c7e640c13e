#include "pcustomer/api/router.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

#include "pcustomer/api/error_response.hpp"
#include "pcustomer/api/idempotency_guard.hpp"
#include "pcustomer/api/url.hpp"

namespace pcustomer {
namespace {

// "/a/b/" -> {"a", "b", ""}: a trailing slash is a distinct (empty) segment.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path[0] != '/') return segments;
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

}  // namespace

bool IsJsonContentType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  while (!media.empty() && media.front() == ' ') media.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  return media.size() == kJson.size() &&
         std::equal(media.begin(), media.end(), kJson.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

void Router::Add(Route route) {
  CompiledRoute compiled{route, {}};
  for (std::string_view segment : SplitPath(route.pattern)) {
    bool is_param = segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
    compiled.segments.emplace_back(is_param ? "{}" : std::string(segment));
    if (!is_param) ++compiled.literals;
  }
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(compiled));
}

bool Router::Match(const CompiledRoute& route, const std::vector<std::string_view>& segments,
                   std::vector<std::string>& params) {
  if (route.segments.size() != segments.size()) return false;
  params.clear();
  for (size_t i = 0; i < segments.size(); ++i) {
    if (route.segments[i] == "{}") {
      auto decoded = PercentDecode(segments[i]);
      if (!decoded || decoded->empty()) return false;
      params.push_back(std::move(*decoded));
    } else if (route.segments[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

bool Router::TakesBulkBody(std::string_view path) const {
  const std::vector<std::string_view> segments = SplitPath(path.substr(0, path.find('?')));
  std::vector<std::string> params;
  for (const CompiledRoute& candidate : compiled_) {
    if (candidate.route.bulk_body && Match(candidate, segments, params)) return true;
  }
  return false;
}

void Router::Dispatch(Request request, Reply reply) const {
  std::vector<std::string_view> segments = SplitPath(request.path);
  std::vector<std::string> params;
  const CompiledRoute* found = nullptr;
  std::string allow;
  // HEAD is the GET route's answer without its body (RFC 9110 section 9.3.2); the server
  // drops the body, so handlers never see HEAD.
  const bool head = request.method == "HEAD";
  const std::string_view wanted = head ? std::string_view("GET") : std::string_view(request.method);
  // A path some route names literally ("/pcustomers/batch") belongs to the routes that name
  // it so, never to one that would take a segment of it as a value ("/pcustomers/{id}").
  int most_literal = -1;
  for (const CompiledRoute& candidate : compiled_) {
    if (Match(candidate, segments, params))
      most_literal = std::max(most_literal, candidate.literals);
  }
  for (const CompiledRoute& candidate : compiled_) {
    if (candidate.literals != most_literal || !Match(candidate, segments, params)) continue;
    if (candidate.route.method == wanted) {
      found = &candidate;
      break;
    }
    if (allow.find(candidate.route.method) == std::string::npos) {
      allow += allow.empty() ? "" : ", ";
      allow += candidate.route.method;
    }
  }
  if (found == nullptr) {
    if (allow.find("GET") != std::string::npos) allow += ", HEAD";
    if (allow.empty()) {
      reply(ErrorResponse(Error::NotFound("Route not found")));
      return;
    }
    Response response = ErrorResponse(Error{
        ErrorCode::kMethodNotAllowed, "Method " + request.method + " is not allowed here", {}});
    response.headers.emplace_back("Allow", allow);
    reply(std::move(response));
    return;
  }
  const Route& route = found->route;
  if (head) request.method = "GET";
  if (route.json_body && !IsJsonContentType(request.content_type)) {
    reply(ErrorResponse(
        Error{ErrorCode::kUnsupportedMediaType, "Content-Type must be application/json", {}}));
    return;
  }
  request.path_params = std::move(params);
  if (route.permission == Permission::kPublic) {
    route.handler(std::move(request), Principal{}, std::move(reply));
    return;
  }
  // The request moves into the completion, which outlives this call when the authorizer
  // answers later; the Request reference given to Authorize stays valid until then.
  auto shared = std::make_shared<Request>(std::move(request));
  authorizer_.Authorize(
      *shared, route.permission,
      [this, shared, &route, reply = std::move(reply)](Result<Principal> caller) mutable {
        if (!caller) {
          reply(ErrorResponse(caller.error()));
          return;
        }
        if (route.idempotent && guard_ != nullptr) {
          guard_->Run(route.handler, std::move(*shared), std::move(*caller), std::move(reply));
          return;
        }
        route.handler(std::move(*shared), std::move(*caller), std::move(reply));
      });
}

}  // namespace pcustomer
