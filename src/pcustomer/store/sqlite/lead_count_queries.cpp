#include "pcustomer/store/sqlite/lead_count_queries.hpp"

#include <sqlite3.h>

#include <utility>

#include "pcustomer/store/lead_counts.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"

namespace pcustomer::sqlite {

Status CountChange(Connection& db, const Customer* before, const Customer* after) {
  for (const CounterDelta& change : CounterDeltas(before, after)) {
    Result<Query> add = db.Prepare(
        "INSERT INTO lead_counts (name, count) VALUES (?1, ?2) "
        "ON CONFLICT (name) DO UPDATE SET count = count + excluded.count");
    if (!add.ok()) return std::move(add).error();
    add->Bind(1, change.name);
    add->Bind(2, change.delta);
    if (int rc = add->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  }
  return Ok{};
}

Result<LeadCounts> SelectLeadCounts(Connection& db, const std::string& first_day) {
  // Every name from "day#" up to first_day's counter is an earlier day's counter.
  Result<Query> query = db.Prepare(
      "SELECT name, count FROM lead_counts "
      "WHERE count != 0 AND NOT (name >= 'day#' AND name < ?1)");
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, DayCounter(first_day));
  LeadCounts counts;
  int rc = SQLITE_OK;
  while ((rc = query->Step()) == SQLITE_ROW) AddCounter(counts, query->Text(0), query->Int64(1));
  if (rc != SQLITE_DONE) return StoreUnavailable(rc);
  return counts;
}

}  // namespace pcustomer::sqlite
