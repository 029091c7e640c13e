#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/trash.hpp"

namespace pcustomer {

// {"data": <customer>}
std::string CustomerEnvelope(const Customer& customer);

// {"data": [...], "meta": {"size", "limit", "lastKey"}}
std::string PageEnvelope(const CustomerPage& page, int limit,
                         const std::optional<std::string>& cursor);
// The same with `meta.total` when `total` is set (a search's withTotal).
std::string PageEnvelope(const std::vector<Customer>& items, int limit,
                         const std::optional<std::string>& cursor, std::optional<int64_t> total);

// {"data": [<customer with "deletedAt" and "deletedBy">, ...], "meta": {"size", "limit",
// "lastKey"}}: a page of the trash.
std::string TrashPageEnvelope(const TrashPage& page, int limit,
                              const std::optional<std::string>& cursor);

// {"data": <JSON literal or object text>}; `json` must already be valid JSON.
std::string DataEnvelope(std::string_view json);

}  // namespace pcustomer
