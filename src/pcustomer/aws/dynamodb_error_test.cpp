#include "pcustomer/aws/dynamodb_error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pcustomer {
namespace {

using ::testing::HasSubstr;

HttpResponse Answer(int status, std::string type, std::string message = "") {
  HttpResponse response;
  response.status = status;
  response.body = R"({"__type":")" + type + R"(","message":")" + message + R"("})";
  return response;
}

struct Case {
  int status;
  const char* type;
  ErrorCode code;
  bool retryable;
  bool outcome_unknown;
};

TEST(DynamoDbErrorTest, MapsEachKindOfAnswer) {
  const Case cases[] = {
      {400, "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
       ErrorCode::kConflict, false, false},
      {400, "com.amazonaws.dynamodb.v20120810#TransactionCanceledException", ErrorCode::kConflict,
       false, false},
      {400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
       ErrorCode::kUnavailable, true, false},
      {400, "com.amazon.coral.availability#ThrottlingException", ErrorCode::kUnavailable, true,
       false},
      {400, "com.amazonaws.dynamodb.v20120810#RequestLimitExceeded", ErrorCode::kUnavailable, true,
       false},
      {500, "com.amazonaws.dynamodb.v20120810#InternalServerError", ErrorCode::kUnavailable, true,
       true},
      {503, "com.amazon.coral.availability#ServiceUnavailableException", ErrorCode::kUnavailable,
       true, true},
      {502, "", ErrorCode::kUnavailable, true, true},
      {400, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", ErrorCode::kUnavailable,
       false, false},
      {400, "com.amazon.coral.service#UnrecognizedClientException", ErrorCode::kUnavailable, false,
       false},
      {400, "com.amazon.coral.service#InvalidSignatureException", ErrorCode::kUnavailable, false,
       false},
      {400, "com.amazon.coral.service#AccessDeniedException", ErrorCode::kUnavailable, false,
       false},
      {403, "MissingAuthenticationTokenException", ErrorCode::kUnavailable, false, false},
      {400, "com.amazon.coral.validate#ValidationException", ErrorCode::kBadRequest, false, false},
      {400, "com.amazonaws.dynamodb.v20120810#ItemCollectionSizeLimitExceededException",
       ErrorCode::kBadRequest, false, false},
      {413, "", ErrorCode::kBadRequest, false, false},
      {302, "", ErrorCode::kUnavailable, false, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.status) + " " + c.type);
    DynamoDbFailure failure = DynamoDbErrorFor(Answer(c.status, c.type), "pcustomers");
    EXPECT_EQ(failure.error.code, c.code);
    EXPECT_EQ(failure.retryable, c.retryable);
    EXPECT_EQ(failure.outcome_unknown, c.outcome_unknown);
  }
}

TEST(DynamoDbErrorTest, Messages) {
  EXPECT_EQ(DynamoDbErrorFor(Answer(400, "x#ConditionalCheckFailedException"), "t").error.message,
            "ConditionalCheckFailedException");
  EXPECT_EQ(
      DynamoDbErrorFor(Answer(400, "x#ResourceNotFoundException", "Requested resource not found"),
                       "pcustomers")
          .error.message,
      "DynamoDB table \"pcustomers\" not found");
  EXPECT_EQ(DynamoDbErrorFor(Answer(400, "x#ValidationException",
                                    "Item size has exceeded the maximum allowed size"),
                             "t")
                .error.message,
            "Item size has exceeded the maximum allowed size");
  // The service's text about refused credentials holds ARNs: it stays out.
  Error refused = DynamoDbErrorFor(Answer(400, "x#AccessDeniedException",
                                          "User: arn:aws:iam::123456789012:user/x is not "
                                          "authorized"),
                                   "t")
                      .error;
  EXPECT_THAT(refused.message, HasSubstr("AccessDeniedException"));
  EXPECT_THAT(refused.message, HasSubstr("AWS_ACCESS_KEY_ID"));
  EXPECT_THAT(refused.message, ::testing::Not(HasSubstr("123456789012")));
  // An odd exception name is not echoed.
  EXPECT_EQ(DynamoDbErrorFor(Answer(500, "<script>"), "t").error.message,
            "DynamoDB failed (HTTP 500)");
}

TEST(DynamoDbErrorTest, TransactionCancellationReasonsAreKept) {
  HttpResponse response;
  response.status = 400;
  response.body =
      R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
      R"("Message":"Transaction cancelled","CancellationReasons":[{"Code":"None"},)"
      R"({"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]})";
  Error error = DynamoDbErrorFor(response, "t").error;
  EXPECT_EQ(error.code, ErrorCode::kConflict);
  EXPECT_EQ(error.message, "TransactionCanceledException");
  EXPECT_EQ(error.reasons,
            (std::vector<Reason>{{"CancellationReasons[0]", "None"},
                                 {"CancellationReasons[1]", "ConditionalCheckFailed"}}));
}

}  // namespace
}  // namespace pcustomer
