#pragma once

// Helpers for the auth tests only.

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/auth/jwt.hpp"
#include "pcustomer/auth/rsa_key.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer::auth_test {

// Generating a 2048-bit key takes tens of milliseconds or more: the whole test binary shares
// these, made on first use.
inline const RsaKey& TestKey(size_t index) {
  static const std::vector<RsaKey> keys = [] {
    std::vector<RsaKey> out;
    for (int i = 0; i < 3; ++i) out.push_back(RsaKey::Generate().value());
    return out;
  }();
  return keys.at(index);
}

inline constexpr int64_t kNow = 1'800'000'000;
inline constexpr char kIssuer[] =
    "https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_Test";
inline constexpr char kClientId[] = "3n4b5urk1ft4fl3mg5e62d9ado";

inline AccessClaims GoodClaims(int64_t now = kNow) {
  AccessClaims claims;
  claims.iss = kIssuer;
  claims.sub = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  claims.username = "lan.nguyen";
  claims.client_id = kClientId;
  claims.token_use = "access";
  claims.role = "employee";
  claims.groups = {"sales"};
  claims.jti = "f0e1d2c3";
  claims.iat = now;
  claims.exp = now + 3600;
  return claims;
}

// "header.payload.signature" from raw JSON texts and signature bytes, unchecked.
inline std::string RawToken(std::string_view header_json, std::string_view payload_json,
                            std::string_view signature) {
  return Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json) + "." +
         Base64UrlEncode(signature);
}

// A token with any header, RS256-signed by `key`.
inline std::string SignedWithHeader(std::string_view header_json, std::string_view payload_json,
                                    const RsaKey& key) {
  const std::string input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
  return input + "." + Base64UrlEncode(key.SignRs256(input).value());
}

// A private key of any type and size as PKCS#8 PEM, e.g. ("RSA", 1024) or ("EC", 0) for
// P-256: made here because RsaKey refuses to make them.
inline std::string ForeignPrivatePem(const char* type, size_t bits) {
  EVP_PKEY* pkey = bits == 0 ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, "P-256")
                             : EVP_PKEY_Q_keygen(nullptr, nullptr, type, bits);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  EVP_PKEY_free(pkey);
  return pem;
}

}  // namespace pcustomer::auth_test
