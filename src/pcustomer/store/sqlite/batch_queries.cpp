#include "pcustomer/store/sqlite/batch_queries.hpp"

#include <sqlite3.h>

#include <utility>

#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/store/sqlite/customer_queries.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"

namespace pcustomer::sqlite {
namespace {

// Under upsert, the lead holding the item's phone takes the item's fields.
BatchItemResult WriteItem(Connection& db, CustomerIdGenerator& ids, const NewCustomer& item,
                          BatchMode mode, const std::string& now, const Actor& by) {
  if (mode == BatchMode::kUpsert) {
    Result<std::optional<Customer>> holder = SelectCustomerByPhone(db, item.phone);
    if (!holder.ok()) return BatchItemResult(std::move(holder).error());
    if (holder->has_value()) {
      const Customer& stored = **holder;
      CustomerPatch patch = DifferencesFrom(stored, item);
      if (patch.empty()) return BatchItemResult(stored, false);
      return BatchItemResult(UpdateCustomer(db, stored.id, patch, {}, now, by), false);
    }
  }
  return BatchItemResult(InsertCustomer(db, ids, item, by));
}

}  // namespace

Result<std::vector<BatchItemResult>> WriteBatch(Connection& db, CustomerIdGenerator& ids,
                                                const std::vector<NewCustomer>& items,
                                                BatchMode mode, const std::string& now,
                                                const Actor& by) {
  std::vector<BatchItemResult> results;
  results.reserve(items.size());
  for (const NewCustomer& item : items) {
    if (int rc = db.ExecuteCached("SAVEPOINT item"); rc != SQLITE_OK) return StoreUnavailable(rc);
    BatchItemResult result = WriteItem(db, ids, item, mode, now, by);
    // SQLite may have rolled the whole transaction back by itself (I/O error, full disk):
    // then no item stands, and the batch fails as one.
    if (!db.InTransaction()) {
      return result.outcome.ok() ? Error::Unavailable("Customer store unavailable")
                                 : std::move(result.outcome).error();
    }
    if (!result.outcome.ok()) {
      if (result.outcome.error().code == ErrorCode::kUnavailable) {
        return std::move(result.outcome).error();
      }
      if (int rc = db.ExecuteCached("ROLLBACK TO item"); rc != SQLITE_OK) {
        return StoreUnavailable(rc);
      }
    }
    if (int rc = db.ExecuteCached("RELEASE item"); rc != SQLITE_OK) return StoreUnavailable(rc);
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace pcustomer::sqlite
