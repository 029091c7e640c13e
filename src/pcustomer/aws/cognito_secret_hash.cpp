#include "pcustomer/aws/cognito_secret_hash.hpp"

#include <cstdint>

#include "pcustomer/util/crypto.hpp"

namespace pcustomer {

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t chunk = (static_cast<uint8_t>(bytes[i]) << 16) |
                           (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                           static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += kAlphabet[(chunk >> 6) & 63];
    out += kAlphabet[chunk & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t chunk = static_cast<uint8_t>(bytes[i]) << 16;
    if (rest == 2) chunk |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += rest == 2 ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string CognitoSecretHash(std::string_view username, std::string_view client_id,
                              std::string_view client_secret) {
  std::string message;
  message.reserve(username.size() + client_id.size());
  message.append(username).append(client_id);
  return Base64Encode(HmacSha256(client_secret, message));
}

}  // namespace pcustomer
