#pragma once

#include <string>
#include <vector>

#include "pcustomer/domain/batch.hpp"
#include "pcustomer/domain/history.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

namespace pcustomer::sqlite {

// Writes the batch inside the writer's transaction (so one commit makes all of it durable),
// each item in a savepoint of its own: a refused item leaves nothing and the others stand.
// Fails as a whole (the caller rolls back) only when SQLite itself fails, e.g. on a full disk.
Result<std::vector<BatchItemResult>> WriteBatch(Connection& db, CustomerIdGenerator& ids,
                                                const std::vector<NewCustomer>& items,
                                                BatchMode mode, const std::string& now,
                                                const Actor& by);

}  // namespace pcustomer::sqlite
