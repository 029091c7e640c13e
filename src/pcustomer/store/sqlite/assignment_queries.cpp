#include "pcustomer/store/sqlite/assignment_queries.hpp"

#include <sqlite3.h>

#include <utility>

#include "pcustomer/store/assignment.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"

namespace pcustomer::sqlite {
namespace {

// One turn for every lead created; teams other than sales may get turns of their own.
constexpr const char* kTurnName = "sales";

}  // namespace

Result<std::string> TakeTurn(Connection& db, const std::vector<std::string>& owners) {
  Result<Query> read = db.Prepare("SELECT next FROM assignment_turns WHERE name = ?1");
  if (!read.ok()) return std::move(read).error();
  read->Bind(1, kTurnName);
  int64_t turn = 0;
  const int rc = read->Step();
  if (rc == SQLITE_ROW) turn = read->Int64(0);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return StoreUnavailable(rc);
  Result<Query> move = db.Prepare(
      "INSERT INTO assignment_turns (name, next) VALUES (?1, ?2) "
      "ON CONFLICT (name) DO UPDATE SET next = excluded.next");
  if (!move.ok()) return std::move(move).error();
  move->Bind(1, kTurnName);
  move->Bind(2, turn + 1);
  if (int moved = move->Step(); moved != SQLITE_DONE) return StoreUnavailable(moved);
  return OwnerOfTurn(turn, owners);
}

}  // namespace pcustomer::sqlite
