#include "pcustomer/auth/token_verifier.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <rapidjson/document.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "pcustomer/auth/test_keys.hpp"
#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

using auth_test::GoodClaims;
using auth_test::kClientId;
using auth_test::kIssuer;
using auth_test::kNow;
using auth_test::RawToken;
using auth_test::SignedWithHeader;
using auth_test::TestKey;

// Public halves only, as a JWKS gives them.
RsaKey PublicOf(const RsaKey& key) {
  rapidjson::Document jwk;
  jwk.Parse(key.PublicJwkJson("").c_str());
  return RsaKey::FromJwk(jwk["n"].GetString(), jwk["e"].GetString()).value();
}

// Serves a fixed key set; a refresh installs `next` (if set) at once, or, when `async`,
// when the test calls CompleteRefreshes.
class FakeKeySource final : public KeySource {
 public:
  explicit FakeKeySource(JwksKeys keys) : keys_(std::make_shared<JwksKeys>(std::move(keys))) {}

  std::shared_ptr<const JwksKeys> Current() override {
    std::lock_guard lock(mutex_);
    return keys_;
  }
  void Refresh(std::function<void()> done) override {
    {
      std::lock_guard lock(mutex_);
      ++refreshes_;
      if (async_) {
        pending_.push_back(std::move(done));
        return;
      }
      if (next_) keys_ = std::make_shared<JwksKeys>(*next_);
    }
    done();
  }

  void SetNext(JwksKeys next) { next_ = std::move(next); }
  void SetAsync() { async_ = true; }
  void CompleteRefreshes() {
    std::vector<std::function<void()>> pending;
    {
      std::lock_guard lock(mutex_);
      if (next_) keys_ = std::make_shared<JwksKeys>(*next_);
      pending.swap(pending_);
    }
    for (auto& done : pending) done();
  }
  int refreshes() const {
    std::lock_guard lock(mutex_);
    return refreshes_;
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const JwksKeys> keys_;
  std::optional<JwksKeys> next_;
  bool async_ = false;
  int refreshes_ = 0;
  std::vector<std::function<void()>> pending_;
};

class TokenVerifierTest : public ::testing::Test {
 protected:
  TokenVerifierTest()
      : source_(std::make_shared<FakeKeySource>(
            JwksKeys{{"kid-0", PublicOf(TestKey(0))}, {"kid-1", PublicOf(TestKey(1))}})) {
    options_.issuer = kIssuer;
    options_.client_id = kClientId;
    options_.now_seconds = [this] { return now_; };
    verifier_ = std::make_unique<TokenVerifier>(source_, options_);
  }

  // The answer of a verification that must complete before Verify returns.
  Result<AccessClaims> VerifyNow(const std::string& token) {
    std::optional<Result<AccessClaims>> answer;
    verifier_->Verify(token, [&](Result<AccessClaims> result) { answer = std::move(result); });
    EXPECT_TRUE(answer.has_value()) << "answered later";
    return answer ? std::move(*answer) : Error::Internal("no answer");
  }

  void ExpectRefused(const std::string& token, std::string_view message) {
    Result<AccessClaims> result = VerifyNow(token);
    ASSERT_FALSE(result.ok()) << token;
    EXPECT_EQ(result.error().code, ErrorCode::kUnauthorized) << token;
    EXPECT_TRUE(result.error().message.starts_with(message))
        << result.error().message << " for " << token;
  }

  static std::string Sign(const AccessClaims& claims, const RsaKey& key = TestKey(0),
                          std::string_view kid = "kid-0") {
    return SignJwt(AccessClaimsJson(claims), key, kid).value();
  }
  static std::string SignPayload(std::string_view payload_json) {
    return SignJwt(payload_json, TestKey(0), "kid-0").value();
  }

