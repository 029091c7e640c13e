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

using enum DynamoDbFailure;

struct Case {
  int status;
  const char* type;
  DynamoDbFailure kind;
  bool retryable;
  bool outcome_unknown;
};

TEST(DynamoDbErrorTest, MapsEachKindOfAnswer) {
  const Case cases[] = {
      {400, "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", kConditionFailed,
       false, false},
      {400, "com.amazonaws.dynamodb.v20120810#TransactionCanceledException", kConditionFailed,
       false, false},
      {400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", kThrottled,
       true, false},
      {400, "com.amazon.coral.availability#ThrottlingException", kThrottled, true, false},
      {400, "com.amazonaws.dynamodb.v20120810#RequestLimitExceeded", kThrottled, true, false},
      {500, "com.amazonaws.dynamodb.v20120810#InternalServerError", kUnavailable, true, true},
      {503, "com.amazon.coral.availability#ServiceUnavailableException", kUnavailable, true, true},
      {502, "", kUnavailable, true, true},
      {400, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", kTableMissing, false,
       false},
      {400, "com.amazon.coral.service#UnrecognizedClientException", kUnavailable, false, false},
      {400, "com.amazon.coral.service#InvalidSignatureException", kUnavailable, false, false},
      {400, "com.amazon.coral.service#AccessDeniedException", kUnavailable, false, false},
      {403, "MissingAuthenticationTokenException", kUnavailable, false, false},
      {400, "com.amazon.coral.validate#ValidationException", kValidation, false, false},
      {400, "com.amazonaws.dynamodb.v20120810#ItemCollectionSizeLimitExceededException",
       kValidation, false, false},
      {413, "", kValidation, false, false},
      // dynalite's answer to TransactWriteItems, which it lacks.
      {400, "com.amazon.coral.service#UnknownOperationException", kUnknownOperation, false, false},
      {302, "", kUnavailable, false, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.status) + " " + c.type);
    DynamoDbAnswerError failure = DynamoDbErrorFor(Answer(c.status, c.type), "pcustomers");
    EXPECT_EQ(failure.error.kind, c.kind);
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
  DynamoDbCallError refused =
      DynamoDbErrorFor(Answer(400, "x#AccessDeniedException",
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
  DynamoDbCallError error = DynamoDbErrorFor(response, "t").error;
  EXPECT_EQ(error.kind, DynamoDbFailure::kConditionFailed);
  EXPECT_EQ(error.message, "TransactionCanceledException");
  EXPECT_EQ(error.cancellation_codes, (std::vector<std::string>{"None", "ConditionalCheckFailed"}));
}

}  // namespace
}  // namespace pcustomer
