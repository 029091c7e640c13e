#pragma once

#include <string>
#include <string_view>

namespace pcustomer {

// The id to answer with: a sane incoming X-Request-Id (1..128 of [A-Za-z0-9._-]) is kept
// so callers can follow a request across services; anything else is replaced by a fresh id.
std::string ChooseRequestId(std::string_view incoming);

}  // namespace pcustomer
