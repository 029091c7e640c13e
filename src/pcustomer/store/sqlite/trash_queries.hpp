#pragma once

#include <string>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/history.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/domain/trash.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

// The SQL of the trash (the `trash` table, schema.cpp): a trashed lead moves there from
// `customers` with its search rows removed, and back on restore, each move with its history
// entry in the writer's transaction. Reads run on any connection.
namespace pcustomer::sqlite {

// Moves the lead to the trash at the next version, trashed at `now` by `by`. kNotFound when
// `id` is not a lead; kPreconditionFailed when `expected` is set and the lead is at another
// version.
Status TrashCustomer(Connection& db, const std::string& id, ExpectedVersion expected,
                     const std::string& now, const Actor& by);

// Newest deletion first, after `request.after`.
Result<TrashPage> SelectTrashPage(Connection& db, const TrashPageRequest& request);

// Brings the trashed lead back at the next version. kNotFound when it is not in the trash;
// kPreconditionFailed as TrashCustomer; kConflict naming the holder when its phone was taken
// meanwhile (it stays in the trash).
Result<Customer> RestoreCustomer(Connection& db, const std::string& id, ExpectedVersion expected,
                                 const std::string& now, const Actor& by);

// Erases the trashed lead and its history for good; kNotFound when it is not in the trash.
Status EraseTrashed(Connection& db, const std::string& id);

// Erases up to `limit` leads trashed before `cutoff` (ISO time), oldest first; answers how many.
Result<int> EraseTrashedBefore(Connection& db, const std::string& cutoff, int limit);

}  // namespace pcustomer::sqlite
