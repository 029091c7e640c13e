#include "pcustomer/aws/dynamodb_error.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include "pcustomer/aws/cognito_error.hpp"

namespace pcustomer {

namespace {

bool IsOneOf(std::string_view type, std::initializer_list<std::string_view> names) {
  return std::ranges::find(names, type) != names.end();
}

// The answer's "message" (DynamoDB) or "Message" (some front ends and emulators).
std::string ServiceMessage(const rapidjson::Document& document) {
  if (!document.IsObject()) return {};
  for (const char* name : {"message", "Message"}) {
    auto member = document.FindMember(name);
    if (member != document.MemberEnd() && member->value.IsString()) {
      return std::string(member->value.GetString(), member->value.GetStringLength());
    }
  }
  return {};
}

// One code per transaction item, in request order; an item without one was not the cause.
std::vector<std::string> CancellationCodes(const rapidjson::Document& document) {
  std::vector<std::string> codes;
  if (!document.IsObject()) return codes;
  auto list = document.FindMember("CancellationReasons");
  if (list == document.MemberEnd() || !list->value.IsArray()) return codes;
  for (const rapidjson::Value& item : list->value.GetArray()) {
    std::string code = "None";
    if (item.IsObject()) {
      auto member = item.FindMember("Code");
      if (member != item.MemberEnd() && member->value.IsString()) code = member->value.GetString();
    }
    codes.push_back(std::move(code));
  }
  return codes;
}

// Only a plain exception name goes into a message; an odd one is left out rather than echoed.
bool IsPlainName(std::string_view type) {
  return !type.empty() && type.size() <= 64 && std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

std::string Described(std::string_view type, int status) {
  return "HTTP " + std::to_string(status) + (IsPlainName(type) ? " " + std::string(type) : "");
}

}  // namespace

DynamoDbAnswerError DynamoDbErrorFor(const HttpResponse& response, std::string_view table) {
  const std::string type = AwsErrorType(response);
  rapidjson::Document document;
  document.Parse(response.body.data(), response.body.size());

  if (type == kConditionalCheckFailed) {
    return {DynamoDbCallError::ConditionFailed(std::string(kConditionalCheckFailed)), false, false};
  }
  if (type == "TransactionCanceledException") {
    return {DynamoDbCallError::ConditionFailed("TransactionCanceledException",
                                               CancellationCodes(document)),
            false, false};
  }
  // Refused before any work was done: retrying is safe.
  if (IsOneOf(type, {"ProvisionedThroughputExceededException", "ThrottlingException",
                     "RequestLimitExceeded"})) {
    return {DynamoDbCallError::Throttled("DynamoDB is throttling requests (" + type + ")"), true,
            false};
  }
  if (response.status >= 500 || IsOneOf(type, {"InternalServerError", "ServiceUnavailable"})) {
    return {DynamoDbCallError::Unavailable("DynamoDB failed (" + Described(type, response.status) +
                                           ")"),
            true, true};
  }
  if (type == "ResourceNotFoundException") {
    return {
        DynamoDbCallError::TableMissing("DynamoDB table \"" + std::string(table) + "\" not found"),
        false, false};
  }
  if (type == "UnknownOperationException") {
    return {
        DynamoDbCallError::UnknownOperation("The DynamoDB endpoint does not know this operation (" +
                                            Described(type, response.status) + ")"),
        false, false};
  }
  if (IsOneOf(type, {"UnrecognizedClientException", "InvalidSignatureException",
                     "AccessDeniedException", "MissingAuthenticationToken",
                     "MissingAuthenticationTokenException", "IncompleteSignatureException",
                     "InvalidClientTokenId", "ExpiredTokenException", "SignatureDoesNotMatch"})) {
    return {DynamoDbCallError::Unavailable("DynamoDB refused the AWS credentials (" + type +
                                           "): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                                           "AWS_PROFILE or the instance role, and the clock"),
            false, false};
  }
  if (response.status >= 400) {
    std::string message = ServiceMessage(document);
    if (message.empty())
      message = "DynamoDB rejected the request (" + Described(type, response.status) + ")";
    return {DynamoDbCallError::Validation(std::move(message)), false, false};
  }
  return {DynamoDbCallError::Unavailable("DynamoDB answered unexpectedly (" +
                                         Described(type, response.status) + ")"),
          false, false};
}

}  // namespace pcustomer