  std::shared_ptr<FakeKeySource> source_;
  TokenVerifierOptions options_;
  std::unique_ptr<TokenVerifier> verifier_;
  int64_t now_ = kNow;
};

TEST_F(TokenVerifierTest, AcceptsAGoodTokenAndAnswersItsClaims) {
  AccessClaims claims = GoodClaims();
  claims.groups = {"sales", "marketing"};
  EXPECT_EQ(VerifyNow(Sign(claims)).value(), claims);
  EXPECT_EQ(VerifyNow(Sign(GoodClaims(), TestKey(1), "kid-1")).value(), GoodClaims());
}

// --- Algorithm confusion ---------------------------------------------------------------

TEST_F(TokenVerifierTest, RefusesAlgNoneWithOrWithoutSignature) {
  const std::string payload = AccessClaimsJson(GoodClaims());
  for (const char* header :
       {R"({"alg":"none","typ":"JWT"})", R"({"alg":"none","kid":"kid-0"})",
        R"({"alg":"None","kid":"kid-0"})", R"({"alg":"NONE","kid":"kid-0"})"}) {
    ExpectRefused(RawToken(header, payload, ""), "Token algorithm is not allowed");
    const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
    ExpectRefused(input + ".", "Token algorithm is not allowed");
    ExpectRefused(SignedWithHeader(header, payload, TestKey(0)), "Token algorithm is not allowed");
  }
}

std::string PublicPem(const RsaKey& key) {
  const std::string der = key.PublicDer();
  std::string base64(4 * ((der.size() + 2) / 3) + 1, '\0');
  base64.resize(static_cast<size_t>(EVP_EncodeBlock(
      reinterpret_cast<unsigned char*>(base64.data()),
      reinterpret_cast<const unsigned char*>(der.data()), static_cast<int>(der.size()))));
  std::string pem = "-----BEGIN PUBLIC KEY-----\n";
  for (size_t i = 0; i < base64.size(); i += 64) pem += base64.substr(i, 64) + "\n";
  return pem + "-----END PUBLIC KEY-----\n";
}

TEST_F(TokenVerifierTest, RefusesHs256SignedWithThePublicKeyAsSecret) {
  const std::string payload = AccessClaimsJson(GoodClaims());
  for (const std::string& secret :
       {PublicPem(TestKey(0)), TestKey(0).PublicDer(), TestKey(0).PublicJwkJson("kid-0")}) {
    for (const char* alg : {"HS256", "HS384", "HS512"}) {
      const std::string header = std::string(R"({"alg":")") + alg + R"(","kid":"kid-0"})";
      const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
      ExpectRefused(input + "." + Base64UrlEncode(HmacSha256(secret, input)),
                    "Token algorithm is not allowed");
    }
  }
}

TEST_F(TokenVerifierTest, RefusesEveryAlgorithmButRs256EvenWithAGoodRs256Signature) {
  const std::string payload = AccessClaimsJson(GoodClaims());
  for (const char* alg : {"RS384", "RS512", "PS256", "PS384", "ES256", "EdDSA", "rs256", "RS256 ",
                          " RS256", "RS2560", ""}) {
    const std::string header = std::string(R"({"alg":")") + alg + R"(","kid":"kid-0"})";
    ExpectRefused(SignedWithHeader(header, payload, TestKey(0)), "Token algorithm is not allowed");
  }
  ExpectRefused(
      SignedWithHeader(R"({"alg":"RS256","kid":"kid-0","alg":"RS256"})", payload, TestKey(0)),
      "Token is malformed");
}

TEST_F(TokenVerifierTest, RefusesAHeaderWithoutKid) {
  const std::string payload = AccessClaimsJson(GoodClaims());
  ExpectRefused(SignedWithHeader(R"({"alg":"RS256","typ":"JWT"})", payload, TestKey(0)),
                "Token has no key id");
  ExpectRefused(SignedWithHeader(R"({"alg":"RS256","kid":""})", payload, TestKey(0)),
                "Token has no key id");
  EXPECT_EQ(source_->refreshes(), 0);
}

// --- Keys --------------------------------------------------------------------------------

TEST_F(TokenVerifierTest, RefusesASignatureByAnotherKeyUnderAKnownKid) {
  ExpectRefused(Sign(GoodClaims(), TestKey(2), "kid-0"), "Token signature is invalid");
  ExpectRefused(Sign(GoodClaims(), TestKey(1), "kid-0"), "Token signature is invalid");
  EXPECT_EQ(source_->refreshes(), 0);
}

TEST_F(TokenVerifierTest, UnknownKidRefreshesAtMostOncePerInterval) {
  ExpectRefused(Sign(GoodClaims(), TestKey(2), "kid-2"), "Token was signed by an unknown key");
  EXPECT_EQ(source_->refreshes(), 1);
  now_ += 9;
  ExpectRefused(Sign(GoodClaims(now_), TestKey(2), "kid-3"), "Token was signed by an unknown key");
  EXPECT_EQ(source_->refreshes(), 1);
  now_ += 1;
  ExpectRefused(Sign(GoodClaims(now_), TestKey(2), "kid-4"), "Token was signed by an unknown key");
  EXPECT_EQ(source_->refreshes(), 2);
  EXPECT_EQ(verifier_->stats().refreshes, 2u);
}

TEST_F(TokenVerifierTest, UnknownKidIsAcceptedWhenTheRefreshBringsIt) {
  source_->SetNext({{"kid-0", PublicOf(TestKey(0))}, {"kid-2", PublicOf(TestKey(2))}});
  EXPECT_EQ(VerifyNow(Sign(GoodClaims(), TestKey(2), "kid-2")).value(), GoodClaims());
  EXPECT_EQ(source_->refreshes(), 1);
  // kid-1 left the key set with that refresh.
  ExpectRefused(Sign(GoodClaims(), TestKey(1), "kid-1"), "Token was signed by an unknown key");
}

TEST_F(TokenVerifierTest, TokensWaitingForOneRefreshAllAnswerWhenItCompletes) {
  source_->SetAsync();
  source_->SetNext({{"kid-2", PublicOf(TestKey(2))}});
  std::vector<Result<AccessClaims>> answers;
  auto collect = [&](Result<AccessClaims> result) { answers.push_back(std::move(result)); };
  verifier_->Verify(Sign(GoodClaims(), TestKey(2), "kid-2"), collect);
  AccessClaims other = GoodClaims();
  other.username = "minh.tran";
  verifier_->Verify(Sign(other, TestKey(2), "kid-2"), collect);
  verifier_->Verify(Sign(GoodClaims(), TestKey(0), "kid-9"), collect);
  EXPECT_TRUE(answers.empty());
  EXPECT_EQ(source_->refreshes(), 1);

  source_->CompleteRefreshes();
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].value().username, "lan.nguyen");
  EXPECT_EQ(answers[1].value().username, "minh.tran");
  EXPECT_EQ(answers[2].error().message, "Token was signed by an unknown key");
  EXPECT_EQ(source_->refreshes(), 1);  // the retry does not refresh again
}

TEST_F(TokenVerifierTest, PendingVerificationsAnswerEvenAfterTheVerifierIsGone) {
  source_->SetAsync();
  std::optional<Result<AccessClaims>> answer;
  verifier_->Verify(Sign(GoodClaims(), TestKey(2), "kid-2"),
                    [&](Result<AccessClaims> result) { answer = std::move(result); });
  verifier_.reset();
  source_->CompleteRefreshes();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->error().code, ErrorCode::kUnauthorized);
}

