#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pcustomer {

// The parts of an absolute http(s) URL that a client needs to reach it.
struct HttpUrl {
  bool tls = false;    // https
  std::string host;    // name or IP address, without brackets for IPv6
  uint16_t port = 0;   // explicit, or 80 / 443
  std::string target;  // path and query, at least "/"; the fragment is dropped

  // "host" or "host:port" (IPv6 in brackets), as the Host header wants it: the port only
  // when it is not the scheme's default.
  std::string Authority() const;
};

// None unless `url` is http:// or https:// (any case) with a non-empty host, an optional
// port 1..65535, no user info, and no white space or control characters.
std::optional<HttpUrl> ParseHttpUrl(std::string_view url);

}  // namespace pcustomer
