#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

// Round-robin assignment's turn (table assignment_turns): read and moved inside the create's
// transaction, which the writer serialises with every other process's writes.
namespace pcustomer::sqlite {

// The owner whose turn it is among `owners` (not empty), the turn moved past it.
Result<std::string> TakeTurn(Connection& db, const std::vector<std::string>& owners);

}  // namespace pcustomer::sqlite
