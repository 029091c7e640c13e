#include "pcustomer/aws/cognito_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <map>
#include <mutex>

#include "pcustomer/aws/cognito_messages.hpp"
#include "pcustomer/aws/http_client.hpp"
#include "pcustomer/aws/testing/fake_http_server.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

using testing::FakeHttpServer;
using testing::FakeReply;
using testing::FakeRequest;
using ::testing::HasSubstr;
using testing::Wait;

constexpr const char* kPool = "eu-west-1_TestPool1";
constexpr const char* kClientId = "7d5gq2h3k4example";
constexpr const char* kSecret = "c2VjcmV0LWNsaWVudC1zZWNyZXQtdmFsdWU";
// HMAC-SHA256 over "alice@example.com" + kClientId with kSecret, base64: computed with
// openssl dgst (see cognito_secret_hash_test.cpp).
constexpr const char* kAliceSecretHash = "wlsu5RF6ZiwOdqBbwRa8OXPh0cO7X1BevG/yh2hu/gc=";

// An unsigned JWT with the given lifetime: enough for reading exp - iat.
std::string FakeJwt(int64_t lifetime) {
  std::string payload = R"({"iat":1700000000,"exp":)" + std::to_string(1700000000 + lifetime) + "}";
  return Base64UrlEncode(R"({"alg":"RS256"})") + "." + Base64UrlEncode(payload) + ".c2ln";
}

std::string TokensAnswer(bool with_refresh, bool with_expires) {
  std::string result = R"({"AccessToken":")" + FakeJwt(900) + R"(","IdToken":"id.token.x")";
  if (with_refresh) result += R"(,"RefreshToken":"refresh-1")";
  if (with_expires) result += R"(,"ExpiresIn":3600,"TokenType":"Bearer")";
  return R"({"ChallengeParameters":{},"AuthenticationResult":)" + result + "}}";
}

// A scripted Cognito: answers by X-Amz-Target, records what it was asked.
class CognitoClientTest : public ::testing::Test {
 protected:
  CognitoClientTest() : server_([this](const FakeRequest& request) { return Answer(request); }) {}

  FakeReply Answer(const FakeRequest& request) {
    std::string key = request.method == "GET"
                          ? "GET"
                          : std::string(request.headers.Find("X-Amz-Target").value_or(""));
    std::lock_guard lock(mutex_);
    auto found = replies_.find(key);
    if (found != replies_.end()) return found->second;
    if (request.method == "GET") return FakeReply::Json(200, R"({"keys":[]})");
    return FakeReply::Json(400, R"({"__type":"UnexpectedTarget"})");
  }

  // `operation` is an X-Amz-Target operation, or "GET" for the JWKS.
  void Reply(const std::string& operation, FakeReply reply) {
    std::lock_guard lock(mutex_);
    replies_[operation == "GET" ? operation : "AWSCognitoIdentityProviderService." + operation] =
        std::move(reply);
  }

  CognitoSettings Settings(bool with_secret) {
    CognitoSettings settings;
    settings.region = "eu-west-1";
    settings.user_pool_id = kPool;
    settings.client_id = kClientId;
    if (with_secret) settings.client_secret = kSecret;
    settings.endpoint = AwsEndpoint{server_.url(), true};
    settings.timeout = std::chrono::seconds(5);
    return settings;
  }

  // The JSON body of the only request the server saw.
  rapidjson::Document LastBody() {
    std::vector<FakeRequest> requests = server_.requests();
    rapidjson::Document body;
    if (requests.empty()) return body;
    body.Parse(requests.back().body.c_str());
    return body;
  }

  std::mutex mutex_;
  std::map<std::string, FakeReply> replies_;
  FakeHttpServer server_;
  HttpClient http_;
};

std::string Str(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject() || !object.HasMember(name) || !object[name].IsString()) return "<absent>";
  return object[name].GetString();
}

