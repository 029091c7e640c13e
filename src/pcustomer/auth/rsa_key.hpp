#pragma once

#include <string>
#include <string_view>

#include "pcustomer/domain/result.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY; kept out of this header on purpose.

namespace pcustomer {

// Smallest modulus accepted anywhere: smaller RSA keys are deprecated (NIST SP 800-131A), and
// Cognito signs with 2048-bit keys.
inline constexpr int kMinRsaBits = 2048;
// Largest modulus accepted: bounds the cost of one verification with a key from a remote JWKS.
inline constexpr int kMaxRsaBits = 8192;

// An RSA key pair, or a public key alone, for RS256 (RSASSA-PKCS1-v1_5 with SHA-256).
// The OpenSSL key is immutable once built, so copies share it (a reference count, no key
// copy) and every const method may be called from any number of threads at once.
// A moved-from key may only be assigned to or destroyed.
// Failures are Error::Internal: a bad key is a configuration or upstream problem, never the
// fault of an HTTP client.
class RsaKey {
 public:
  // A fresh key pair; `bits` in [kMinRsaBits, kMaxRsaBits].
  static Result<RsaKey> Generate(int bits = kMinRsaBits);
  // A key pair from an unencrypted PEM private key (PKCS#8 or PKCS#1). Encrypted PEM, keys
  // that are not RSA (including RSA-PSS) and moduli outside the limits are refused.
  static Result<RsaKey> FromPrivatePem(std::string_view pem);
  // A public key from the JWK members `n` and `e`: base64url, big-endian, no padding.
  // Refuses moduli outside the limits, even moduli and exponents that are even, < 3 or
  // longer than 8 bytes.
  static Result<RsaKey> FromJwk(std::string_view n, std::string_view e);

  RsaKey(const RsaKey& other);
  RsaKey& operator=(const RsaKey& other);
  RsaKey(RsaKey&& other) noexcept;
  RsaKey& operator=(RsaKey&& other) noexcept;
  ~RsaKey();

  bool has_private() const { return has_private_; }
  int bits() const;

  // The private key as unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"). Fails for a public key.
  Result<std::string> ToPrivatePem() const;
  // The public key as DER SubjectPublicKeyInfo: a stable identity of the key.
  std::string PublicDer() const;
  // {"kty":"RSA","use":"sig","alg":"RS256","kid":...,"n":...,"e":...}
  std::string PublicJwkJson(std::string_view kid) const;

  // The RS256 signature of `message`. Fails for a public key.
  Result<std::string> SignRs256(std::string_view message) const;
  // True only if `signature` is a valid RS256 signature of `message` under this key.
  bool VerifyRs256(std::string_view message, std::string_view signature) const;

 private:
  RsaKey(evp_pkey_st* pkey, bool has_private) : pkey_(pkey), has_private_(has_private) {}

  evp_pkey_st* pkey_ = nullptr;  // owned: one reference
  bool has_private_ = false;
};

}  // namespace pcustomer
