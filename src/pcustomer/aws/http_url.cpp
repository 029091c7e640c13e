#include "pcustomer/aws/http_url.hpp"

#include <algorithm>

#include "pcustomer/aws/http_message.hpp"
#include "pcustomer/util/numbers.hpp"

namespace pcustomer {

std::string HttpUrl::Authority() const {
  std::string authority = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) authority += ":" + std::to_string(port);
  return authority;
}

std::optional<HttpUrl> ParseHttpUrl(std::string_view url) {
  // Anything a header or request line could be split on stays out, whatever the source.
  if (std::any_of(url.begin(), url.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; })) {
    return std::nullopt;
  }
  HttpUrl parsed;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string_view scheme = url.substr(0, scheme_end);
  if (EqualsIgnoringCase(scheme, "https")) {
    parsed.tls = true;
  } else if (!EqualsIgnoringCase(scheme, "http")) {
    return std::nullopt;
  }
  std::string_view rest = url.substr(scheme_end + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return std::nullopt;

  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) return std::nullopt;
      port = after.substr(1);
    }
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return std::nullopt;
  }
  if (host.empty()) return std::nullopt;
  parsed.host = std::string(host);
  parsed.port = parsed.tls ? 443 : 80;
  if (authority.ends_with(':')) return std::nullopt;
  if (!port.empty()) {
    std::optional<unsigned> value = ParseIntegerInRange(port, 1u, 65535u);
    if (!value) return std::nullopt;
    parsed.port = static_cast<uint16_t>(*value);
  }
  target = target.substr(0, target.find('#'));
  if (target.empty() || target.starts_with('?')) {
    parsed.target = "/" + std::string(target);
  } else {
    parsed.target = std::string(target);
  }
  return parsed;
}

}  // namespace pcustomer
