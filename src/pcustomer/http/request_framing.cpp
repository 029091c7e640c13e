#include "pcustomer/http/request_framing.hpp"

#include "pcustomer/util/ascii.hpp"

namespace pcustomer {
namespace {

namespace http = boost::beast::http;

std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// True when the Transfer-Encoding lines, taken together, name exactly one coding: chunked.
bool IsPlainChunked(const http::request_header<>& header) {
  int codings = 0;
  bool chunked = false;
  for (auto range = header.equal_range(http::field::transfer_encoding); range.first != range.second;
       ++range.first) {
    std::string_view value = range.first->value();
    while (true) {
      size_t comma = value.find(',');
      std::string_view coding = TrimOws(value.substr(0, comma));
      if (!coding.empty()) {
        ++codings;
        chunked = EqualsIgnoringCase(coding, "chunked");
      }
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  return codings == 1 && chunked;
}

}  // namespace

std::optional<Error> CheckFraming(const http::request_header<>& header) {
  if (header.count(http::field::transfer_encoding) > 0) {
    if (!IsPlainChunked(header)) {
      return Error::BadRequest("Transfer-Encoding must be exactly \"chunked\"");
    }
    if (header.count(http::field::content_length) > 0) {
      return Error::BadRequest("Transfer-Encoding and Content-Length must not both be sent");
    }
  }
  size_t hosts = header.count(http::field::host);
  if (hosts > 1) return Error::BadRequest("A request must carry exactly one Host header");
  if (hosts == 0 && header.version() >= 11)
    return Error::BadRequest("An HTTP/1.1 request must carry a Host header");
  return std::nullopt;
}

size_t LeadingEmptyLineBytes(std::string_view data) {
  size_t at = 0;
  while (true) {
    if (at < data.size() && data[at] == '\n') {
      at += 1;
    } else if (at + 1 < data.size() && data[at] == '\r' && data[at + 1] == '\n') {
      at += 2;
    } else {
      return at;
    }
  }
}

std::string OriginForm(std::string_view target) {
  size_t authority = 0;
  if (StartsWithIgnoringCase(target, "http://")) {
    authority = 7;
  } else if (StartsWithIgnoringCase(target, "https://")) {
    authority = 8;
  } else {
    return std::string(target);
  }
  size_t path = target.find_first_of("/?", authority);
  if (path == std::string_view::npos) return "/";
  // "http://host?q" has an empty path, which stands for "/" (RFC 9110 section 4.2.3).
  if (target[path] == '?') return "/" + std::string(target.substr(path));
  return std::string(target.substr(path));
}

}  // namespace pcustomer