// --- Claims ------------------------------------------------------------------------------

TEST_F(TokenVerifierTest, ExpiryAllowsTheLeewayAndNoMore) {
  AccessClaims claims = GoodClaims(now_ - 7200);
  claims.exp = now_ - 61;
  ExpectRefused(Sign(claims), "Token has expired");
  claims.exp = now_ - 60;
  ExpectRefused(Sign(claims), "Token has expired");
  claims.exp = now_ - 59;
  EXPECT_TRUE(VerifyNow(Sign(claims)).ok());

  options_.leeway_seconds = 0;
  verifier_ = std::make_unique<TokenVerifier>(source_, options_);
  claims.exp = now_;
  ExpectRefused(Sign(claims), "Token has expired");
  claims.exp = now_ + 1;
  EXPECT_TRUE(VerifyNow(Sign(claims)).ok());
}

TEST_F(TokenVerifierTest, NotBeforeAndIssueTimeMayNotBeInTheFuture) {
  AccessClaims claims = GoodClaims();
  claims.nbf = now_ + 61;
  ExpectRefused(Sign(claims), "Token is not yet valid");
  claims.nbf = now_ + 60;
  EXPECT_TRUE(VerifyNow(Sign(claims)).ok());
  claims = GoodClaims(now_ + 61);
  ExpectRefused(Sign(claims), "Token was issued in the future");
  claims = GoodClaims(now_ + 60);
  EXPECT_TRUE(VerifyNow(Sign(claims)).ok());
}

