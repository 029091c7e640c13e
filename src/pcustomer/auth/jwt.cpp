#include "pcustomer/auth/jwt.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <utility>

#include "pcustomer/auth/json_object.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

Error Malformed(std::string_view what) {
  return Error::Unauthorized("Token is malformed: " + std::string(what));
}

std::string_view View(const rapidjson::Value& value) {
  return {value.GetString(), value.GetStringLength()};
}

// Reads an optional string member into `out`; false if present with another type.
bool ReadString(const rapidjson::Value& object, const char* name, std::string& out) {
  auto member = object.FindMember(name);
  if (member == object.MemberEnd()) return true;
  if (!member->value.IsString()) return false;
  out = View(member->value);
  return true;
}

// Integers only: Cognito writes NumericDate claims as integers, and refusing fractions and
// exponents leaves no question of rounding.
bool ReadInteger(const rapidjson::Value& object, const char* name, std::optional<int64_t>& out) {
  auto member = object.FindMember(name);
  if (member == object.MemberEnd()) return true;
  if (!member->value.IsInt64()) return false;
  out = member->value.GetInt64();
  return true;
}

bool ReadInteger(const rapidjson::Value& object, const char* name, int64_t& out) {
  std::optional<int64_t> value;
  if (!ReadInteger(object, name, value)) return false;
  out = value.value_or(0);
  return true;
}

bool ReadGroups(const rapidjson::Value& object, std::vector<std::string>& out) {
  auto member = object.FindMember("cognito:groups");
  if (member == object.MemberEnd()) return true;
  if (!member->value.IsArray()) return false;
  for (const auto& group : member->value.GetArray()) {
    if (!group.IsString()) return false;
    out.emplace_back(View(group));
  }
  return true;
}

Result<JwtHeader> ReadHeader(const rapidjson::Document& json) {
  JwtHeader header;
  auto alg = json.FindMember("alg");
  if (alg == json.MemberEnd() || !alg->value.IsString()) return Malformed("header has no alg");
  header.alg = View(alg->value);
  if (!ReadString(json, "kid", header.kid) || !ReadString(json, "typ", header.typ)) {
    return Malformed("header kid or typ is not a string");
  }
  // RFC 7515 section 4.1.11: a recipient must refuse critical extensions it does not know.
  if (json.HasMember("crit")) return Malformed("header has critical extensions");
  return header;
}

Result<AccessClaims> ReadClaims(const rapidjson::Document& json) {
  AccessClaims claims;
  const bool strings_ok =
      ReadString(json, "iss", claims.iss) && ReadString(json, "sub", claims.sub) &&
      ReadString(json, "username", claims.username) &&
      ReadString(json, "client_id", claims.client_id) &&
      ReadString(json, "token_use", claims.token_use) &&
      ReadString(json, "custom:role", claims.role) && ReadString(json, "jti", claims.jti);
  if (!strings_ok) return Malformed("a claim that must be a string is not");
  if (!ReadGroups(json, claims.groups)) return Malformed("cognito:groups is not a string array");
  if (!ReadInteger(json, "iat", claims.iat) || !ReadInteger(json, "exp", claims.exp) ||
      !ReadInteger(json, "nbf", claims.nbf)) {
    return Malformed("iat, exp or nbf is not an integer");
  }
  return claims;
}

void WriteString(Writer& writer, const char* name, std::string_view value) {
  if (value.empty()) return;
  writer.Key(name);
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

Result<ParsedJwt> ParseJwt(std::string_view token) {
  if (token.size() > kMaxJwtBytes) return Error::Unauthorized("Token is too long");
  const size_t first_dot = token.find('.');
  const size_t second_dot =
      first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos ||
      token.find('.', second_dot + 1) != std::string_view::npos) {
    return Malformed("expected three parts separated by dots");
  }
  std::optional<std::string> header_text = Base64UrlDecode(token.substr(0, first_dot));
  std::optional<std::string> payload_text =
      Base64UrlDecode(token.substr(first_dot + 1, second_dot - first_dot - 1));
  std::optional<std::string> signature = Base64UrlDecode(token.substr(second_dot + 1));
  if (!header_text || !payload_text || !signature) return Malformed("a part is not base64url");

  rapidjson::Document header_json;
  if (!ParseJsonObject(*header_text, header_json)) return Malformed("header is not a JSON object");
  rapidjson::Document payload_json;
  if (!ParseJsonObject(*payload_text, payload_json)) {
    return Malformed("payload is not a JSON object");
  }
  Result<JwtHeader> header = ReadHeader(header_json);
  if (!header) return std::move(header).error();
  Result<AccessClaims> claims = ReadClaims(payload_json);
  if (!claims) return std::move(claims).error();
  return ParsedJwt{std::move(header).value(), std::string(token.substr(0, second_dot)),
                   std::move(*signature), std::move(claims).value()};
}

std::string AccessClaimsJson(const AccessClaims& claims) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  WriteString(writer, "iss", claims.iss);
  WriteString(writer, "sub", claims.sub);
  WriteString(writer, "username", claims.username);
  WriteString(writer, "client_id", claims.client_id);
  WriteString(writer, "token_use", claims.token_use);
  WriteString(writer, "custom:role", claims.role);
  if (!claims.groups.empty()) {
    writer.Key("cognito:groups");
    writer.StartArray();
    for (const std::string& group : claims.groups) {
      writer.String(group.data(), static_cast<rapidjson::SizeType>(group.size()));
    }
    writer.EndArray();
  }
  WriteString(writer, "jti", claims.jti);
  writer.Key("iat");
  writer.Int64(claims.iat);
  writer.Key("exp");
  writer.Int64(claims.exp);
  if (claims.nbf) {
    writer.Key("nbf");
    writer.Int64(*claims.nbf);
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<std::string> SignJwt(std::string_view payload_json, const RsaKey& key,
                            std::string_view kid) {
  rapidjson::Document payload;
  if (!ParseJsonObject(payload_json, payload)) {
    return Error::Internal("JWT payload is not a JSON object");
  }
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("alg");
  writer.String("RS256");
  WriteString(writer, "kid", kid);
  writer.Key("typ");
  writer.String("JWT");
  writer.EndObject();
  std::string token = Base64UrlEncode(std::string_view(buffer.GetString(), buffer.GetSize()));
  token += '.';
  token += Base64UrlEncode(payload_json);
  Result<std::string> signature = key.SignRs256(token);
  if (!signature) return std::move(signature).error();
  token += '.';
  token += Base64UrlEncode(*signature);
  return token;
}

}  // namespace pcustomer
