#include "pcustomer/aws/sigv4.hpp"

#include <algorithm>
#include <array>
#include <ctime>
#include <map>
#include <utility>
#include <vector>

#include "pcustomer/aws/http_url.hpp"
#include "pcustomer/util/ascii.hpp"
#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Undoes percent-encoding; a '%' not followed by two hex digits stays as it is.
std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), AsciiLower);
  return out;
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Trimmed, with every inner run of blanks turned into one space, as SigV4 wants.
std::string TrimAndCollapse(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (IsBlank(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// Headers that intermediaries add or rewrite, which would break the signature if signed.
bool IsUnsignedHeader(std::string_view lower_name) {
  return lower_name == "authorization" || lower_name == "user-agent" ||
         lower_name == "connection" || lower_name == "expect" || lower_name == "x-amzn-trace-id";
}

}  // namespace

std::string AmzDate(int64_t unix_seconds) {
  auto time = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  gmtime_r(&time, &parts);
  std::array<char, 20> text{};
  std::strftime(text.data(), text.size(), "%Y%m%dT%H%M%SZ", &parts);
  return text.data();
}

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out += c;
    } else {
      auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

std::string CanonicalUri(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = std::min(path.find('/', start), path.size());
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out += '/';
    out += UriEncode(segments[i], false);
  }
  const bool directory = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
  if (!segments.empty() && directory) out += '/';
  return out;
}

std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> parameters;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = std::min(query.find('&', start), query.size());
    std::string_view parameter = query.substr(start, end - start);
    if (!parameter.empty()) {
      size_t equals = parameter.find('=');
      std::string_view name = parameter.substr(0, equals);
      std::string_view value =
          equals == std::string_view::npos ? std::string_view() : parameter.substr(equals + 1);
      parameters.emplace_back(UriEncode(PercentDecode(name), false),
                              UriEncode(PercentDecode(value), false));
    }
    start = end + 1;
  }
  std::sort(parameters.begin(), parameters.end());
  std::string out;
  for (const auto& [name, value] : parameters) {
    if (!out.empty()) out += '&';
    out.append(name).append("=").append(value);
  }
  return out;
}

CanonicalHeaders CanonicalizeHeaders(const HttpHeaders& headers) {
  std::map<std::string, std::string> values;
  for (const auto& [name, value] : headers.fields()) {
    std::string lower = Lower(TrimAndCollapse(name));
    if (IsUnsignedHeader(lower)) continue;
    auto [it, inserted] = values.try_emplace(lower, TrimAndCollapse(value));
    if (!inserted) it->second.append(",").append(TrimAndCollapse(value));
  }
  CanonicalHeaders canonical;
  for (const auto& [name, value] : values) {
    canonical.block.append(name).append(":").append(value).append("\n");
    if (!canonical.signed_names.empty()) canonical.signed_names += ';';
    canonical.signed_names += name;
  }
  return canonical;
}

CanonicalRequest MakeCanonicalRequest(std::string_view method, std::string_view target,
                                      const HttpHeaders& headers, std::string_view payload_hash) {
  size_t question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  CanonicalHeaders canonical_headers = CanonicalizeHeaders(headers);
  CanonicalRequest request;
  request.text = std::string(method) + "\n" + CanonicalUri(path) + "\n" + CanonicalQuery(query) +
                 "\n" + canonical_headers.block + "\n" + canonical_headers.signed_names + "\n" +
                 std::string(payload_hash);
  request.signed_headers = std::move(canonical_headers.signed_names);
  return request;
}

std::string CredentialScope(std::string_view amz_date, std::string_view region,
                            std::string_view service) {
  return std::string(amz_date.substr(0, 8)) + "/" + std::string(region) + "/" +
         std::string(service) + "/aws4_request";
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  return std::string(kAlgorithm) + "\n" + std::string(amz_date) + "\n" + std::string(scope) + "\n" +
         HexEncode(Sha256(canonical_request));
}

std::string SigningKey(std::string_view secret_access_key, std::string_view date,
                       std::string_view region, std::string_view service) {
  std::string key = HmacSha256("AWS4" + std::string(secret_access_key), date);
  key = HmacSha256(key, region);
  key = HmacSha256(key, service);
  return HmacSha256(key, "aws4_request");
}

std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign) {
  return HexEncode(HmacSha256(signing_key, string_to_sign));
}

Status SignRequest(HttpRequest& request, const AwsCredentials& credentials, std::string_view region,
                   std::string_view service, int64_t unix_seconds, SigV4Options options) {
  std::optional<HttpUrl> url = ParseHttpUrl(request.url);
  if (!url) return Error::Internal("cannot sign a request to an invalid URL");

  const std::string amz_date = AmzDate(unix_seconds);
  const std::string payload_hash = HexEncode(Sha256(request.body));
  // The transport sends a Host header only when none is given, so the one signed here is the
  // one that goes out.
  if (!request.headers.Contains("Host")) request.headers.Add("Host", url->Authority());
  request.headers.Set("X-Amz-Date", amz_date);
  if (credentials.session_token) {
    request.headers.Set("X-Amz-Security-Token", *credentials.session_token);
  }
  if (options.content_sha256_header) request.headers.Set("X-Amz-Content-Sha256", payload_hash);

  CanonicalRequest canonical =
      MakeCanonicalRequest(request.method, url->target, request.headers, payload_hash);
  const std::string scope = CredentialScope(amz_date, region, service);
  const std::string signature = SignatureHex(
      SigningKey(credentials.secret_access_key, amz_date.substr(0, 8), region, service),
      StringToSign(amz_date, scope, canonical.text));
  request.headers.Set("Authorization", std::string(kAlgorithm) +
                                           " Credential=" + credentials.access_key_id + "/" +
                                           scope + ", SignedHeaders=" + canonical.signed_headers +
                                           ", Signature=" + signature);
  return Ok{};
}

}  // namespace pcustomer
