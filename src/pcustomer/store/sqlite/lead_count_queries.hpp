#pragma once

#include <string>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/lead_counts.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

// The counters of GET /stats in table lead_counts (store/lead_counts.hpp names them).
namespace pcustomer::sqlite {

// Moves the counters by what a change from `before` to `after` does (either may be null:
// CounterDeltas). Runs inside the change's transaction.
Status CountChange(Connection& db, const Customer* before, const Customer* after);

// Every counter, day counters from `first_day` ("YYYY-MM-DD") on.
Result<LeadCounts> SelectLeadCounts(Connection& db, const std::string& first_day);

}  // namespace pcustomer::sqlite
