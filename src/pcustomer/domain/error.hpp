#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pcustomer {

// The outcomes a caller can expect and act on. Each maps to exactly one HTTP status in
// http/error_response.cpp; nothing else decides statuses.
enum class ErrorCode {
  kBadRequest,
  kUnauthorized,
  kForbidden,
  kNotFound,
  kMethodNotAllowed,
  kConflict,
  kPreconditionFailed,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kUnprocessableEntity,
  kHeadersTooLarge,
  kTooManyRequests,
  kInternal,
  kUnavailable,
};

// One reason an operation failed, e.g. one bad field: {"source": "phone", "desc": "..."}.
struct Reason {
  std::string source;
  std::string desc;
  bool operator==(const Reason&) const = default;
};

// An expected failure, carried as a value. `message` is safe to show to clients.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<Reason> reasons;
  int retry_after_seconds = 0;  // for kTooManyRequests and kUnavailable; 0 = not set
  // For kPreconditionFailed: the version the lead has now (answered as its ETag); 0 = none.
  int64_t current_version = 0;
  // What a driver or peer said (SQLite's error text, a DynamoDB exception message): written
  // to the log with the answer, never sent, since it can describe internals.
  std::string detail = {};

  // The message with what the driver or peer said: for operators (the log, the command
  // line), never for clients.
  std::string Described() const { return detail.empty() ? message : message + " (" + detail + ")"; }

  static Error BadRequest(std::string message, std::vector<Reason> reasons = {}) {
    return {ErrorCode::kBadRequest, std::move(message), std::move(reasons)};
  }
  static Error Validation(std::vector<Reason> reasons) {
    return {ErrorCode::kBadRequest, "Validation failed", std::move(reasons)};
  }
  static Error Unauthorized(std::string message) {
    return {ErrorCode::kUnauthorized, std::move(message), {}};
  }
  static Error Forbidden(std::string message, std::vector<Reason> reasons = {}) {
    return {ErrorCode::kForbidden, std::move(message), std::move(reasons)};
  }
  static Error NotFound(std::string message) {
    return {ErrorCode::kNotFound, std::move(message), {}};
  }
  static Error Conflict(std::string message, std::vector<Reason> reasons = {}) {
    return {ErrorCode::kConflict, std::move(message), std::move(reasons)};
  }
  static Error TooManyRequests(std::string message, int retry_after_seconds) {
    return {ErrorCode::kTooManyRequests, std::move(message), {}, retry_after_seconds};
  }
  // The store or a peer is down or overloaded; the client may retry later.
  static Error Unavailable(std::string message, int retry_after_seconds = 1) {
    return {ErrorCode::kUnavailable, std::move(message), {}, retry_after_seconds};
  }
  // The store or a peer failed in a way its own words describe: clients read `message`, the
  // log gets `what_the_peer_said` too.
  static Error Unavailable(std::string message, std::string what_the_peer_said,
                           int retry_after_seconds) {
    Error error{ErrorCode::kUnavailable, std::move(message), {}, retry_after_seconds};
    error.detail = std::move(what_the_peer_said);
    return error;
  }
  // The contract's texts for potential customers, the same from every store.
  static Error CustomerNotFound() { return NotFound("Potential customer not found"); }
  static Error NotInTrash() { return NotFound("Potential customer not found in the trash"); }
  // Another customer, `holder_id`, holds the phone.
  static Error PhoneTaken(std::string holder_id) {
    return Conflict("Phone number is already used by another potential customer",
                    {{"phone", std::move(holder_id)}});
  }
  // The lead is at `current_version`, not at the version the write was conditioned on.
  static Error VersionMismatch(int64_t current_version) {
    Error error{ErrorCode::kPreconditionFailed,
                "The potential customer has changed since that version",
                {}};
    error.current_version = current_version;
    return error;
  }
  // A bug. The message is logged, never sent: clients get a generic text.
  static Error Internal(std::string message) {
    return {ErrorCode::kInternal, std::move(message), {}};
  }
};

}  // namespace pcustomer
