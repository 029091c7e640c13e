// Access tokens: ParseJwt and TokenVerifier::Verify on anything a client can send as a bearer
// token, and ParseJwks on anything an issuer's JWKS endpoint can answer.
// fuzz-link: pc_auth
//
// The first input byte picks what the rest is:
//   0: a compact token, verified against a fixed key (seeds signed with it get past the
//      signature check);
//   1: "<header JSON>\n<payload JSON>", signed here with that key, so that the checks after
//      the signature (alg, kid, claims, times) see arbitrary JSON;
//   2: a JWKS document.

#include "pcustomer/auth/jwt.hpp"

#include <string>

#include "fuzz_support.hpp"
#include "pcustomer/auth/jwks.hpp"
#include "pcustomer/auth/key_source.hpp"
#include "pcustomer/auth/token_verifier.hpp"
#include "pcustomer/util/encoding.hpp"

namespace {

// A fixed key, unlike auth/test_keys.hpp's generated ones: a seed token signed with it still
// verifies in the next run. It signs nothing outside this fuzzer.
constexpr char kTestKeyPem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCidltAQO4gAzUx\n"
    "1jl4c2ysNDUdfOmN9nBMDE0BbJT8H8lQd6G7OduPY39c8MnU7O914Xr1KXfvNfLb\n"
    "IH1lGZV4+IxCGc9u+VNtm9KUBKJm4vISqcCtY9eX40zpRtMfmFJjzbHPcLGKXvYW\n"
    "k0g/y6m0Jibtm3tZdiXY89SYRXNxPVrRyMDETHaSgNbfwI4Q1mx2GqrGez6gY1np\n"
    "GxXjM/gJwS30XPbRsOnRQhMnYpcHmbduU4/3DQkgFwUDkbXYIh4L3HYmNxmhEo/S\n"
    "iB+dfnsI11pZIZc7adl1wHngwzZnAHtM0k3oJSVrF/xbvvIzw328seL6Jt7+8mOi\n"
    "3nJ2qqTLAgMBAAECggEAGw3NlU4auV7/YTy01k+WVbjd7XqrI/ZZbfiQbD/KMZAT\n"
    "hKBfYN+6Jc8iWvZIDfqkx8MUKDZPIBkiR4ZKC2duwjXVmX5V0juXvoV31ClPaAW7\n"
    "3QrCqL0bHlJ+MMyYBMdnVPJgfVRdZFb68Ph2zBTcvkCqM+Az8spfdBjqmq7aEg2q\n"
    "s3XN1wanMd78ioeGTEKKAUBYTWsudtdpGkB0ZP76/pab6XdFBE4xOa/7ZcT86qqs\n"
    "w73plYw7isQfIDoxoGnHMLdySpDLON33P/eEHfnmuMb9yXVG7WxX+b96hd1M9yOu\n"
    "dggJd9V7Y48ny3PYCvEmmHSGs2DMJ4q2UrlPsk+kJQKBgQDkNZILrMfpEtMKyRve\n"
    "c8QLOsVH0J10j3CEbnEP2Vo8M185AOM2/ipCFeYb2CBP3prcZJLm86j5DiMjuwIs\n"
    "b8Idz20Iv13EMexaSbtB9dYp3uh0U5mMB0ze0IFjaInF5mSBWPCla0c7Y5LhshXp\n"
    "WEmqEdm//auo4iO/E+pqdOKpdQKBgQC2Px+tV99rskWUOYvKTRktGmQ10pZOaT6O\n"
    "FVnp8xyZQoqSrOl/8FmX3awYA8a/gOwycQfJVpMIn1xHXGXhVZ+LRFZN9QVeKw9z\n"
    "8ZzJ0nFmLWBcAy8nyw3H/NAtBAKHufVqkMxh63r6b8w90pD9uF4ffX+qCxJbY8ew\n"
    "3/uiHigNPwKBgQCExxKBTndGCdjWtqpLZMnUys4L+boTHn4V33hTA2B4FF+79+M7\n"
    "lOgbaUhoPPiX3+n0f2PlkjFnLy2M1XrvRdsIoy5KX6V7yJw+8BVOzG1eET7op9d3\n"
    "3KuCHIibwTAf/+vMQmZJqMBaMpY8UPRkvySlGhu6lCpzaZfozfqfFADpHQKBgFER\n"
    "AyY4UEm3ovusHWJ/qRNHCgxnADUg25KYLMbEPZRu5PUZtUQTxcan9EU6aM4GqwpE\n"
    "/RGyUPUk7gdQMoFpdO6eF0XWF+0relQ4xWWBFrA8vwAu6mrpB9hNvMxJXFbDgUdF\n"
    "4aQs+ycrU86sO5Kg0D1xtbgN9LxyRgGHoIccovRBAoGBAL83j5wpX2ANIfN/Euwv\n"
    "R9bKTfI8c2G3bjSKtMtINw9pulUeruMB9URYO3DVrSvJBxkI1UKPHZFOkgoaOnw+\n"
    "QpF8w/PXqAtz0PhaV+qqv/7Nhyf+rkzVlj51h7zxHvJF85uDz/12XQZVuuoYpeJZ\n"
    "/3qhRxFuMQDZizWNV4idxSCg\n"
    "-----END PRIVATE KEY-----\n";
constexpr char kKid[] = "fuzz-key";
constexpr int64_t kNow = 1'800'000'000;
constexpr int64_t kLeeway = 60;
constexpr char kIssuer[] = "https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_Test";
constexpr char kClientId[] = "3n4b5urk1ft4fl3mg5e62d9ado";

const pcustomer::RsaKey& TestKey() {
  static const pcustomer::RsaKey key = pcustomer::RsaKey::FromPrivatePem(kTestKeyPem).value();
  return key;
}

// The test key under kid "fuzz-key"; a refresh finds nothing new and ends at once.
class FixedKeySource final : public pcustomer::KeySource {
 public:
  std::shared_ptr<const pcustomer::JwksKeys> Current() override { return keys_; }
  void Refresh(std::function<void()> done) override { done(); }

