// The /auth routes and the JWKS through Router::Dispatch, on the local identity provider over
// a real user store: sign-in, its validation and throttle, refresh with rotation and reuse
// detection, sign-out.

#include "pcustomer/api/auth_routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <vector>

#include "pcustomer/api/testing/route_harness.hpp"
#include "pcustomer/auth/password_hasher.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

using test::ErrorAnswer;
using test::ErrorOf;
using test::HeaderOf;
using test::IntAt;
using test::kPassword;
using test::kWrongPassword;
using test::StringAt;

constexpr const char* kWrongCredentials = "Incorrect username or password";
constexpr const char* kInvalidRefresh = "Refresh token is invalid or expired";
constexpr const char* kReuse = "Refresh token reuse detected; sign in again";
constexpr int64_t kAccessSeconds = 3600;
constexpr int64_t kRefreshSeconds = 30 * 24 * 3600;

ErrorAnswer Unauthorized(const char* message) { return {401, "UNAUTHORIZED", message, {}}; }
ErrorAnswer Invalid(std::vector<Reason> reasons) {
  return {400, "BAD_REQUEST", "Validation failed", std::move(reasons)};
}

std::vector<Reason> ReasonsOf(const Status& status) {
  return status.ok() ? std::vector<Reason>{} : status.error().reasons;
}

