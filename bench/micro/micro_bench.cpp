// Micro-benchmarks of the per-request work that is ours, each beside a baseline that does the
// part a library does anyway, measured in the same run: these machines are too noisy for
// absolute figures to compare across runs. bench/micro/run prints every benchmark as a ratio
// to its family's baseline (the benchmark named "<family>/baseline").
//
//   json       RapidJSON parsing a create body  vs  our decoder + the four field rules
//   encode     RapidJSON writing a customer     vs  CustomerEnvelope
//   cursor     one HMAC-SHA256 of the payload   vs  CursorCodec::Encode / Decode
//   token      one RS256 signature check        vs  TokenVerifier::Verify, first and cached

#include <benchmark/benchmark.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "pcustomer/api/cursor.hpp"
#include "pcustomer/api/customer_json.hpp"
#include "pcustomer/api/sent_body.hpp"
#include "pcustomer/auth/jwt.hpp"
#include "pcustomer/auth/key_source.hpp"
#include "pcustomer/auth/rsa_key.hpp"
#include "pcustomer/auth/token_verifier.hpp"
#include "pcustomer/util/crypto.hpp"
#include "pcustomer/validation/customer_validation.hpp"

namespace pcustomer {
namespace {

// A body as the page sends it: Vietnamese name with marks, a phone in another format.
constexpr std::string_view kCreateBody =
    R"({"fullName":"Đặng Thị Thu Thảo","phone":"+84 912 345 678","age":34,"productCode":"home_loan"})";

Customer SampleCustomer() {
  return Customer{.id = "CUSTOMER#1764547200015000042",
                  .full_name = "Đặng Thị Thu Thảo",
                  .phone = "0912345678",
                  .age = 34,
                  .product_code = "home_loan",
                  .create_at = "2026-12-01T00:00:00.015Z"};
}

void JsonBaseline(benchmark::State& state) {
  for (auto _ : state) {
    rapidjson::Document document;
    document.Parse<rapidjson::kParseValidateEncodingFlag>(kCreateBody.data(), kCreateBody.size());
    benchmark::DoNotOptimize(document.IsObject());
  }
}
BENCHMARK(JsonBaseline)->Name("json/baseline");

void JsonDecodeAndValidate(benchmark::State& state) {
  for (auto _ : state) {
    Result<SentBody> body = ReadSentBody(kCreateBody);
    Result<NewCustomer> customer = ValidateNewCustomer(*body);
    if (!customer.ok()) state.SkipWithError("the sample body was refused");
    benchmark::DoNotOptimize(customer);
  }
}
BENCHMARK(JsonDecodeAndValidate)->Name("json/decode_and_validate");

void EncodeBaseline(benchmark::State& state) {
  const Customer customer = SampleCustomer();
  for (auto _ : state) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("data");
    writer.StartObject();
    writer.Key("id");
    writer.String(customer.id.c_str(), static_cast<rapidjson::SizeType>(customer.id.size()));
    writer.Key("fullName");
    writer.String(customer.full_name.c_str(),
                  static_cast<rapidjson::SizeType>(customer.full_name.size()));
    writer.Key("phone");
    writer.String(customer.phone.c_str(), static_cast<rapidjson::SizeType>(customer.phone.size()));
    writer.Key("age");
    writer.Int(customer.age);
    writer.Key("productCode");
    writer.String(customer.product_code.c_str(),
                  static_cast<rapidjson::SizeType>(customer.product_code.size()));
    writer.Key("createAt");
    writer.String(customer.create_at.c_str(),
                  static_cast<rapidjson::SizeType>(customer.create_at.size()));
    writer.EndObject();
    writer.EndObject();
    benchmark::DoNotOptimize(buffer.GetString());
  }
}
BENCHMARK(EncodeBaseline)->Name("encode/baseline");

void EncodeCustomer(benchmark::State& state) {
  const Customer customer = SampleCustomer();
  for (auto _ : state) benchmark::DoNotOptimize(CustomerEnvelope(customer));
}
BENCHMARK(EncodeCustomer)->Name("encode/customer_envelope");

const std::string kCursorKey(32, 'k');

void CursorBaseline(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(HmacSha256(kCursorKey, "1:CUSTOMER#1764547200015000042"));
}
BENCHMARK(CursorBaseline)->Name("cursor/baseline");

void CursorEncode(benchmark::State& state) {
  const CursorCodec codec(kCursorKey);
  for (auto _ : state) benchmark::DoNotOptimize(codec.Encode("CUSTOMER#1764547200015000042"));
}
BENCHMARK(CursorEncode)->Name("cursor/encode");

void CursorDecode(benchmark::State& state) {
  const CursorCodec codec(kCursorKey);
  const std::string cursor = codec.Encode("CUSTOMER#1764547200015000042");
  for (auto _ : state) {
    Result<std::string> id = codec.Decode(cursor);
    if (!id.ok()) state.SkipWithError("the cursor was refused");
    benchmark::DoNotOptimize(id);
  }
}
BENCHMARK(CursorDecode)->Name("cursor/decode");

// One fixed key, known from the start: the verifier never refreshes.
class FixedKeySource final : public KeySource {
 public:
  explicit FixedKeySource(JwksKeys keys)
      : keys_(std::make_shared<const JwksKeys>(std::move(keys))) {}
  std::shared_ptr<const JwksKeys> Current() override { return keys_; }
  void Refresh(std::function<void()> done) override { done(); }

