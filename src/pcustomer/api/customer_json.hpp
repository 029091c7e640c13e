#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/domain/customer.hpp"

namespace pcustomer {

// {"data": <customer>}
std::string CustomerEnvelope(const Customer& customer);

// {"data": [...], "meta": {"size", "limit", "lastKey"}}
std::string PageEnvelope(const CustomerPage& page, int limit, const std::optional<std::string>& cursor);

// {"data": <JSON literal or object text>}; `json` must already be valid JSON.
std::string DataEnvelope(std::string_view json);

}  // namespace pcustomer
