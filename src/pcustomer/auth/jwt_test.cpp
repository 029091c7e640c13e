#include "pcustomer/auth/jwt.hpp"

#include <gtest/gtest.h>

#include <string>

#include "pcustomer/auth/test_keys.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

using auth_test::GoodClaims;
using auth_test::RawToken;
using auth_test::TestKey;

constexpr char kHeader[] = R"({"alg":"RS256","kid":"k1"})";

void ExpectMalformed(const std::string& token) {
  Result<ParsedJwt> parsed = ParseJwt(token);
  ASSERT_FALSE(parsed.ok()) << token;
  EXPECT_EQ(parsed.error().code, ErrorCode::kUnauthorized) << token;
}

TEST(Jwt, SignedTokenParsesBackToItsClaims) {
  AccessClaims claims = GoodClaims();
  claims.groups = {"sales", "marketing"};
  claims.nbf = claims.iat;
  const std::string token = SignJwt(AccessClaimsJson(claims), TestKey(0), "kid-0").value();

  const ParsedJwt parsed = ParseJwt(token).value();
  EXPECT_EQ(parsed.header.alg, "RS256");
  EXPECT_EQ(parsed.header.kid, "kid-0");
  EXPECT_EQ(parsed.header.typ, "JWT");
  EXPECT_EQ(parsed.claims, claims);
  EXPECT_EQ(parsed.signing_input, token.substr(0, token.rfind('.')));
  EXPECT_TRUE(TestKey(0).VerifyRs256(parsed.signing_input, parsed.signature));
}

TEST(Jwt, AbsentClaimsReadAsEmpty) {
  const ParsedJwt parsed = ParseJwt(RawToken(R"({"alg":"none"})", "{}", "")).value();
  EXPECT_EQ(parsed.header.alg, "none");
  EXPECT_EQ(parsed.header.kid, "");
  EXPECT_EQ(parsed.claims, AccessClaims{});
  EXPECT_EQ(parsed.signature, "");
}

TEST(Jwt, ClaimsOfTheWrongTypeAreErrors) {
  ExpectMalformed(RawToken(kHeader, R"({"exp":"1800000000"})", "s"));
  ExpectMalformed(RawToken(kHeader, R"({"exp":1.8e9})", "s"));
  ExpectMalformed(RawToken(kHeader, R"({"iat":1800000000.5})", "s"));
  ExpectMalformed(RawToken(kHeader, R"({"nbf":null})", "s"));
  ExpectMalformed(RawToken(kHeader, R"({"exp":18446744073709551615})", "s"));
  ExpectMalformed(RawToken(kHeader, R"({"sub":42})", "s"));
  ExpectMalformed(RawToken(kHeader, R"({"custom:role":["admin"]})", "s"));
  ExpectMalformed(RawToken(kHeader, R"({"cognito:groups":"sales"})", "s"));
  ExpectMalformed(RawToken(kHeader, R"({"cognito:groups":["sales",1]})", "s"));
  ExpectMalformed(RawToken(R"({"alg":"RS256","kid":7})", "{}", "s"));
  ExpectMalformed(RawToken(R"({"alg":null})", "{}", "s"));
  ExpectMalformed(RawToken(R"({"kid":"k1"})", "{}", "s"));
}

TEST(Jwt, RepeatedMembersAndCriticalExtensionsAreErrors) {
  ExpectMalformed(RawToken(kHeader, R"({"exp":1,"exp":2})", "s"));
  ExpectMalformed(RawToken(R"({"alg":"RS256","alg":"none"})", "{}", "s"));
  ExpectMalformed(RawToken(R"({"alg":"RS256","crit":["b64"],"b64":false})", "{}", "s"));
}

TEST(Jwt, StructureMustBeThreeBase64UrlPartsOfJsonObjects) {
  const std::string good = RawToken(kHeader, "{}", "sig");
  ASSERT_TRUE(ParseJwt(good).ok());
  ExpectMalformed("");
  ExpectMalformed(".");
  ExpectMalformed("..");
  ExpectMalformed(good.substr(0, good.rfind('.')));  // two parts
  ExpectMalformed(good + ".");                       // four parts
  ExpectMalformed(good + ".x");
  ExpectMalformed("*" + good);  // not base64url
  ExpectMalformed(good + "=");  // padding is not base64url
  ExpectMalformed(RawToken(kHeader, "{}", "") + "+/");
  ExpectMalformed(RawToken("[]", "{}", "s"));
  ExpectMalformed(RawToken(kHeader, "[]", "s"));
  ExpectMalformed(RawToken(kHeader, R"("text")", "s"));
  ExpectMalformed(RawToken(kHeader, "{", "s"));
  ExpectMalformed(RawToken(kHeader, "{} {}", "s"));
  ExpectMalformed(RawToken(kHeader, "", "s"));
  ExpectMalformed(RawToken(kHeader, "{\"sub\":\"\xff\"}", "s"));  // not UTF-8
  ExpectMalformed(RawToken(kHeader, std::string(5000, '['), "s"));
}

TEST(Jwt, LengthIsCappedBeforeDecoding) {
  const std::string prefix = Base64UrlEncode(kHeader) + "." + Base64UrlEncode("{}") + ".";
  std::string at_limit = prefix + std::string(kMaxJwtBytes - prefix.size(), 'A');
  EXPECT_TRUE(ParseJwt(at_limit).ok() || ParseJwt(at_limit).error().message != "Token is too long");
  Result<ParsedJwt> over = ParseJwt(at_limit + "AAAA");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(over.error().message, "Token is too long");
  EXPECT_EQ(ParseJwt(std::string(100 * 1024, '.')).error().message, "Token is too long");
}

TEST(Jwt, SignJwtRefusesAPayloadThatIsNotAnObject) {
  EXPECT_FALSE(SignJwt("[1]", TestKey(0), "k").ok());
  EXPECT_FALSE(SignJwt("", TestKey(0), "k").ok());
}

TEST(Jwt, KidIsEscapedInTheHeader) {
  const std::string token = SignJwt("{}", TestKey(0), "a\"b").value();
  EXPECT_EQ(ParseJwt(token).value().header.kid, "a\"b");
}

}  // namespace
}  // namespace pcustomer
