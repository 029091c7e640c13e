#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/auth/rsa_key.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Longest token accepted. Cognito access tokens are about 1 KiB; the limit bounds the work
// an anonymous caller can cause before anything is checked.
inline constexpr size_t kMaxJwtBytes = 16 * 1024;

// The claims of an access token, shaped like Cognito's. Absent claims read as empty or 0.
struct AccessClaims {
  std::string iss;
  std::string sub;
  std::string username;
  std::string client_id;
  std::string token_use;            // "access" or "id"
  std::string role;                 // "custom:role"
  std::vector<std::string> groups;  // "cognito:groups"
  std::string jti;
  int64_t iat = 0;
  int64_t exp = 0;
  std::optional<int64_t> nbf;
  bool operator==(const AccessClaims&) const = default;
};

struct JwtHeader {
  std::string alg;
  std::string kid;  // empty when absent
  std::string typ;  // empty when absent
};

// A token split and decoded, NOT verified.
struct ParsedJwt {
  JwtHeader header;
  std::string signing_input;  // "header.payload" exactly as received: what the signature covers
  std::string signature;      // decoded bytes
  AccessClaims claims;
};

// Splits and decodes a compact JWS. Errors are Error::Unauthorized naming what is wrong:
// longer than kMaxJwtBytes (checked before any decoding), not exactly three dot-separated
// parts, a part that is not base64url, a header or payload that is not a JSON object (or
// repeats a member), a header without a string "alg" or with "crit" (no extension is
// understood here), a claim of the wrong type (strings, "cognito:groups" an array of
// strings, iat/exp/nbf integers).
Result<ParsedJwt> ParseJwt(std::string_view token);

// The payload JSON for `claims`: empty strings, empty groups and a missing nbf are left out.
std::string AccessClaimsJson(const AccessClaims& claims);

// A compact RS256 JWS with header {"alg":"RS256","kid":kid,"typ":"JWT"}. Fails with
// Error::Internal if `payload_json` is not a JSON object or the key cannot sign.
Result<std::string> SignJwt(std::string_view payload_json, const RsaKey& key, std::string_view kid);

}  // namespace pcustomer
