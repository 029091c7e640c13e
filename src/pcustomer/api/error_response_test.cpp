#include "pcustomer/api/error_response.hpp"

#include <gtest/gtest.h>

namespace pcustomer {
namespace {

std::string HeaderOf(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST(ErrorResponse, MapsEveryCodeToItsStatusAndName) {
  struct Case {
    ErrorCode code;
    int status;
    const char* name;
  };
  const Case cases[] = {
      {ErrorCode::kBadRequest, 400, "BAD_REQUEST"},
      {ErrorCode::kUnauthorized, 401, "UNAUTHORIZED"},
      {ErrorCode::kForbidden, 403, "FORBIDDEN"},
      {ErrorCode::kNotFound, 404, "NOT_FOUND"},
      {ErrorCode::kMethodNotAllowed, 405, "METHOD_NOT_ALLOWED"},
      {ErrorCode::kConflict, 409, "CONFLICT"},
      {ErrorCode::kPreconditionFailed, 412, "PRECONDITION_FAILED"},
      {ErrorCode::kPayloadTooLarge, 413, "PAYLOAD_TOO_LARGE"},
      {ErrorCode::kUnsupportedMediaType, 415, "UNSUPPORTED_MEDIA_TYPE"},
      {ErrorCode::kUnprocessableEntity, 422, "UNPROCESSABLE_ENTITY"},
      {ErrorCode::kHeadersTooLarge, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE"},
      {ErrorCode::kTooManyRequests, 429, "TOO_MANY_REQUESTS"},
      {ErrorCode::kInternal, 500, "INTERNAL_SERVER_ERROR"},
      {ErrorCode::kUnavailable, 503, "SERVICE_UNAVAILABLE"},
  };
  for (const Case& c : cases) {
    Response response = ErrorResponse(Error{c.code, "m", {}});
    EXPECT_EQ(response.status, c.status);
    EXPECT_NE(response.body.find(std::string("\"code\":\"") + c.name + "\""), std::string::npos);
    EXPECT_EQ(response.content_type, "application/json");
  }
}

TEST(ErrorResponse, AVersionMismatchCarriesTheCurrentETag) {
  Response response = ErrorResponse(Error::VersionMismatch(7));
  EXPECT_EQ(response.status, 412);
  EXPECT_EQ(response.headers, (std::vector<Header>{{"ETag", "\"7\""}}));
}

TEST(ErrorResponse, RendersTheEnvelopeWithReasons) {
  Response response = ErrorResponse(Error::Validation({{"phone", "bad \"quote\""}}));
  EXPECT_EQ(
      response.body,
      R"({"error":{"message":"Validation failed","code":"BAD_REQUEST","details":{"reasons":[{"source":"phone","desc":"bad \"quote\""}]}}})");
}

TEST(ErrorResponse, HidesInternalDetails) {
  Response response =
      ErrorResponse(Error{ErrorCode::kInternal, "sqlite said /secret/path", {{"x", "y"}}});
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
  EXPECT_EQ(response.body.find("\"x\""), std::string::npos);
}

TEST(ErrorResponse, AddsTheHeadersTheStatusNeeds) {
  EXPECT_EQ(HeaderOf(ErrorResponse(Error::Unauthorized("no")), "WWW-Authenticate"), "Bearer");
  EXPECT_EQ(HeaderOf(ErrorResponse(Error::Unavailable("busy", 3)), "Retry-After"), "3");
  EXPECT_EQ(HeaderOf(ErrorResponse(Error::TooManyRequests("slow", 0)), "Retry-After"), "1");
  EXPECT_EQ(HeaderOf(ErrorResponse(Error::NotFound("no")), "Retry-After"), "");
}

}  // namespace
}  // namespace pcustomer