TEST_F(TokenVerifierTest, RequiresExpAndIat) {
  ExpectRefused(
      SignPayload(R"({"iss":")" + std::string(kIssuer) + R"(","token_use":"access","client_id":")" +
                  kClientId + R"(","iat":1800000000})"),
      "Token has no expiry");
  ExpectRefused(
      SignPayload(R"({"iss":")" + std::string(kIssuer) + R"(","token_use":"access","client_id":")" +
                  kClientId + R"(","exp":1800000100})"),
      "Token has no issue time");
}

TEST_F(TokenVerifierTest, RefusesAnotherIssuer) {
  for (std::string iss :
       {std::string(kIssuer) + "/", std::string(kIssuer).substr(1),
        std::string("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Evil"), std::string()}) {
    AccessClaims claims = GoodClaims();
    claims.iss = iss;
    ExpectRefused(Sign(claims), "Token was issued by another issuer");
  }
}

TEST_F(TokenVerifierTest, RefusesAnotherClient) {
  AccessClaims claims = GoodClaims();
  claims.client_id = "another-app-client";
  ExpectRefused(Sign(claims), "Token was issued for another client");
  claims.client_id = "";
  ExpectRefused(Sign(claims), "Token was issued for another client");
}

TEST_F(TokenVerifierTest, RefusesAnIdToken) {
  // An id token carries aud instead of client_id, and token_use "id".
  const std::string id_token = SignPayload(
      R"({"iss":")" + std::string(kIssuer) + R"(","sub":"s","aud":")" + kClientId +
      R"(","token_use":"id","cognito:username":"lan.nguyen","iat":1800000000,"exp":1800003600})");
  ExpectRefused(id_token, "Token is not an access token");
  AccessClaims claims = GoodClaims();
  claims.token_use = "";
  ExpectRefused(Sign(claims), "Token is not an access token");
}

TEST_F(TokenVerifierTest, RefusesClaimsOfTheWrongType) {
  const std::string good = AccessClaimsJson(GoodClaims());
  auto with = [&](std::string_view from, std::string_view to) {
    std::string payload = good;
    payload.replace(payload.find(from), from.size(), to);
    return SignPayload(payload);
  };
  ExpectRefused(with("\"exp\":1800003600", "\"exp\":\"1800003600\""), "Token is malformed");
  ExpectRefused(with("\"iat\":1800000000", "\"iat\":1.8e9"), "Token is malformed");
  ExpectRefused(with("\"cognito:groups\":[\"sales\"]", "\"cognito:groups\":\"sales\""),
                "Token is malformed");
  ExpectRefused(with("\"token_use\":\"access\"", "\"token_use\":[\"access\"]"),
                "Token is malformed");
}

// --- Tampering and garbage ---------------------------------------------------------------

TEST_F(TokenVerifierTest, RefusesATamperedPayload) {
  const std::string token = Sign(GoodClaims());
  const size_t first = token.find('.');
  const size_t second = token.rfind('.');
  AccessClaims escalated = GoodClaims();
  escalated.role = "admin";
  const std::string forged = token.substr(0, first + 1) +
                             Base64UrlEncode(AccessClaimsJson(escalated)) + token.substr(second);
  ExpectRefused(forged, "Token signature is invalid");
}

TEST_F(TokenVerifierTest, RefusesTruncatedTokens) {
  const std::string token = Sign(GoodClaims());
  for (size_t length : {token.size() - 1, token.size() - 4, token.rfind('.') + 1, token.rfind('.'),
                        token.find('.') + 1, size_t{10}, size_t{0}}) {
    Result<AccessClaims> result = VerifyNow(token.substr(0, length));
    ASSERT_FALSE(result.ok()) << length;
    EXPECT_EQ(result.error().code, ErrorCode::kUnauthorized);
  }
}

TEST_F(TokenVerifierTest, RefusesAHugeTokenAtOnce) {
  const std::string token = Sign(GoodClaims());
  ExpectRefused(token + std::string(100 * 1024, 'A'), "Token is too long");
  ExpectRefused(std::string(100 * 1024, 'A'), "Token is too long");
  EXPECT_EQ(verifier_->stats().signature_checks, 0u);
}