// The JSON of part `index` (0: header, 1: payload) of a JWT.
rapidjson::Document JwtPart(const std::string& token, int index) {
  rapidjson::Document document;
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t dot = token.find('.', start);
    parts.push_back(
        token.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  EXPECT_EQ(parts.size(), 3u) << token;
  if (parts.size() != 3) return document;
  std::optional<std::string> json = Base64UrlDecode(parts[static_cast<size_t>(index)]);
  EXPECT_TRUE(json.has_value()) << parts[static_cast<size_t>(index)];
  if (json) document.Parse(json->data(), json->size());
  EXPECT_TRUE(document.IsObject()) << token;
  return document;
}

class AuthRoutesTest : public test::RouteHarness {
 protected:
  void SetUp() override {
    RouteHarness::SetUp();
    if (HasFatalFailure()) return;
    AddUser("lan.nguyen", "employee", "sales");
  }

  Response Refresh(const std::string& refresh_token) {
    return Send("POST", "/auth/refresh-tokens", R"({"refreshToken": ")" + refresh_token + R"("})");
  }
  Response SignOut(const std::string& refresh_token) {
    return Send("POST", "/auth/sign-out", R"({"refreshToken": ")" + refresh_token + R"("})");
  }
  std::string SignedInRefreshToken() {
    return TokenOf(SignIn("lan.nguyen", kPassword), "refreshToken");
  }

  // Whether `access_token` is let through to a customer route.
  int ListStatusWith(const std::string& access_token) {
    return SendWithToken(access_token, "GET", "/pcustomers").status;
  }
};

TEST_F(AuthRoutesTest, SignInAnswersTokensShapedLikeCognitosAndNotForCaches) {
  Response signed_in = SignIn("lan.nguyen", kPassword);
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  EXPECT_EQ(HeaderOf(signed_in, "Cache-Control"), "no-store");
  rapidjson::Document body = test::Json(signed_in);
  const rapidjson::Value* auth = test::Find(body, {"data", "auth"});
  ASSERT_TRUE(body.IsObject() && body.MemberCount() == 1 && auth != nullptr &&
              body["data"].MemberCount() == 1 && auth->IsObject())
      << signed_in.body;
  std::vector<std::string> members;
  for (const auto& member : auth->GetObject()) members.emplace_back(member.name.GetString());
  EXPECT_THAT(members,
              ::testing::ElementsAre("idToken", "accessToken", "refreshToken", "expiresIn"));
  EXPECT_EQ(IntAt(*auth, {"expiresIn"}), kAccessSeconds);

  const std::string access = StringAt(*auth, {"accessToken"});
  rapidjson::Document header = JwtPart(access, 0);
  EXPECT_EQ(StringAt(header, {"alg"}), "RS256");
  EXPECT_EQ(StringAt(header, {"kid"}), test::SharedSigningKeys()->CurrentKid());
  rapidjson::Document claims = JwtPart(access, 1);
  for (const char* name : {"iss", "sub", "jti"})
    EXPECT_FALSE(StringAt(claims, {name}).empty()) << name;
  EXPECT_EQ(StringAt(claims, {"token_use"}), "access");
  EXPECT_EQ(StringAt(claims, {"username"}), "lan.nguyen");
  EXPECT_EQ(StringAt(claims, {"client_id"}), "pcustomer");
  EXPECT_EQ(StringAt(claims, {"custom:role"}), "employee");
  const rapidjson::Value* groups = test::Find(claims, {"cognito:groups"});
  ASSERT_TRUE(groups != nullptr && groups->IsArray() && groups->Size() == 1 &&
              (*groups)[0].IsString());
  EXPECT_STREQ((*groups)[0].GetString(), "sales");
  EXPECT_EQ(IntAt(claims, {"iat"}), test::kClockStart);
  EXPECT_EQ(IntAt(claims, {"exp"}), test::kClockStart + kAccessSeconds);

  rapidjson::Document id = JwtPart(StringAt(*auth, {"idToken"}), 1);
  EXPECT_EQ(StringAt(id, {"token_use"}), "id");
  EXPECT_EQ(StringAt(id, {"cognito:username"}), "lan.nguyen");

  EXPECT_EQ(ListStatusWith(access), 200);
}

TEST_F(AuthRoutesTest, UsernamesMatchIgnoringCaseAndKeepTheirSpelling) {
  AddUser("Minh.Tran", "admin", "marketing");
  Response signed_in = SignIn("minh.TRAN", kPassword);
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  EXPECT_EQ(StringAt(JwtPart(TokenOf(signed_in, "accessToken"), 1), {"username"}), "Minh.Tran");
}

TEST_F(AuthRoutesTest, WrongPasswordUnknownUserAndDisabledUserGetTheSame401) {
  AddUser("disabled.user", "employee", "sales", /*disabled=*/true);
  for (const auto& [username, password] :
       std::vector<std::pair<std::string, std::string>>{{"lan.nguyen", kWrongPassword},
                                                        {"no.such.user", kPassword},
                                                        {"disabled.user", kPassword}}) {
    Response refused = SignIn(username, password);
    EXPECT_EQ(ErrorOf(refused), Unauthorized(kWrongCredentials)) << username;
    EXPECT_EQ(HeaderOf(refused, "WWW-Authenticate"), "Bearer") << username;
    EXPECT_EQ(HeaderOf(refused, "Cache-Control"), "") << username;
  }
}

TEST_F(AuthRoutesTest, SignInBodiesAreValidatedWithEveryReasonAtOnce) {
  const std::string rules_broken = R"({"username": "ab", "password": "short"})";
  std::vector<Reason> expected = ReasonsOf(CheckUsernameRules("ab"));
  for (const Reason& reason : ReasonsOf(CheckPasswordRules("short"))) expected.push_back(reason);
  ASSERT_GE(expected.size(), 2u);
  EXPECT_EQ(ErrorOf(Send("POST", "/auth/sign-in", rules_broken)), Invalid(expected));

  struct Case {
    std::string body;
    std::vector<Reason> reasons;
  };
  for (const Case& c : std::vector<Case>{
           {"{}", {{"username", "username is required"}, {"password", "password is required"}}},
           {R"({"username": 7, "password": "Correct-h0rse"})",
            {{"username", "username must be a string"}}},
           {R"({"username": "lan.nguyen"})", {{"password", "password is required"}}},
           {R"({"username": "lan.nguyen", "password": "Correct-h0rse", "remember": true})",
            {{"remember", "\"remember\" is not allowed"}}},
           {R"({"username": "lan.nguyen", "username": "lan.nguyen", "password": "Correct-h0rse"})",
            {{"username", "\"username\" is duplicated"}}},
           {R"({"username": "lan nguyen", "password": "Correct-h0rse"})",
            ReasonsOf(CheckUsernameRules("lan nguyen"))},
       }) {
    EXPECT_EQ(ErrorOf(Send("POST", "/auth/sign-in", c.body)), Invalid(c.reasons)) << c.body;
  }
  EXPECT_EQ(ErrorOf(Send("POST", "/auth/sign-in", "[]")),
            (ErrorAnswer{400, "BAD_REQUEST", "Request body must be a JSON object", {}}));
  ErrorAnswer malformed = ErrorOf(Send("POST", "/auth/sign-in", R"({"username": )"));
  EXPECT_EQ(malformed.status, 400);
  EXPECT_THAT(malformed.message, ::testing::StartsWith("Malformed JSON"));
}

TEST_F(AuthRoutesTest, AuthRoutesTakeOnlyJsonAndOnlyPost) {
  for (const char* path : {"/auth/sign-in", "/auth/refresh-tokens", "/auth/sign-out"}) {
    Request request = test::Call("POST", path, R"({"refreshToken": "x"})");
    request.content_type = "text/plain";
    EXPECT_EQ(
        ErrorOf(Send(request)),
        (ErrorAnswer{415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json", {}}))
        << path;
    Response wrong_method = Send("GET", path);
    EXPECT_EQ(ErrorOf(wrong_method).status, 405) << path;
    EXPECT_EQ(HeaderOf(wrong_method, "Allow"), "POST") << path;
  }
}

TEST_F(AuthRoutesTest, FiveFailuresLockTheUsernameEvenForTheRightPassword) {
  for (int attempt = 1; attempt <= 5; ++attempt) {
    EXPECT_EQ(ErrorOf(SignIn("lan.nguyen", kWrongPassword)), Unauthorized(kWrongCredentials))
        << attempt;
  }
  Response locked = SignIn("lan.nguyen", kPassword);
  ErrorAnswer error = ErrorOf(locked);
  EXPECT_EQ(error.status, 429);
  EXPECT_EQ(error.code, "TOO_MANY_REQUESTS");
  const std::string retry_after = HeaderOf(locked, "Retry-After");
  ASSERT_FALSE(retry_after.empty());
  const int seconds = std::stoi(retry_after);
  EXPECT_GE(seconds, 1);
  // Another username from another address is not held up.
  AddUser("other.user", "employee", "sales");
  Request elsewhere = test::Call("POST", "/auth/sign-in",
                                 R"({"username": "other.user", "password": "Correct-h0rse"})");
  elsewhere.client_address = "198.51.100.7";
  EXPECT_EQ(Send(elsewhere).status, 200);
  AdvanceClock(seconds);
  EXPECT_EQ(SignIn("lan.nguyen", kPassword).status, 200);
}

TEST_F(AuthRoutesTest, RefreshRotatesTheTokenAndIssuesWorkingAccessTokens) {
  const std::string first = SignedInRefreshToken();
  ASSERT_FALSE(first.empty());
  AdvanceClock(60);
  Response refreshed = Refresh(first);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_EQ(HeaderOf(refreshed, "Cache-Control"), "no-store");
  const std::string second = TokenOf(refreshed, "refreshToken");
  EXPECT_FALSE(second.empty());
  EXPECT_NE(second, first);
  EXPECT_EQ(IntAt(test::Json(refreshed), {"data", "auth", "expiresIn"}), kAccessSeconds);
  const std::string access = TokenOf(refreshed, "accessToken");
  EXPECT_EQ(IntAt(JwtPart(access, 1), {"iat"}), test::kClockStart + 60)
      << "a new token, not the sign-in's";
  EXPECT_EQ(ListStatusWith(access), 200);
  EXPECT_EQ(Refresh(second).status, 200);
}

TEST_F(AuthRoutesTest, PresentingARotatedTokenAgainRevokesTheWholeFamily) {
  const std::string first = SignedInRefreshToken();
  const std::string second = TokenOf(Refresh(first), "refreshToken");
  const std::string third = TokenOf(Refresh(second), "refreshToken");
  ASSERT_FALSE(third.empty());
  EXPECT_EQ(ErrorOf(Refresh(first)), Unauthorized(kReuse));
  EXPECT_EQ(ErrorOf(Refresh(third)), Unauthorized(kInvalidRefresh))
      << "the chain leaked: its newest token goes too";
  // Another sign-in is a family of its own.
  EXPECT_EQ(Refresh(SignedInRefreshToken()).status, 200);
}

TEST_F(AuthRoutesTest, UnknownAndExpiredRefreshTokensAre401) {
  EXPECT_EQ(ErrorOf(Refresh("not-a-token-we-issued")), Unauthorized(kInvalidRefresh));
  const std::string token = SignedInRefreshToken();
  ASSERT_FALSE(token.empty());
  AdvanceClock(kRefreshSeconds);
  EXPECT_EQ(ErrorOf(Refresh(token)), Unauthorized(kInvalidRefresh));
}

TEST_F(AuthRoutesTest, RefreshStopsForADisabledUser) {
  const std::string token = SignedInRefreshToken();
  Result<std::string> hash = identity_->hasher().Hash(kPassword);
  ASSERT_TRUE(hash.ok());
  User disabled{"lan.nguyen", std::move(hash).value(), "employee", "sales",
                true,         test::kClockStart};
  ASSERT_TRUE(
      test::Await<Ok>([&](Done<Ok> done) { stores_->users->UpdateUser(disabled, done); }).ok());
  EXPECT_EQ(ErrorOf(Refresh(token)), Unauthorized(kInvalidRefresh));
}

TEST_F(AuthRoutesTest, RefreshTakesAUsernameAlongsideTheToken) {
  const std::string token = SignedInRefreshToken();
  Response refreshed = Send("POST", "/auth/refresh-tokens",
                            R"({"refreshToken": ")" + token + R"(", "username": "lan.nguyen"})");
  EXPECT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_EQ(
      ErrorOf(Send("POST", "/auth/refresh-tokens", R"({"refreshToken": "x", "username": ""})")),
      Invalid({{"username", "username must be 1 to 128 characters"}}));
  EXPECT_EQ(
      ErrorOf(Send("POST", "/auth/refresh-tokens",
                   R"({"refreshToken": "x", "username": ")" + std::string(129, 'a') + R"("})")),
      Invalid({{"username", "username must be 1 to 128 characters"}}));
}

TEST_F(AuthRoutesTest, RefreshAndSignOutBodiesAreValidated) {
  for (const char* path : {"/auth/refresh-tokens", "/auth/sign-out"}) {
    struct Case {
      std::string body;
      std::vector<Reason> reasons;
    };
    for (const Case& c : std::vector<Case>{
             {"{}", {{"refreshToken", "refreshToken is required"}}},
             {R"({"refreshToken": ""})",
              {{"refreshToken", "refreshToken must be a non-empty token"}}},
             {R"({"refreshToken": 5})", {{"refreshToken", "refreshToken must be a string"}}},
             {R"({"refreshToken": ")" + std::string(8 * 1024 + 1, 'a') + R"("})",
              {{"refreshToken", "refreshToken must be a non-empty token"}}},
             {R"({"refreshToken": "x", "password": "y"})",
              {{"password", "\"password\" is not allowed"}}},
         }) {
      EXPECT_EQ(ErrorOf(Send("POST", path, c.body)), Invalid(c.reasons))
          << path << " " << c.body.substr(0, 80);
    }
  }
  // Only the refresh takes a username (Cognito needs it there).
  EXPECT_EQ(
      ErrorOf(Send("POST", "/auth/sign-out", R"({"refreshToken": "x", "username": "lan.nguyen"})")),
      Invalid({{"username", "\"username\" is not allowed"}}));
}

TEST_F(AuthRoutesTest, SignOutEndsTheSessionAndIsIdempotent) {
  const std::string token = SignedInRefreshToken();
  Response signed_out = SignOut(token);
  EXPECT_EQ(signed_out.status, 200);
  EXPECT_EQ(signed_out.body, R"({"data":true})");
  EXPECT_EQ(HeaderOf(signed_out, "Cache-Control"), "no-store");
  EXPECT_EQ(ErrorOf(Refresh(token)), Unauthorized(kInvalidRefresh));
  EXPECT_EQ(SignOut(token).status, 200) << "signing out twice is not an error";
  EXPECT_EQ(SignOut("never-issued").status, 200);
}

TEST_F(AuthRoutesTest, SigningOutWithAnOlderTokenOfTheFamilyEndsItsNewestToo) {
  const std::string first = SignedInRefreshToken();
  const std::string second = TokenOf(Refresh(first), "refreshToken");
  ASSERT_FALSE(second.empty());
  const std::string other_session = SignedInRefreshToken();
  EXPECT_EQ(SignOut(first).status, 200);
  EXPECT_EQ(ErrorOf(Refresh(second)), Unauthorized(kInvalidRefresh));
  EXPECT_EQ(Refresh(other_session).status, 200) << "another sign-in's session stays";
}

TEST_F(AuthRoutesTest, TheJwksPublishesTheKeyThatSignsAccessTokens) {
  Response jwks = Send("GET", "/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200);
  EXPECT_EQ(HeaderOf(jwks, "Cache-Control"), "public, max-age=300");
  rapidjson::Document document = test::Json(jwks);
  const rapidjson::Value* keys = test::Find(document, {"keys"});
  ASSERT_TRUE(keys != nullptr && keys->IsArray() && !keys->Empty()) << jwks.body;
  const std::string kid =
      StringAt(JwtPart(TokenOf(SignIn("lan.nguyen", kPassword), "accessToken"), 0), {"kid"});
  bool published = false;
  for (const rapidjson::Value& key : keys->GetArray()) {
    EXPECT_EQ(StringAt(key, {"kty"}), "RSA");
    EXPECT_FALSE(StringAt(key, {"n"}).empty());
    EXPECT_FALSE(StringAt(key, {"e"}).empty());
    EXPECT_EQ(test::Find(key, {"d"}), nullptr) << "a private part was published";
    published = published || StringAt(key, {"kid"}) == kid;
  }
  EXPECT_TRUE(published) << kid << " is not in " << jwks.body;
  EXPECT_EQ(Send("HEAD", "/.well-known/jwks.json").status, 200);
  Response wrong_method = Send("POST", "/.well-known/jwks.json", "{}");
  EXPECT_EQ(ErrorOf(wrong_method).status, 405);
  EXPECT_EQ(HeaderOf(wrong_method, "Allow"), "GET, HEAD");
}

}  // namespace
}  // namespace pcustomer
