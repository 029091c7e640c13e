#pragma once

#include <string>
#include <string_view>

namespace pcustomer {

// Cognito's SECRET_HASH for app clients that have a secret:
// base64(HMAC-SHA256(key = client_secret, message = username + client_id)), standard
// alphabet with padding.
std::string CognitoSecretHash(std::string_view username, std::string_view client_id,
                              std::string_view client_secret);

// Standard base64 (RFC 4648 section 4) with padding.
std::string Base64Encode(std::string_view bytes);

}  // namespace pcustomer