 private:
  std::shared_ptr<const pcustomer::JwksKeys> keys_ =
      std::make_shared<pcustomer::JwksKeys>(pcustomer::JwksKeys{{kKid, TestKey()}});
};

void CheckParse(std::string_view token) {
  auto parsed = pcustomer::ParseJwt(token);
  if (!parsed) {
    FUZZ_CHECK(parsed.error().code == pcustomer::ErrorCode::kUnauthorized);
    return;
  }
  FUZZ_CHECK(token.size() <= pcustomer::kMaxJwtBytes);
  // What the signature covers is the received text up to the second dot, byte for byte.
  FUZZ_CHECK(token.substr(0, parsed->signing_input.size()) == parsed->signing_input);
  FUZZ_CHECK(token.size() > parsed->signing_input.size() &&
             token[parsed->signing_input.size()] == '.');
}

// Verification answers once, before returning (no refresh is ever pending here), with either
// a 401 or claims that meet every documented condition.
void CheckVerify(std::string_view token) {
  // A fresh verifier per input, so that no cached verdict carries over from an earlier one.
  pcustomer::TokenVerifierOptions options;
  options.issuer = kIssuer;
  options.client_id = kClientId;
  options.leeway_seconds = kLeeway;
  options.cache_capacity = 16;
  options.now_seconds = [] { return kNow; };
  pcustomer::TokenVerifier verifier(std::make_shared<FixedKeySource>(), options);

  int answers = 0;
  verifier.Verify(token, [&](pcustomer::Result<pcustomer::AccessClaims> claims) {
    ++answers;
    if (!claims) {
      FUZZ_CHECK(claims.error().code == pcustomer::ErrorCode::kUnauthorized);
      FUZZ_CHECK(!claims.error().message.empty());
      return;
    }
    auto parsed = pcustomer::ParseJwt(token);
    FUZZ_CHECK(parsed.ok());
    FUZZ_CHECK(parsed->header.alg == "RS256" && parsed->header.kid == kKid);
    FUZZ_CHECK(claims->iss == kIssuer && claims->client_id == kClientId);
    FUZZ_CHECK(claims->token_use == "access");
    FUZZ_CHECK(kNow - kLeeway < claims->exp && claims->iat <= kNow + kLeeway);
    if (claims->nbf) FUZZ_CHECK(*claims->nbf <= kNow + kLeeway);
  });
  FUZZ_CHECK(answers == 1);
}

void CheckJwks(std::string_view json) {
  auto keys = pcustomer::ParseJwks(json);
  if (!keys) {
    FUZZ_CHECK(keys.error().code == pcustomer::ErrorCode::kUnavailable);
    return;
  }
  FUZZ_CHECK(keys->size() <= pcustomer::kMaxJwksKeys);
  for (const auto& [kid, key] : *keys) {
    FUZZ_CHECK(!key.has_private());
    FUZZ_CHECK(key.bits() >= pcustomer::kMinRsaBits && key.bits() <= pcustomer::kMaxRsaBits);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest = pcustomer::fuzz::AsText(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      CheckParse(rest);
      CheckVerify(rest);
      break;
    case 1: {
      const size_t newline = rest.find('\n');
      if (newline == std::string_view::npos) return 0;
      const std::string input = pcustomer::Base64UrlEncode(rest.substr(0, newline)) + "." +
                                pcustomer::Base64UrlEncode(rest.substr(newline + 1));
      auto signature = TestKey().SignRs256(input);
      FUZZ_CHECK(signature.ok());
      const std::string token = input + "." + pcustomer::Base64UrlEncode(*signature);
      CheckParse(token);
      CheckVerify(token);
      break;
    }
    case 2:
      CheckJwks(rest);
      break;
  }
  return 0;
}