 private:
  std::shared_ptr<const JwksKeys> keys_;
};

constexpr char kIssuer[] = "https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_Bench";
constexpr char kClientId[] = "benchclient";
constexpr int64_t kNow = 1'800'000'000;

struct TokenFixture {
  RsaKey key = RsaKey::Generate().value();
  std::string token;
  TokenFixture() {
    AccessClaims claims{.iss = kIssuer,
                        .sub = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
                        .username = "lan.nguyen",
                        .client_id = kClientId,
                        .token_use = "access",
                        .role = "employee",
                        .groups = {"sales"},
                        .jti = "f0e1d2c3",
                        .iat = kNow,
                        .exp = kNow + 3600};
    token = SignJwt(AccessClaimsJson(claims), key, "bench").value();
  }
  std::unique_ptr<TokenVerifier> Verifier() const {
    JwksKeys keys;
    keys.emplace("bench", key);
    return std::make_unique<TokenVerifier>(
        std::make_shared<FixedKeySource>(std::move(keys)),
        TokenVerifierOptions{
            .issuer = kIssuer, .client_id = kClientId, .now_seconds = [] { return kNow; }});
  }
};

const TokenFixture& Tokens() {
  static const TokenFixture fixture;
  return fixture;
}

void TokenBaseline(benchmark::State& state) {
  Result<ParsedJwt> parsed = ParseJwt(Tokens().token);
  for (auto _ : state) {
    benchmark::DoNotOptimize(Tokens().key.VerifyRs256(parsed->signing_input, parsed->signature));
  }
}
BENCHMARK(TokenBaseline)->Name("token/baseline");

// A verifier that has never seen the token: parsing, the claims' checks and the signature.
// Each iteration gets a fresh verifier, made while the clock is paused.
void VerifyTokenFirstSight(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<TokenVerifier> verifier = Tokens().Verifier();
    state.ResumeTiming();
    bool accepted = false;
    verifier->Verify(Tokens().token, [&](Result<AccessClaims> claims) { accepted = claims.ok(); });
    if (!accepted) state.SkipWithError("the token was refused");
  }
}
BENCHMARK(VerifyTokenFirstSight)->Name("token/verify_first_sight");

// The same token again, as on every request of a session: the verified-token cache answers.
void VerifyTokenCached(benchmark::State& state) {
  std::unique_ptr<TokenVerifier> verifier = Tokens().Verifier();
  for (auto _ : state) {
    bool accepted = false;
    verifier->Verify(Tokens().token, [&](Result<AccessClaims> claims) { accepted = claims.ok(); });
    if (!accepted) state.SkipWithError("the token was refused");
  }
}
BENCHMARK(VerifyTokenCached)->Name("token/verify_cached");

}  // namespace
}  // namespace pcustomer

BENCHMARK_MAIN();
