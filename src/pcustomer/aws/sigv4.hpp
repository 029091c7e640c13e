#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pcustomer/aws/credentials.hpp"
#include "pcustomer/aws/http_message.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// AWS Signature Version 4 (header form), as documented in the AWS IAM user guide
// ("Create a signed AWS API request"). The steps are exposed so that tests can compare each
// against AWS's published test suite.

struct SigV4Options {
  // Adds x-amz-content-sha256 with the payload hash (S3 wants it; DynamoDB does not).
  bool content_sha256_header = false;
};

// Signs `request` in place for `service` in `region` at `unix_seconds`: sets X-Amz-Date,
// Host (when absent, from the URL), X-Amz-Security-Token (with a session token) and
// Authorization, signing every header present except a few that proxies rewrite
// (User-Agent, Connection, Expect, X-Amzn-Trace-Id). The request must not be changed
// afterwards, except by adding unsigned headers. kInternal when the URL does not parse,
// since only code builds URLs.
Status SignRequest(HttpRequest& request, const AwsCredentials& credentials, std::string_view region,
                   std::string_view service, int64_t unix_seconds, SigV4Options options = {});

// "20150830T123600Z".
std::string AmzDate(int64_t unix_seconds);

// RFC 3986 percent-encoding of everything but unreserved characters (A-Z a-z 0-9 - . _ ~),
// with upper-case hex; '/' is kept when `keep_slash`.
std::string UriEncode(std::string_view text, bool keep_slash);

// The path as sent (e.g. "/a/./b//c"), without dot segments or empty segments, each
// segment URI-encoded once more as the SDKs do for every service but S3.
std::string CanonicalUri(std::string_view path);

// A query string as sent ("b=2&a=1&a=0"), each name and value decoded and re-encoded, sorted
// by name then value, joined with '&'.
std::string CanonicalQuery(std::string_view query);

struct CanonicalHeaders {
  std::string block;         // "name:value\n" per header, names lower-cased and sorted
  std::string signed_names;  // "content-type;host;x-amz-date"
};

// Values trimmed with inner runs of spaces collapsed; repeated names joined with ',' in the
// order they appear.
CanonicalHeaders CanonicalizeHeaders(const HttpHeaders& headers);

struct CanonicalRequest {
  std::string text;
  std::string signed_headers;
};

// `target` is the request target as sent: path and optional "?query".
CanonicalRequest MakeCanonicalRequest(std::string_view method, std::string_view target,
                                      const HttpHeaders& headers, std::string_view payload_hash);

// "20150830/us-east-1/service/aws4_request".
std::string CredentialScope(std::string_view amz_date, std::string_view region,
                            std::string_view service);

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);

// The raw 32-byte key: HMAC chain over "AWS4" + secret, date, region, service, "aws4_request".
std::string SigningKey(std::string_view secret_access_key, std::string_view date,
                       std::string_view region, std::string_view service);

// Lower-case hex HMAC-SHA256 of `string_to_sign` under `signing_key`.
std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign);

}  // namespace pcustomer