TEST_F(TokenVerifierTest, RefusesPartsThatAreNotBase64Url) {
  const std::string token = Sign(GoodClaims());
  const size_t first = token.find('.');
  const size_t second = token.rfind('.');
  ExpectRefused("!" + token.substr(1), "Token is malformed");
  ExpectRefused(token.substr(0, first + 1) + "%%" + token.substr(first + 3), "Token is malformed");
  ExpectRefused(token + "==", "Token is malformed");
  std::string standard = token;  // standard base64 instead of the URL alphabet
  for (size_t i = second; i < standard.size(); ++i) {
    if (standard[i] == '-') standard[i] = '+';
    if (standard[i] == '_') standard[i] = '/';
  }
  if (standard != token) ExpectRefused(standard, "Token is malformed");
  ExpectRefused("a.b.c", "Token is malformed");
  ExpectRefused("Bearer " + token, "Token is malformed");
}

TEST_F(TokenVerifierTest, RefusesHeaderOrPayloadThatIsNotAnObject) {
  const std::string payload = AccessClaimsJson(GoodClaims());
  for (const char* header : {"[]", "\"RS256\"", "null", "{", ""}) {
    ExpectRefused(SignedWithHeader(header, payload, TestKey(0)), "Token is malformed");
  }
  for (const char* body : {"[]", "1800000000", "{\"exp\":", ""}) {
    ExpectRefused(SignedWithHeader(R"({"alg":"RS256","kid":"kid-0"})", body, TestKey(0)),
                  "Token is malformed");
  }
}

TEST_F(TokenVerifierTest, EveryMutationOfAGoodTokenIsRefusedAsUnauthorized) {
  const std::string token = Sign(GoodClaims());
  const std::string alphabet = "ABCxyz019-_.+/=\"{} \n\x00\xff";
  std::mt19937 random(20260124);
  for (int i = 0; i < 2000; ++i) {
    std::string mutated = token;
    const size_t at = random() % mutated.size();
    switch (random() % 3) {
      case 0:
        mutated[at] = alphabet[random() % alphabet.size()];
        break;
      case 1:
        mutated.erase(at, 1 + random() % 8);
        break;
      default:
        mutated.insert(at, 1, alphabet[random() % alphabet.size()]);
        break;
    }
    Result<AccessClaims> result = VerifyNow(mutated);
    if (mutated == token) continue;
    ASSERT_FALSE(result.ok()) << mutated;
    ASSERT_EQ(result.error().code, ErrorCode::kUnauthorized) << mutated;
  }
}

// --- Cache -------------------------------------------------------------------------------

TEST_F(TokenVerifierTest, SecondVerificationOfATokenSkipsRsa) {
  const std::string token = Sign(GoodClaims());
  const AccessClaims first = VerifyNow(token).value();
  EXPECT_EQ(VerifyNow(token).value(), first);
  EXPECT_EQ(VerifyNow(token).value(), first);
  EXPECT_EQ(verifier_->stats().signature_checks, 1u);
  EXPECT_EQ(verifier_->stats().cache_hits, 2u);
}

TEST_F(TokenVerifierTest, CachedTokenStillExpires) {
  const std::string token = Sign(GoodClaims());
  ASSERT_TRUE(VerifyNow(token).ok());
  now_ = GoodClaims().exp + 59;
  EXPECT_TRUE(VerifyNow(token).ok());
  now_ = GoodClaims().exp + 60;
  ExpectRefused(token, "Token has expired");
  EXPECT_EQ(verifier_->stats().signature_checks, 1u);
}

TEST_F(TokenVerifierTest, RefusedTokensAreNotCached) {
  const std::string forged = Sign(GoodClaims(), TestKey(2), "kid-0");
  ExpectRefused(forged, "Token signature is invalid");
  ExpectRefused(forged, "Token signature is invalid");
  EXPECT_EQ(verifier_->stats().cache_hits, 0u);
  EXPECT_EQ(verifier_->stats().signature_checks, 2u);
}

TEST_F(TokenVerifierTest, ConcurrentVerificationsAgree) {
  std::vector<std::string> tokens;
  for (int i = 0; i < 8; ++i) {
    AccessClaims claims = GoodClaims();
    claims.jti = std::to_string(i);
    tokens.push_back(Sign(claims));
  }
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        verifier_->Verify(tokens[static_cast<size_t>(i) % tokens.size()],
                          [&](Result<AccessClaims> result) { accepted += result.ok() ? 1 : 0; });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), 800);
  EXPECT_LE(verifier_->stats().signature_checks, 8u * 4u);
}

}  // namespace
}  // namespace pcustomer
