#include "pcustomer/auth/rsa_key.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <rapidjson/document.h>

#include <string>

#include "pcustomer/auth/test_keys.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

using auth_test::ForeignPrivatePem;
using auth_test::TestKey;

std::string Member(const rapidjson::Document& json, const char* name) {
  return json[name].GetString();
}

TEST(RsaKey, SignatureVerifiesOnlyForItsMessageAndKey) {
  const RsaKey& key = TestKey(0);
  const std::string signature = key.SignRs256("header.payload").value();
  EXPECT_EQ(signature.size(), 256u);
  EXPECT_TRUE(key.VerifyRs256("header.payload", signature));
  EXPECT_FALSE(key.VerifyRs256("header.payloaD", signature));
  EXPECT_FALSE(TestKey(1).VerifyRs256("header.payload", signature));
  std::string flipped = signature;
  flipped[100] = static_cast<char>(flipped[100] ^ 1);
  EXPECT_FALSE(key.VerifyRs256("header.payload", flipped));
  EXPECT_FALSE(key.VerifyRs256("header.payload", signature.substr(1)));
  EXPECT_FALSE(key.VerifyRs256("header.payload", ""));
}

TEST(RsaKey, SignatureIsDeterministicPkcs1) {
  // PKCS#1 v1.5 has no randomness, unlike PSS: the same input signs the same.
  EXPECT_EQ(TestKey(0).SignRs256("m").value(), TestKey(0).SignRs256("m").value());
}

TEST(RsaKey, PemRoundTripKeepsTheKey) {
  const std::string pem = TestKey(0).ToPrivatePem().value();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));  // PKCS#8, unencrypted
  const RsaKey loaded = RsaKey::FromPrivatePem(pem).value();
  EXPECT_TRUE(loaded.has_private());
  EXPECT_EQ(loaded.PublicDer(), TestKey(0).PublicDer());
  EXPECT_TRUE(TestKey(0).VerifyRs256("m", loaded.SignRs256("m").value()));
}

TEST(RsaKey, RefusesPemThatIsNotAnUsableRsaPrivateKey) {
  EXPECT_FALSE(RsaKey::FromPrivatePem("").ok());
  EXPECT_FALSE(
      RsaKey::FromPrivatePem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
          .ok());
  EXPECT_FALSE(RsaKey::FromPrivatePem(ForeignPrivatePem("EC", 0)).ok());
  EXPECT_FALSE(RsaKey::FromPrivatePem(ForeignPrivatePem("RSA", 1024)).ok());
  EXPECT_FALSE(RsaKey::FromPrivatePem(ForeignPrivatePem("RSA-PSS", 2048)).ok());
}

TEST(RsaKey, RefusesEncryptedPemWithoutPrompting) {
  const std::string plain = TestKey(0).ToPrivatePem().value();
  BIO* in = BIO_new_mem_buf(plain.data(), static_cast<int>(plain.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  BIO* out = BIO_new(BIO_s_mem());
  char password[] = "secret";
  ASSERT_EQ(
      PEM_write_bio_PKCS8PrivateKey(out, pkey, EVP_aes_256_cbc(), password, 6, nullptr, nullptr),
      1);
  char* data = nullptr;
  const std::string encrypted(data, static_cast<size_t>(BIO_get_mem_data(out, &data)));
  BIO_free(in);
  BIO_free(out);
  EVP_PKEY_free(pkey);
  ASSERT_TRUE(encrypted.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  EXPECT_FALSE(RsaKey::FromPrivatePem(encrypted).ok());
}

TEST(RsaKey, JwkRoundTripKeepsNAndE) {
  rapidjson::Document jwk;
  jwk.Parse(TestKey(1).PublicJwkJson("kid-1").c_str());
  ASSERT_TRUE(jwk.IsObject());
  EXPECT_EQ(Member(jwk, "kty"), "RSA");
  EXPECT_EQ(Member(jwk, "use"), "sig");
  EXPECT_EQ(Member(jwk, "alg"), "RS256");
  EXPECT_EQ(Member(jwk, "kid"), "kid-1");
  EXPECT_EQ(Member(jwk, "e"), "AQAB");  // 65537
  EXPECT_EQ(Base64UrlDecode(Member(jwk, "n"))->size(), 256u);

  const RsaKey public_key = RsaKey::FromJwk(Member(jwk, "n"), Member(jwk, "e")).value();
  EXPECT_FALSE(public_key.has_private());
  EXPECT_EQ(public_key.bits(), 2048);
  EXPECT_EQ(public_key.PublicDer(), TestKey(1).PublicDer());
  EXPECT_EQ(public_key.PublicJwkJson("kid-1"), TestKey(1).PublicJwkJson("kid-1"));
  EXPECT_TRUE(public_key.VerifyRs256("m", TestKey(1).SignRs256("m").value()));
  EXPECT_FALSE(public_key.SignRs256("m").ok());
  EXPECT_FALSE(public_key.ToPrivatePem().ok());
}

TEST(RsaKey, JwkRefusesWeakOrBrokenParameters) {
  rapidjson::Document jwk;
  jwk.Parse(TestKey(1).PublicJwkJson("k").c_str());
  const std::string n = Member(jwk, "n");
  const std::string n_bytes = *Base64UrlDecode(n);
  EXPECT_FALSE(RsaKey::FromJwk(Base64UrlEncode(n_bytes.substr(0, 128)), "AQAB").ok());  // 1024 bits
  EXPECT_FALSE(RsaKey::FromJwk(n, "AQAA").ok());  // even exponent
  EXPECT_FALSE(RsaKey::FromJwk(n, "AQ").ok());    // e = 1
  EXPECT_FALSE(RsaKey::FromJwk(n, "").ok());
  EXPECT_FALSE(RsaKey::FromJwk(n, "AQAB=").ok());  // not base64url
  EXPECT_FALSE(RsaKey::FromJwk(n + "+", "AQAB").ok());
  std::string even = n_bytes;
  even.back() = static_cast<char>(even.back() & ~1);
  EXPECT_FALSE(RsaKey::FromJwk(Base64UrlEncode(even), "AQAB").ok());
  EXPECT_FALSE(RsaKey::FromJwk(Base64UrlEncode(std::string(1100, '\xff')), "AQAB").ok());
}

TEST(RsaKey, GenerateRefusesSizesOutOfRange) {
  EXPECT_FALSE(RsaKey::Generate(1024).ok());
  EXPECT_FALSE(RsaKey::Generate(16384).ok());
}

TEST(RsaKey, CopiesAndMovesShareOneKey) {
  RsaKey copy = TestKey(2);
  EXPECT_EQ(copy.PublicDer(), TestKey(2).PublicDer());
  RsaKey moved = std::move(copy);
  EXPECT_TRUE(moved.VerifyRs256("m", TestKey(2).SignRs256("m").value()));
  copy = moved;  // assigning to a moved-from key is allowed
  EXPECT_EQ(copy.PublicDer(), moved.PublicDer());
}

}  // namespace
}  // namespace pcustomer
