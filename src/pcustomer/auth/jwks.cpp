#include "pcustomer/auth/jwks.hpp"

#include <rapidjson/document.h>

#include <optional>

#include "pcustomer/auth/json_object.hpp"

namespace pcustomer {
namespace {

// The string member `name`, or nullopt when absent or not a string.
std::optional<std::string_view> StringMember(const rapidjson::Value& object, const char* name) {
  auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsString()) return std::nullopt;
  return std::string_view(member->value.GetString(), member->value.GetStringLength());
}

bool IsRs256SignatureKey(const rapidjson::Value& jwk) {
  if (!jwk.IsObject() || StringMember(jwk, "kty") != "RSA") return false;
  if (jwk.HasMember("use") && StringMember(jwk, "use") != "sig") return false;
  if (jwk.HasMember("alg") && StringMember(jwk, "alg") != "RS256") return false;
  return true;
}

}  // namespace

Result<JwksKeys> ParseJwks(std::string_view json) {
  if (json.size() > kMaxJwksBytes) return Error::Unavailable("JWKS document is too large");
  rapidjson::Document document;
  if (!ParseJsonObject(json, document)) return Error::Unavailable("JWKS is not a JSON object");
  auto keys = document.FindMember("keys");
  if (keys == document.MemberEnd() || !keys->value.IsArray()) {
    return Error::Unavailable("JWKS has no keys array");
  }
  JwksKeys out;
  for (const auto& jwk : keys->value.GetArray()) {
    if (out.size() == kMaxJwksKeys) break;
    if (!IsRs256SignatureKey(jwk)) continue;
    std::optional<std::string_view> kid = StringMember(jwk, "kid");
    std::optional<std::string_view> n = StringMember(jwk, "n");
    std::optional<std::string_view> e = StringMember(jwk, "e");
    if (!kid || kid->empty() || !n || !e || out.contains(*kid)) continue;
    Result<RsaKey> key = RsaKey::FromJwk(*n, *e);
    if (key) out.emplace(std::string(*kid), std::move(key).value());
  }
  return out;
}

std::string JwksJson(const std::vector<std::pair<std::string, RsaKey>>& keys) {
  std::string json = R"({"keys":[)";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) json += ',';
    json += keys[i].second.PublicJwkJson(keys[i].first);
  }
  json += "]}";
  return json;
}

}  // namespace pcustomer
