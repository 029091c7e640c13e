#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pcustomer/util/ascii.hpp"

namespace pcustomer {

// HTTP header fields in the order they were added. Names compare case-insensitively, as
// RFC 9110 says; values are kept verbatim.
class HttpHeaders {
 public:
  using Field = std::pair<std::string, std::string>;

  // Appends a field, keeping any earlier field of the same name.
  void Add(std::string name, std::string value);
  // Replaces every field named `name` with this one.
  void Set(std::string name, std::string value);
  // The value of the first field named `name`; none when there is no such field.
  std::optional<std::string_view> Find(std::string_view name) const;
  bool Contains(std::string_view name) const { return Find(name).has_value(); }

  const std::vector<Field>& fields() const { return fields_; }

 private:
  std::vector<Field> fields_;
};

struct HttpRequest {
  std::string method = "GET";
  // http:// or https://, host, optional port, path and query: "https://h:8443/a?b=c".
  std::string url;
  // Host, Content-Length and User-Agent are filled in unless given here.
  HttpHeaders headers;
  std::string body;
  // Covers DNS, connect, TLS handshake, write and read. Zero: the client's default.
  std::chrono::milliseconds timeout{0};
  // Whether sending the request twice has the effect of sending it once, which allows one
  // retry on a fresh connection when a reused one turns out closed. None: by method (GET,
  // HEAD, PUT, DELETE, OPTIONS are).
  std::optional<bool> idempotent;
};

// Whether `request` may be repeated after a failure that leaves its fate unknown.
bool IsIdempotent(const HttpRequest& request);

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
};

}  // namespace pcustomer
