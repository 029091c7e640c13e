#include "pcustomer/aws/cognito_error.hpp"

#include <gtest/gtest.h>

namespace pcustomer {
namespace {

HttpResponse Answer(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

HttpResponse Typed(std::string type, int status = 400) {
  return Answer(status, R"({"__type":")" + type + R"(","message":"details from Cognito"})");
}

TEST(CognitoErrorTest, ReadsTheExceptionName) {
  EXPECT_EQ(AwsErrorType(Typed("NotAuthorizedException")), "NotAuthorizedException");
  EXPECT_EQ(AwsErrorType(Typed("com.amazonaws.cognito#NotAuthorizedException")),
            "NotAuthorizedException");
  HttpResponse header_only = Answer(400, "not json");
  header_only.headers.Add("x-amzn-ErrorType", "TooManyRequestsException:http://internal/");
  EXPECT_EQ(AwsErrorType(header_only), "TooManyRequestsException");
  EXPECT_EQ(AwsErrorType(Answer(400, "{}")), "");
}

TEST(CognitoErrorTest, MapsEachTypeToOneOutcome) {
  struct Case {
    const char* type;
    ErrorCode code;
  };
  const Case cases[] = {
      {"NotAuthorizedException", ErrorCode::kUnauthorized},
      {"UserNotFoundException", ErrorCode::kUnauthorized},
      {"PasswordResetRequiredException", ErrorCode::kUnauthorized},
      {"UserNotConfirmedException", ErrorCode::kUnauthorized},
      {"InvalidPasswordException", ErrorCode::kUnauthorized},
      {"TooManyRequestsException", ErrorCode::kTooManyRequests},
      {"LimitExceededException", ErrorCode::kTooManyRequests},
      {"InvalidParameterException", ErrorCode::kBadRequest},
      {"ResourceNotFoundException", ErrorCode::kUnavailable},
      {"InternalErrorException", ErrorCode::kUnavailable},
      {"SomethingNewException", ErrorCode::kUnavailable},
      {"", ErrorCode::kUnavailable},
  };
  for (const Case& c : cases) {
    Error error = CognitoError(CognitoOperation::kSignIn, Typed(c.type));
    EXPECT_EQ(error.code, c.code) << c.type;
    EXPECT_NE(error.code, ErrorCode::kInternal) << c.type;
  }
}

TEST(CognitoErrorTest, UnknownUserAndWrongPasswordReadTheSame) {
  Error unknown_user = CognitoError(CognitoOperation::kSignIn, Typed("UserNotFoundException"));
  Error wrong_password = CognitoError(CognitoOperation::kSignIn, Typed("NotAuthorizedException"));
  EXPECT_EQ(unknown_user.message, "Incorrect username or password");
  EXPECT_EQ(wrong_password.message, unknown_user.message);
  EXPECT_EQ(CognitoError(CognitoOperation::kSignIn, Typed("UserNotConfirmedException")).message,
            unknown_user.message);
}

TEST(CognitoErrorTest, MessagesFitTheOperationAndHideCognitosText) {
  for (CognitoOperation operation : {CognitoOperation::kSignIn, CognitoOperation::kRefresh,
                                     CognitoOperation::kRevoke, CognitoOperation::kGetUser}) {
    Error error = CognitoError(operation, Typed("NotAuthorizedException"));
    EXPECT_EQ(error.code, ErrorCode::kUnauthorized);
    EXPECT_EQ(error.message.find("details from Cognito"), std::string::npos);
  }
  EXPECT_EQ(CognitoError(CognitoOperation::kRefresh, Typed("NotAuthorizedException")).message,
            "Refresh token is invalid, expired or revoked");
  EXPECT_EQ(CognitoError(CognitoOperation::kGetUser, Typed("NotAuthorizedException")).message,
            "Access token is invalid, expired or revoked");
}

TEST(CognitoErrorTest, InvalidParameterMeansAMalformedTokenForTokenOperations) {
  EXPECT_EQ(CognitoError(CognitoOperation::kSignIn, Typed("InvalidParameterException")).code,
            ErrorCode::kBadRequest);
  for (CognitoOperation operation :
       {CognitoOperation::kRefresh, CognitoOperation::kRevoke, CognitoOperation::kGetUser}) {
    EXPECT_EQ(CognitoError(operation, Typed("InvalidParameterException")).code,
              ErrorCode::kUnauthorized);
  }
}

TEST(CognitoErrorTest, ThrottlingAsksToRetryAfterOneSecond) {
  Error error = CognitoError(CognitoOperation::kSignIn, Typed("TooManyRequestsException"));
  EXPECT_EQ(error.retry_after_seconds, 1);
}

TEST(CognitoErrorTest, ServerErrorsAreUnavailableWhateverTheType) {
  for (int status : {500, 502, 503, 504}) {
    Error error = CognitoError(CognitoOperation::kSignIn, Typed("NotAuthorizedException", status));
    EXPECT_EQ(error.code, ErrorCode::kUnavailable) << status;
  }
  EXPECT_EQ(CognitoError(CognitoOperation::kSignIn, Answer(502, "<html>bad gateway</html>")).code,
            ErrorCode::kUnavailable);
}

TEST(CognitoErrorTest, OddTypeNamesAreNotEchoed) {
  Error error = CognitoError(CognitoOperation::kSignIn, Typed("<script>alert(1)</script>"));
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(error.message.find("script"), std::string::npos);
}

}  // namespace
}  // namespace pcustomer
