#include "pcustomer/api/error_response.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "pcustomer/util/utf8.hpp"

namespace pcustomer {

int HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return 400;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPreconditionFailed:
      return 412;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kUnprocessableEntity:
      return 422;
    case ErrorCode::kHeadersTooLarge:
      return 431;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kInternal:
      return 500;
    case ErrorCode::kUnavailable:
      return 503;
  }
  return 500;
}

const char* CodeNameOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return "BAD_REQUEST";
    case ErrorCode::kUnauthorized:
      return "UNAUTHORIZED";
    case ErrorCode::kForbidden:
      return "FORBIDDEN";
    case ErrorCode::kNotFound:
      return "NOT_FOUND";
    case ErrorCode::kMethodNotAllowed:
      return "METHOD_NOT_ALLOWED";
    case ErrorCode::kConflict:
      return "CONFLICT";
    case ErrorCode::kPreconditionFailed:
      return "PRECONDITION_FAILED";
    case ErrorCode::kPayloadTooLarge:
      return "PAYLOAD_TOO_LARGE";
    case ErrorCode::kUnsupportedMediaType:
      return "UNSUPPORTED_MEDIA_TYPE";
    case ErrorCode::kUnprocessableEntity:
      return "UNPROCESSABLE_ENTITY";
    case ErrorCode::kHeadersTooLarge:
      return "REQUEST_HEADER_FIELDS_TOO_LARGE";
    case ErrorCode::kTooManyRequests:
      return "TOO_MANY_REQUESTS";
    case ErrorCode::kInternal:
      return "INTERNAL_SERVER_ERROR";
    case ErrorCode::kUnavailable:
      return "SERVICE_UNAVAILABLE";
  }
  return "INTERNAL_SERVER_ERROR";
}

std::string EntityTag(int64_t version) { return "\"" + std::to_string(version) + "\""; }

Response ErrorResponse(const Error& error) {
  const bool internal = error.code == ErrorCode::kInternal;
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
  json.StartObject();
  json.Key("error");
  json.StartObject();
  json.Key("message");
  // Messages and reasons may quote what a client sent: every byte written must still be
  // well-formed UTF-8, so anything else is replaced, never passed through.
  auto text = [&json](std::string_view value) {
    std::string clean = ToWellFormedUtf8(value);
    json.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
  };
  text(internal ? "Internal server error" : error.message);
  json.Key("code");
  json.String(CodeNameOf(error.code));
  json.Key("details");
  json.StartObject();
  json.Key("reasons");
  json.StartArray();
  if (!internal) {
    for (const Reason& reason : error.reasons) {
      json.StartObject();
      json.Key("source");
      text(reason.source);
      json.Key("desc");
      text(reason.desc);
      json.EndObject();
    }
  }
  json.EndArray();
  json.EndObject();
  json.EndObject();
  json.EndObject();

  Response response;
  response.status = HttpStatusOf(error.code);
  response.body.assign(buffer.GetString(), buffer.GetSize());
  if (internal) {
    response.log_detail = error.Described();
  } else if (error.code == ErrorCode::kUnavailable) {
    response.log_detail = error.detail;
  }
  if (error.code == ErrorCode::kUnauthorized) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  if (error.code == ErrorCode::kPreconditionFailed && error.current_version > 0) {
    response.headers.emplace_back("ETag", EntityTag(error.current_version));
  }
  // A 409 that says when to retry: a request with the same Idempotency-Key still running.
  if (error.code == ErrorCode::kTooManyRequests || error.code == ErrorCode::kUnavailable ||
      (error.code == ErrorCode::kConflict && error.retry_after_seconds > 0)) {
    int seconds = error.retry_after_seconds > 0 ? error.retry_after_seconds : 1;
    response.headers.emplace_back("Retry-After", std::to_string(seconds));
  }
  return response;
}

}  // namespace pcustomer
