#pragma once

#include <cstdint>
#include <string>

#include "pcustomer/api/exchange.hpp"
#include "pcustomer/domain/error.hpp"

namespace pcustomer {

// The one place that turns an Error into an HTTP response: status, the error envelope
// {"error": {"message", "code", "details": {"reasons": [...]}}} and the headers the status
// calls for (Retry-After, WWW-Authenticate, the current ETag of a 412). Internal errors never
// show their message.
Response ErrorResponse(const Error& error);

// The ETag of a lead at `version` (CONTRACT.md section 8): the version in double quotes.
std::string EntityTag(int64_t version);

int HttpStatusOf(ErrorCode code);
const char* CodeNameOf(ErrorCode code);

}  // namespace pcustomer
