#pragma once

#include <string_view>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/validation/customer_validation.hpp"

namespace pcustomer {

// Parses a customer request body (ParseJsonBody's rules) into the plain form validation
// takes: its members in body order, each value as sent. kBadRequest for a body that is not
// one well-formed JSON value.
Result<SentBody> ReadSentBody(std::string_view body);

}  // namespace pcustomer
