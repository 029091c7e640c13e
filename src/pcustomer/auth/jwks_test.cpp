#include "pcustomer/auth/jwks.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "pcustomer/auth/test_keys.hpp"

namespace pcustomer {
namespace {

using auth_test::TestKey;

// A JWK object: `members` then the n and e of `key`.
std::string Jwk(const std::string& members, const RsaKey& key) {
  rapidjson::Document jwk;
  jwk.Parse(key.PublicJwkJson("").c_str());
  return "{" + members + R"(,"n":")" + jwk["n"].GetString() + R"(","e":")" + jwk["e"].GetString() +
         "\"}";
}

TEST(Jwks, PublishedDocumentParsesBack) {
  const std::string json = JwksJson({{"a", TestKey(0)}, {"b", TestKey(1)}});
  const JwksKeys keys = ParseJwks(json).value();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys.at("a").PublicDer(), TestKey(0).PublicDer());
  EXPECT_EQ(keys.at("b").PublicDer(), TestKey(1).PublicDer());
}

TEST(Jwks, SkipsKeysThatCannotVerifyRs256) {
  const std::string json =
      std::string(R"({"keys":[)") +
      Jwk(R"("kty":"RSA","use":"sig","alg":"RS256","kid":"good")", TestKey(0)) + "," +
      R"({"kty":"EC","crv":"P-256","kid":"ec","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},)" +
      R"({"kty":"oct","kid":"hmac","k":"c2VjcmV0"},)" +
      Jwk(R"("kty":"RSA","use":"enc","kid":"enc")", TestKey(1)) + "," +
      Jwk(R"("kty":"RSA","alg":"RS512","kid":"rs512")", TestKey(1)) + "," +
      Jwk(R"("kty":"RSA","alg":"PS256","kid":"ps256")", TestKey(1)) + "," +
      R"({"kty":"RSA","kid":"small","n":"sXch","e":"AQAB"},)" +
      Jwk(R"("kty":"RSA","kid":7)", TestKey(1)) + "," +
      Jwk(R"("kty":"RSA","use":"sig")", TestKey(1)) + "," +               // no kid
      Jwk(R"("kty":"RSA","use":"sig","kid":"good")", TestKey(2)) + "," +  // first wins
      R"("not an object",)" +
      Jwk(R"("kty":"RSA","kid":"bare")", TestKey(2)) +  // use and alg are optional
      "]}";
  const JwksKeys keys = ParseJwks(json).value();
  ASSERT_EQ(keys.size(), 2u) << json;
  EXPECT_EQ(keys.at("good").PublicDer(), TestKey(0).PublicDer());
  EXPECT_EQ(keys.at("bare").PublicDer(), TestKey(2).PublicDer());
}

TEST(Jwks, MalformedDocumentIsUnavailableNotEmpty) {
  for (const char* json : {"", "[]", "{}", R"({"keys":{}})", "{\"keys\":[]", "null"}) {
    Result<JwksKeys> keys = ParseJwks(json);
    ASSERT_FALSE(keys.ok()) << json;
    EXPECT_EQ(keys.error().code, ErrorCode::kUnavailable) << json;
  }
  EXPECT_TRUE(ParseJwks(R"({"keys":[]})").value().empty());
  EXPECT_FALSE(ParseJwks(R"({"keys":[],"pad":")" + std::string(kMaxJwksBytes, 'x') + "\"}").ok());
}

}  // namespace
}  // namespace pcustomer
