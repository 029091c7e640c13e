#include "pcustomer/api/auth_routes.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>

#include "pcustomer/api/customer_json.hpp"
#include "pcustomer/api/error_response.hpp"
#include "pcustomer/api/json_body.hpp"
#include "pcustomer/auth/password_hasher.hpp"

namespace pcustomer {
namespace {

constexpr size_t kMaxTokenLength = 8 * 1024;
// Cognito usernames are at most 128 characters.
constexpr size_t kMaxUsernameLength = 128;

using Fields = std::map<std::string, std::string>;

// Reads a JSON object whose keys are `names` (all required) and any of `optional_names`,
// each a string. Every problem is reported at once, as for customers.
Result<Fields> ParseStringFields(const std::string& body, std::initializer_list<const char*> names,
                                 std::initializer_list<const char*> optional_names = {}) {
  rapidjson::Document document;
  if (Status parsed = ParseJsonBody(body, document); !parsed) return parsed.error();
  if (!document.IsObject()) return Error::BadRequest("Request body must be a JSON object");
  Fields fields;
  std::vector<Reason> reasons;
  for (auto& member : document.GetObject()) {
    std::string key(member.name.GetString(), member.name.GetStringLength());
    bool known = false;
    for (const char* name : names) known = known || key == name;
    for (const char* name : optional_names) known = known || key == name;
    if (!known) {
      reasons.push_back({key, "\"" + key + "\" is not allowed"});
    } else if (!member.value.IsString()) {
      reasons.push_back({key, key + " must be a string"});
    } else if (!fields
                    .emplace(key,
                             std::string(member.value.GetString(), member.value.GetStringLength()))
                    .second) {
      reasons.push_back({key, "\"" + key + "\" is duplicated"});
    }
  }
  for (const char* name : names) {
    bool reported = std::any_of(reasons.begin(), reasons.end(),
                                [name](const Reason& r) { return r.source == name; });
    if (!fields.count(name) && !reported)
      reasons.push_back({name, std::string(name) + " is required"});
  }
  if (!reasons.empty()) return Error::Validation(std::move(reasons));
  return fields;
}

Status CheckRefreshToken(const std::string& token) {
  if (token.empty() || token.size() > kMaxTokenLength) {
    return Error::Validation({{"refreshToken", "refreshToken must be a non-empty token"}});
  }
  return Ok{};
}

std::string TokensEnvelope(const AuthTokens& tokens) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
  json.StartObject();
  json.Key("auth");
  json.StartObject();
  json.Key("idToken");
  json.String(tokens.id_token.c_str(), static_cast<rapidjson::SizeType>(tokens.id_token.size()));
  json.Key("accessToken");
  json.String(tokens.access_token.c_str(),
              static_cast<rapidjson::SizeType>(tokens.access_token.size()));
  if (tokens.refresh_token) {
    json.Key("refreshToken");
    json.String(tokens.refresh_token->c_str(),
                static_cast<rapidjson::SizeType>(tokens.refresh_token->size()));
  }
  json.Key("expiresIn");
  json.Int64(tokens.expires_in);
  json.EndObject();
  json.EndObject();
  return DataEnvelope(std::string_view(buffer.GetString(), buffer.GetSize()));
}

// Tokens must not linger in caches.
Response NoStoreJson(std::string body) {
  Response response = JsonResponse(std::move(body));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Done<AuthTokens> ReplyTokens(Reply reply) {
  return [reply = std::move(reply)](Result<AuthTokens> tokens) {
    if (!tokens) return reply(ErrorResponse(tokens.error()));
    reply(NoStoreJson(TokensEnvelope(*tokens)));
  };
}

}  // namespace

void RegisterAuthRoutes(Router& router, IdentityProvider& identity) {
  router.Add(
      {"POST", "/auth/sign-in", Permission::kPublic, true,
       [&identity](Request request, Principal, Reply reply) {
         auto fields = ParseStringFields(request.body, {"username", "password"});
         if (!fields) return reply(ErrorResponse(fields.error()));
         std::vector<Reason> reasons;
         if (Status ok = CheckUsernameRules((*fields)["username"]); !ok) {
           reasons.insert(reasons.end(), ok.error().reasons.begin(), ok.error().reasons.end());
         }
         if (Status ok = CheckPasswordRules((*fields)["password"]); !ok) {
           reasons.insert(reasons.end(), ok.error().reasons.begin(), ok.error().reasons.end());
         }
         if (!reasons.empty()) return reply(ErrorResponse(Error::Validation(std::move(reasons))));
         identity.SignIn(std::move((*fields)["username"]), std::move((*fields)["password"]),
                         request.client_address, ReplyTokens(std::move(reply)));
       }});
  router.Add({"POST", "/auth/refresh-tokens", Permission::kPublic, true,
              [&identity](Request request, Principal, Reply reply) {
                auto fields = ParseStringFields(request.body, {"refreshToken"}, {"username"});
                if (!fields) return reply(ErrorResponse(fields.error()));
                if (Status ok = CheckRefreshToken((*fields)["refreshToken"]); !ok)
                  return reply(ErrorResponse(ok.error()));
                std::optional<std::string> username;
                if (auto given = fields->find("username"); given != fields->end()) {
                  if (given->second.empty() || given->second.size() > kMaxUsernameLength) {
                    return reply(ErrorResponse(
                        Error::Validation({{"username", "username must be 1 to 128 characters"}})));
                  }
                  username = std::move(given->second);
                }
                identity.Refresh(std::move((*fields)["refreshToken"]), std::move(username),
                                 ReplyTokens(std::move(reply)));
              }});
  router.Add({"POST", "/auth/sign-out", Permission::kPublic, true,
              [&identity](Request request, Principal, Reply reply) {
                auto fields = ParseStringFields(request.body, {"refreshToken"});
                if (!fields) return reply(ErrorResponse(fields.error()));
                if (Status ok = CheckRefreshToken((*fields)["refreshToken"]); !ok)
                  return reply(ErrorResponse(ok.error()));
                identity.SignOut(std::move((*fields)["refreshToken"]),
                                 [reply = std::move(reply)](Status signed_out) {
                                   if (!signed_out) return reply(ErrorResponse(signed_out.error()));
                                   reply(NoStoreJson(DataEnvelope("true")));
                                 });
              }});
  router.Add({"GET", "/.well-known/jwks.json", Permission::kPublic, false,
              [&identity](Request, Principal, Reply reply) {
                std::optional<std::string> jwks = identity.PublicJwks();
                if (!jwks)
                  return reply(ErrorResponse(Error::NotFound(
                      "This server does not sign tokens; see the identity provider")));
                Response response;
                response.body = std::move(*jwks);
                response.headers.emplace_back("Cache-Control", "public, max-age=300");
                reply(std::move(response));
              }});
}

}  // namespace pcustomer
