#pragma once

#include "pcustomer/api/exchange.hpp"
#include "pcustomer/domain/error.hpp"

namespace pcustomer {

// The one place that turns an Error into an HTTP response: status, the error envelope
// {"error": {"message", "code", "details": {"reasons": [...]}}} and the headers the status
// calls for (Retry-After, WWW-Authenticate). Internal errors never show their message.
Response ErrorResponse(const Error& error);

int HttpStatusOf(ErrorCode code);
const char* CodeNameOf(ErrorCode code);

}  // namespace pcustomer
