#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/history.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

// The SQL of the customer store, one function per operation, each mapping SQLite's outcome
// to the store's errors where it happens. Writes expect to run inside the writer's
// transaction (their reads then see the transaction's own changes); reads run on any
// connection. kUnavailable on any SQLite failure beyond those named.
namespace pcustomer::sqlite {

// Inserts the whole `row` with its name key and search index rows: SQLITE_DONE, or
// SQLITE_CONSTRAINT_PRIMARYKEY when its id is taken (nothing written); kConflict naming the
// holder when the phone is taken.
Result<int> InsertCustomerRow(Connection& db, const Customer& row);

// Inserts `customer` under a fresh id from `ids`, never replacing a row, with its history
// entry (created by `by`). When another process took the id, tries later ids. kConflict
// naming the holder when the phone is taken.
Result<Customer> InsertCustomer(Connection& db, CustomerIdGenerator& ids,
                                const NewCustomer& customer, const Actor& by);

// Applies the present fields of `patch` at the next version, changed at `now` (ISO time) by
// `by`, with its history entry.
// kNotFound when `id` is missing; kPreconditionFailed when `expected` is set and the row is
// at another version; kConflict naming the holder when the new phone belongs to another
// customer.
Result<Customer> UpdateCustomer(Connection& db, const std::string& id, const CustomerPatch& patch,
                                ExpectedVersion expected, const std::string& now, const Actor& by);

// kNotFound when `id` is missing.
Result<Customer> SelectCustomer(Connection& db, const std::string& id);

Result<std::optional<Customer>> SelectCustomerByPhone(Connection& db, const std::string& phone);

// Keyset page: ids greater than `request.after_id`, ascending. Reads one row beyond the
// limit to know whether another page follows.
Result<CustomerPage> SelectCustomerPage(Connection& db, const PageRequest& request);

// Rewrites the readiness row: fails as a customer write would (disk full, read-only file).
Status WriteReadinessProbe(Connection& db, int64_t now_millis);

}  // namespace pcustomer::sqlite
