#include "pcustomer/aws/cognito_messages.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <initializer_list>
#include <utility>

#include "pcustomer/aws/cognito_secret_hash.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr int64_t kDefaultExpiresInSeconds = 3600;

void Member(JsonWriter& writer, std::string_view name, std::string_view value) {
  writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

std::optional<std::string> StringMember(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return std::nullopt;
  auto found = object.FindMember(name);
  if (found == object.MemberEnd() || !found->value.IsString()) return std::nullopt;
  return std::string(found->value.GetString(), found->value.GetStringLength());
}

std::optional<int64_t> IntegerMember(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return std::nullopt;
  auto found = object.FindMember(name);
  if (found == object.MemberEnd() || !found->value.IsInt64()) return std::nullopt;
  return found->value.GetInt64();
}

// The lifetime a JWT states for itself (exp - iat), read without verifying it: it only
// tells the client when to refresh, the server verifies tokens where it accepts them.
std::optional<int64_t> TokenLifetime(std::string_view jwt) {
  size_t first = jwt.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  size_t second = jwt.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  std::optional<std::string> payload = Base64UrlDecode(jwt.substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  rapidjson::Document claims;
  claims.Parse(payload->data(), payload->size());
  if (claims.HasParseError()) return std::nullopt;
  std::optional<int64_t> exp = IntegerMember(claims, "exp");
  std::optional<int64_t> iat = IntegerMember(claims, "iat");
  if (!exp || !iat || *exp <= *iat) return std::nullopt;
  return *exp - *iat;
}

Error Malformed(std::string_view what) {
  return Error::Unavailable("Cognito answered an unexpected " + std::string(what));
}

std::string InitiateAuthBody(
    const CognitoSettings& settings, std::string_view flow,
    std::initializer_list<std::pair<std::string_view, std::string_view>> parameters,
    const std::optional<std::string>& hash_username) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  Member(writer, "AuthFlow", flow);
  Member(writer, "ClientId", settings.client_id);
  writer.Key("AuthParameters");
  writer.StartObject();
  for (const auto& [name, value] : parameters) Member(writer, name, value);
  if (settings.client_secret && hash_username) {
    Member(writer, "SECRET_HASH",
           CognitoSecretHash(*hash_username, settings.client_id, *settings.client_secret));
  }
  writer.EndObject();
  writer.EndObject();
  return buffer.GetString();
}

}  // namespace

std::string SignInRequestBody(const CognitoSettings& settings, std::string_view username,
                              std::string_view password) {
  return InitiateAuthBody(settings, "USER_PASSWORD_AUTH",
                          {{"USERNAME", username}, {"PASSWORD", password}}, std::string(username));
}

std::string RefreshRequestBody(const CognitoSettings& settings, std::string_view refresh_token,
                               const std::optional<std::string>& username) {
  return InitiateAuthBody(settings, "REFRESH_TOKEN_AUTH", {{"REFRESH_TOKEN", refresh_token}},
                          username);
}

std::string RevokeRequestBody(const CognitoSettings& settings, std::string_view refresh_token) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  Member(writer, "Token", refresh_token);
  Member(writer, "ClientId", settings.client_id);
  if (settings.client_secret) Member(writer, "ClientSecret", *settings.client_secret);
  writer.EndObject();
  return buffer.GetString();
}

std::string GetUserRequestBody(std::string_view access_token) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  Member(writer, "AccessToken", access_token);
  writer.EndObject();
  return buffer.GetString();
}

Result<CognitoTokens> ParseAuthenticationAnswer(std::string_view body) {
  rapidjson::Document answer;
  answer.Parse(body.data(), body.size());
  if (answer.HasParseError() || !answer.IsObject()) return Malformed("sign-in answer");
  // Cognito sends an empty ChallengeParameters object along with tokens, so only a named
  // challenge counts.
  if (std::optional<std::string> challenge = StringMember(answer, "ChallengeName");
      challenge && !challenge->empty()) {
    return Error::Unauthorized("Sign-in needs a further step: " + *challenge);
  }
  auto result = answer.FindMember("AuthenticationResult");
  if (result == answer.MemberEnd() || !result->value.IsObject()) {
    return Malformed("sign-in answer");
  }
  CognitoTokens tokens;
  std::optional<std::string> access = StringMember(result->value, "AccessToken");
  std::optional<std::string> id = StringMember(result->value, "IdToken");
  if (!access || !id || access->empty() || id->empty()) return Malformed("sign-in answer");
  tokens.access_token = std::move(*access);
  tokens.id_token = std::move(*id);
  tokens.refresh_token = StringMember(result->value, "RefreshToken");
  if (tokens.refresh_token && tokens.refresh_token->empty()) tokens.refresh_token.reset();
  std::optional<int64_t> expires = IntegerMember(result->value, "ExpiresIn");
  if (!expires || *expires <= 0) expires = TokenLifetime(tokens.access_token);
  tokens.expires_in_seconds = expires.value_or(kDefaultExpiresInSeconds);
  return tokens;
}

Result<CognitoUser> ParseGetUserAnswer(std::string_view body) {
  rapidjson::Document answer;
  answer.Parse(body.data(), body.size());
  if (answer.HasParseError() || !answer.IsObject()) return Malformed("GetUser answer");
  CognitoUser user;
  std::optional<std::string> username = StringMember(answer, "Username");
  if (!username || username->empty()) return Malformed("GetUser answer");
  user.username = std::move(*username);
  auto attributes = answer.FindMember("UserAttributes");
  if (attributes != answer.MemberEnd()) {
    if (!attributes->value.IsArray()) return Malformed("GetUser answer");
    for (const rapidjson::Value& attribute : attributes->value.GetArray()) {
      std::optional<std::string> name = StringMember(attribute, "Name");
      if (!name) return Malformed("GetUser answer");
      // Cognito omits Value for attributes set to nothing.
      user.attributes[*name] = StringMember(attribute, "Value").value_or("");
    }
  }
  return user;
}

}  // namespace pcustomer
