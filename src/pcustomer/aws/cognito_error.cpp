#include "pcustomer/aws/cognito_error.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <initializer_list>
#include <optional>

namespace pcustomer {

namespace {

std::string_view StripNamespaceAndSuffix(std::string_view type) {
  if (size_t hash = type.rfind('#'); hash != std::string_view::npos) type.remove_prefix(hash + 1);
  if (size_t colon = type.find(':'); colon != std::string_view::npos) type = type.substr(0, colon);
  return type;
}

bool IsOneOf(std::string_view type, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (type == name) return true;
  }
  return false;
}

std::string_view UnauthorizedMessage(CognitoOperation operation) {
  switch (operation) {
    case CognitoOperation::kSignIn:
      return "Incorrect username or password";
    case CognitoOperation::kRefresh:
    case CognitoOperation::kRevoke:
      return "Refresh token is invalid, expired or revoked";
    case CognitoOperation::kGetUser:
      return "Access token is invalid, expired or revoked";
  }
  return "Not authorized";
}

// Only a plain exception name goes into a message; an odd one is left out rather than echoed.
bool IsPlainName(std::string_view type) {
  return !type.empty() && type.size() <= 64 && std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

}  // namespace

std::string AwsErrorType(const HttpResponse& response) {
  rapidjson::Document document;
  document.Parse(response.body.data(), response.body.size());
  if (!document.HasParseError() && document.IsObject()) {
    auto type = document.FindMember("__type");
    if (type != document.MemberEnd() && type->value.IsString()) {
      return std::string(StripNamespaceAndSuffix(
          std::string_view(type->value.GetString(), type->value.GetStringLength())));
    }
  }
  if (std::optional<std::string_view> header = response.headers.Find("x-amzn-ErrorType")) {
    return std::string(StripNamespaceAndSuffix(*header));
  }
  return {};
}

Error CognitoError(CognitoOperation operation, const HttpResponse& response) {
  if (response.status >= 500) {
    return Error::Unavailable("Cognito is unavailable (HTTP " + std::to_string(response.status) +
                              ")");
  }
  const std::string type = AwsErrorType(response);
  // UserNotFound is folded into the same answer as a wrong password so that sign-in does not
  // reveal which usernames exist. InvalidPasswordException is what cognito-local answers for
  // a wrong password; Cognito itself uses it only for password policy, which no operation
  // here sets.
  if (IsOneOf(type, {"NotAuthorizedException", "UserNotFoundException",
                     "PasswordResetRequiredException", "UserNotConfirmedException",
                     "InvalidPasswordException", "UnsupportedTokenTypeException"})) {
    return Error::Unauthorized(std::string(UnauthorizedMessage(operation)));
  }
  if (IsOneOf(type, {"TooManyRequestsException", "LimitExceededException"})) {
    return Error::TooManyRequests("Too many requests to the identity provider; retry shortly", 1);
  }
  if (type == "InvalidParameterException") {
    // For the token operations the only parameter is the token, so this means a malformed
    // token (cognito-local's answer to one), which clients must see as 401 like any bad token.
    if (operation != CognitoOperation::kSignIn) {
      return Error::Unauthorized(std::string(UnauthorizedMessage(operation)));
    }
    return Error::BadRequest("The identity provider rejected the request as invalid");
  }
  if (type == "ResourceNotFoundException") {
    return Error::Unavailable("Cognito user pool or app client not found");
  }
  return Error::Unavailable("Cognito answered unexpectedly (HTTP " +
                            std::to_string(response.status) +
                            (IsPlainName(type) ? " " + type : std::string()) + ")");
}

}  // namespace pcustomer
