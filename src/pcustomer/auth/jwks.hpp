#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pcustomer/auth/rsa_key.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Verification keys by key id ("kid").
using JwksKeys = std::map<std::string, RsaKey, std::less<>>;

// Largest JWKS document and most keys taken from it; Cognito publishes two keys in ~1 KiB.
inline constexpr size_t kMaxJwksBytes = 256 * 1024;
inline constexpr size_t kMaxJwksKeys = 32;

// The RS256 signature keys of a JWKS document ({"keys":[...]}). Keys that cannot verify
// RS256 are skipped, not errors: "kty" other than "RSA", "use" present and not "sig", "alg"
// present and not "RS256", no string "kid", n/e unusable (see RsaKey::FromJwk). When a kid
// repeats, the first key wins. Fails with Error::Unavailable when the document is larger
// than kMaxJwksBytes, is not a JSON object or has no "keys" array: the caller should keep
// the keys it had.
Result<JwksKeys> ParseJwks(std::string_view json);

// {"keys":[...]} with the public JWK of each (kid, key), in the given order.
std::string JwksJson(const std::vector<std::pair<std::string, RsaKey>>& keys);

}  // namespace pcustomer