TEST_F(CognitoClientTest, SignInSendsInitiateAuthWithSecretHash) {
  Reply("InitiateAuth", FakeReply::Json(200, TokensAnswer(true, true)));
  CognitoClient client(Settings(true), http_);

  Result<CognitoTokens> tokens = Wait<CognitoTokens>(
      [&](auto done) { client.SignIn("alice@example.com", "pa\"ss\\word", done); });

  ASSERT_TRUE(tokens.ok()) << tokens.error().message;
  EXPECT_EQ(tokens->access_token, FakeJwt(900));
  EXPECT_EQ(tokens->id_token, "id.token.x");
  EXPECT_EQ(tokens->refresh_token, "refresh-1");
  EXPECT_EQ(tokens->expires_in_seconds, 3600);

  ASSERT_EQ(server_.requests().size(), 1u);
  const FakeRequest request = server_.requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/");
  EXPECT_EQ(request.headers.Find("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(request.headers.Find("X-Amz-Target"), "AWSCognitoIdentityProviderService.InitiateAuth");
  EXPECT_FALSE(request.headers.Contains("Authorization"));
  rapidjson::Document body = LastBody();
  EXPECT_EQ(Str(body, "AuthFlow"), "USER_PASSWORD_AUTH");
  EXPECT_EQ(Str(body, "ClientId"), kClientId);
  ASSERT_TRUE(body.HasMember("AuthParameters"));
  const rapidjson::Value& parameters = body["AuthParameters"];
  EXPECT_EQ(Str(parameters, "USERNAME"), "alice@example.com");
  EXPECT_EQ(Str(parameters, "PASSWORD"), "pa\"ss\\word");
  EXPECT_EQ(Str(parameters, "SECRET_HASH"), kAliceSecretHash);
}

TEST_F(CognitoClientTest, SignInWithoutSecretSendsNoHash) {
  Reply("InitiateAuth", FakeReply::Json(200, TokensAnswer(true, true)));
  CognitoClient client(Settings(false), http_);
  ASSERT_TRUE(Wait<CognitoTokens>([&](auto done) { client.SignIn("bob", "pw", done); }).ok());
  rapidjson::Document body = LastBody();
  EXPECT_EQ(Str(body["AuthParameters"], "SECRET_HASH"), "<absent>");
}

TEST_F(CognitoClientTest, ExpiresInFallsBackToTheAccessTokensLifetime) {
  Reply("InitiateAuth", FakeReply::Json(200, TokensAnswer(true, false)));
  CognitoClient client(Settings(false), http_);
  Result<CognitoTokens> tokens =
      Wait<CognitoTokens>([&](auto done) { client.SignIn("bob", "pw", done); });
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(tokens->expires_in_seconds, 900);
}

TEST_F(CognitoClientTest, RefreshSendsTokenAndHashOverTheGivenUsername) {
  Reply("InitiateAuth", FakeReply::Json(200, TokensAnswer(false, true)));
  CognitoClient client(Settings(true), http_);
  Result<CognitoTokens> tokens = Wait<CognitoTokens>(
      [&](auto done) { client.Refresh("refresh-1", std::string("alice@example.com"), done); });
  ASSERT_TRUE(tokens.ok()) << tokens.error().message;
  EXPECT_FALSE(tokens->refresh_token.has_value());
  rapidjson::Document body = LastBody();
  EXPECT_EQ(Str(body, "AuthFlow"), "REFRESH_TOKEN_AUTH");
  EXPECT_EQ(Str(body["AuthParameters"], "REFRESH_TOKEN"), "refresh-1");
  EXPECT_EQ(Str(body["AuthParameters"], "SECRET_HASH"), kAliceSecretHash);
  EXPECT_EQ(Str(body["AuthParameters"], "USERNAME"), "<absent>");
}

TEST_F(CognitoClientTest, RevokeSendsTokenClientAndSecret) {
  Reply("RevokeToken", FakeReply::Json(200, "{}"));
  CognitoClient client(Settings(true), http_);
  Result<Ok> revoked = Wait<Ok>([&](auto done) { client.RevokeRefreshToken("refresh-1", done); });
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  EXPECT_EQ(server_.requests()[0].headers.Find("X-Amz-Target"),
            "AWSCognitoIdentityProviderService.RevokeToken");
  rapidjson::Document body = LastBody();
  EXPECT_EQ(Str(body, "Token"), "refresh-1");
  EXPECT_EQ(Str(body, "ClientId"), kClientId);
  EXPECT_EQ(Str(body, "ClientSecret"), kSecret);
}

TEST_F(CognitoClientTest, GetUserReturnsAttributes) {
  Reply("GetUser", FakeReply::Json(200, R"({"Username":"alice","UserAttributes":[
      {"Name":"sub","Value":"1b2c"},{"Name":"custom:role","Value":"employee"},
      {"Name":"email_verified"}]})"));
  CognitoClient client(Settings(false), http_);
  Result<CognitoUser> user = Wait<CognitoUser>([&](auto done) { client.GetUser("access", done); });
  ASSERT_TRUE(user.ok()) << user.error().message;
  EXPECT_EQ(user->username, "alice");
  EXPECT_EQ(user->FindAttribute("custom:role"), "employee");
  EXPECT_EQ(user->FindAttribute("sub"), "1b2c");
  EXPECT_EQ(user->FindAttribute("email_verified"), "");
  EXPECT_FALSE(user->FindAttribute("custom:team").has_value());
  EXPECT_EQ(Str(LastBody(), "AccessToken"), "access");
}

TEST_F(CognitoClientTest, ChallengeIsAClearUnauthorized) {
  for (const char* challenge : {"NEW_PASSWORD_REQUIRED", "SMS_MFA", "SOFTWARE_TOKEN_MFA"}) {
    Reply("InitiateAuth", FakeReply::Json(200, std::string(R"({"ChallengeName":")") + challenge +
                                                   R"(","Session":"s","ChallengeParameters":{}})"));
    CognitoClient client(Settings(false), http_);
    Result<CognitoTokens> tokens =
        Wait<CognitoTokens>([&](auto done) { client.SignIn("bob", "pw", done); });
    ASSERT_FALSE(tokens.ok());
    EXPECT_EQ(tokens.error().code, ErrorCode::kUnauthorized);
    EXPECT_EQ(tokens.error().message, std::string("Sign-in needs a further step: ") + challenge);
  }
}

TEST_F(CognitoClientTest, ErrorAnswersAreMapped) {
  struct Case {
    int status;
    const char* type;
    ErrorCode code;
  };
  const Case cases[] = {
      {400, "NotAuthorizedException", ErrorCode::kUnauthorized},
      {400, "com.amazonaws.cognito.identity.idp.model#UserNotFoundException",
       ErrorCode::kUnauthorized},
      {400, "PasswordResetRequiredException", ErrorCode::kUnauthorized},
      {400, "UserNotConfirmedException", ErrorCode::kUnauthorized},
      {400, "TooManyRequestsException", ErrorCode::kTooManyRequests},
      {400, "LimitExceededException", ErrorCode::kTooManyRequests},
      {400, "InvalidParameterException", ErrorCode::kBadRequest},
      {400, "ResourceNotFoundException", ErrorCode::kUnavailable},
      {500, "InternalErrorException", ErrorCode::kUnavailable},
      {503, "ServiceUnavailable", ErrorCode::kUnavailable},
      {418, "Teapot", ErrorCode::kUnavailable},
  };
  CognitoClient client(Settings(false), http_);
  for (const Case& c : cases) {
    Reply("InitiateAuth", FakeReply::Json(c.status, std::string(R"({"__type":")") + c.type +
                                                        R"(","message":"m"})"));
    Result<CognitoTokens> tokens =
        Wait<CognitoTokens>([&](auto done) { client.SignIn("bob", "pw", done); });
    ASSERT_FALSE(tokens.ok()) << c.type;
    EXPECT_EQ(tokens.error().code, c.code) << c.type;
    if (c.code == ErrorCode::kUnauthorized) {
      EXPECT_EQ(tokens.error().message, "Incorrect username or password") << c.type;
    }
    if (c.code == ErrorCode::kTooManyRequests) {
      EXPECT_EQ(tokens.error().retry_after_seconds, 1) << c.type;
    }
  }
}

TEST_F(CognitoClientTest, MalformedAnswersAreUnavailable) {
  CognitoClient client(Settings(false), http_);
  for (const char* body : {"not json", "[]", "{}", R"({"AuthenticationResult":{"IdToken":"x"}})",
                           R"({"AuthenticationResult":"x"})"}) {
    Reply("InitiateAuth", FakeReply::Json(200, body));
    Result<CognitoTokens> tokens =
        Wait<CognitoTokens>([&](auto done) { client.SignIn("bob", "pw", done); });
    ASSERT_FALSE(tokens.ok()) << body;
    EXPECT_EQ(tokens.error().code, ErrorCode::kUnavailable) << body;
  }
  for (const char* body : {"{}", R"({"Username":"a","UserAttributes":{}})",
                           R"({"Username":"a","UserAttributes":[{"Value":"v"}]})"}) {
    Reply("GetUser", FakeReply::Json(200, body));
    Result<CognitoUser> user = Wait<CognitoUser>([&](auto done) { client.GetUser("t", done); });
    ASSERT_FALSE(user.ok()) << body;
    EXPECT_EQ(user.error().code, ErrorCode::kUnavailable) << body;
  }
}

TEST_F(CognitoClientTest, TimeoutIsUnavailable) {
  Reply("GetUser", FakeReply::Hang());
  CognitoSettings settings = Settings(false);
  settings.timeout = std::chrono::milliseconds(200);
  CognitoClient client(settings, http_);
  Result<CognitoUser> user = Wait<CognitoUser>([&](auto done) { client.GetUser("t", done); });
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(user.error().message, HasSubstr("timed out"));
}

TEST_F(CognitoClientTest, UnreachableCognitoIsUnavailable) {
  CognitoSettings settings = Settings(false);
  uint16_t closed = 0;
  {
    FakeHttpServer gone([](const FakeRequest&) { return FakeReply::Drop(); });
    closed = gone.port();
  }
  settings.endpoint = AwsEndpoint{"http://127.0.0.1:" + std::to_string(closed), true};
  CognitoClient client(settings, http_);
  Result<CognitoTokens> tokens =
      Wait<CognitoTokens>([&](auto done) { client.SignIn("bob", "pw", done); });
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(tokens.error().code, ErrorCode::kUnavailable);
}

TEST_F(CognitoClientTest, FetchesJwksFromTheCustomEndpoint) {
  CognitoClient client(Settings(false), http_);
  EXPECT_EQ(client.issuer(), server_.url() + "/" + kPool);
  EXPECT_EQ(client.jwks_url(), server_.url() + "/" + kPool + "/.well-known/jwks.json");
  Result<std::string> jwks = Wait<std::string>([&](auto done) { client.FetchJwks(done); });
  ASSERT_TRUE(jwks.ok()) << jwks.error().message;
  EXPECT_EQ(*jwks, R"({"keys":[]})");
  EXPECT_EQ(server_.requests()[0].method, "GET");
  EXPECT_EQ(server_.requests()[0].target, std::string("/") + kPool + "/.well-known/jwks.json");
}

TEST_F(CognitoClientTest, JwksErrorStatusIsUnavailable) {
  Reply("GET", FakeReply::Json(404, "{}"));
  CognitoClient client(Settings(false), http_);
  Result<std::string> jwks = Wait<std::string>([&](auto done) { client.FetchJwks(done); });
  ASSERT_FALSE(jwks.ok());
  EXPECT_EQ(jwks.error().code, ErrorCode::kUnavailable);
}

TEST(CognitoIssuerTest, AwsIssuerUsesThePoolsRegion) {
  HttpClient http;
  CognitoSettings settings;
  settings.region = "us-east-1";
  settings.user_pool_id = "ap-southeast-1_AbC123";
  settings.client_id = "c";
  settings.endpoint = AwsEndpoint{"https://cognito-idp.us-east-1.amazonaws.com", false};
  CognitoClient client(settings, http);
  EXPECT_EQ(client.issuer(),
            "https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_AbC123");
  EXPECT_EQ(client.jwks_url(),
            "https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_AbC123/.well-known/"
            "jwks.json");
}

}  // namespace
}  // namespace pcustomer
