#pragma once

#include <string>
#include <string_view>

#include "pcustomer/aws/http_message.hpp"
#include "pcustomer/domain/error.hpp"

namespace pcustomer {

// The Cognito calls whose failures read differently to the user.
enum class CognitoOperation { kSignIn, kRefresh, kRevoke, kGetUser };

// The exception name of an AWS JSON-protocol error answer: the body's "__type", else the
// x-amzn-ErrorType header, without a namespace prefix ("...#NotAuthorizedException") or a
// suffix (":http://..."). Empty when the answer names none.
std::string AwsErrorType(const HttpResponse& response);

// What a non-2xx Cognito answer means to our caller:
// - credentials or token not accepted (NotAuthorized, UserNotFound, UserNotConfirmed,
//   PasswordResetRequired, ...) -> kUnauthorized, with one message per operation so that an
//   unknown user and a wrong password read the same;
// - throttling (TooManyRequests, LimitExceeded) -> kTooManyRequests, Retry-After 1;
// - InvalidParameterException -> kBadRequest for sign-in, kUnauthorized for the token
//   operations (the token is the only parameter, so it is malformed);
// - a missing pool or client (ResourceNotFound), any 5xx, and anything unexpected ->
//   kUnavailable: a peer's answer is never our bug, so never kInternal.
Error CognitoError(CognitoOperation operation, const HttpResponse& response);

}  // namespace pcustomer
