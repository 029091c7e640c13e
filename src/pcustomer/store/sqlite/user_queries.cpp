#include "pcustomer/store/sqlite/user_queries.hpp"

#include <sqlite3.h>

#include <utility>

#include "pcustomer/store/sqlite/sqlite_error.hpp"

namespace pcustomer::sqlite {
namespace {

constexpr const char* kUserColumns =
    "SELECT username, password_hash, role, team, disabled, created_at FROM users ";

User ReadUser(const Query& row) {
  return {row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Int64(4) != 0, row.Int64(5)};
}

Error UsernameTaken(Connection& db, const User& user) {
  Result<std::optional<User>> holder = SelectUser(db, user.username);
  if (!holder.ok()) return std::move(holder).error();
  if (!holder->has_value()) {
    return Error::Internal("username uniqueness failed without a row holding the username");
  }
  return Error::Conflict("Username is already taken", {{"username", (*holder)->username}});
}

}  // namespace

Status InsertUser(Connection& db, const User& user) {
  {
    Result<Query> insert = db.Prepare(
        "INSERT INTO users (username_key, username, password_hash, role, team, disabled, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!insert.ok()) return std::move(insert).error();
    insert->Bind(1, UsernameKey(user.username));
    insert->Bind(2, user.username);
    insert->Bind(3, user.password_hash);
    insert->Bind(4, user.role);
    insert->Bind(5, user.team);
    insert->Bind(6, int64_t{user.disabled ? 1 : 0});
    insert->Bind(7, user.created_at);
    const int rc = insert->Step();
    if (rc == SQLITE_DONE) return Ok{};
    if (rc != SQLITE_CONSTRAINT_PRIMARYKEY) return StoreUnavailable(rc);
  }
  // The insert's statement is reset (its Query is gone) before the holder is read.
  return UsernameTaken(db, user);
}

Status UpdateUser(Connection& db, const User& user) {
  Result<Query> update = db.Prepare(
      "UPDATE users SET password_hash = ?2, role = ?3, team = ?4, disabled = ?5 "
      "WHERE username_key = ?1");
  if (!update.ok()) return std::move(update).error();
  update->Bind(1, UsernameKey(user.username));
  update->Bind(2, user.password_hash);
  update->Bind(3, user.role);
  update->Bind(4, user.team);
  update->Bind(5, int64_t{user.disabled ? 1 : 0});
  if (int rc = update->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  if (db.Changes() == 0) return Error::NotFound("User not found");
  return Ok{};
}

Result<std::optional<User>> SelectUser(Connection& db, const std::string& username) {
  Result<Query> query = db.Prepare(std::string(kUserColumns) + "WHERE username_key = ?1");
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, UsernameKey(username));
  const int rc = query->Step();
  if (rc == SQLITE_ROW) return std::optional<User>(ReadUser(*query));
  if (rc == SQLITE_DONE) return std::optional<User>();
  return StoreUnavailable(rc);
}

Result<std::vector<User>> SelectUsers(Connection& db) {
  Result<Query> query = db.Prepare(std::string(kUserColumns) + "ORDER BY username_key");
  if (!query.ok()) return std::move(query).error();
  std::vector<User> users;
  int rc = SQLITE_OK;
  while ((rc = query->Step()) == SQLITE_ROW) users.push_back(ReadUser(*query));
  if (rc != SQLITE_DONE) return StoreUnavailable(rc);
  return users;
}

Result<int64_t> CountUsers(Connection& db) {
  Result<Query> query = db.Prepare("SELECT COUNT(*) FROM users");
  if (!query.ok()) return std::move(query).error();
  const int rc = query->Step();
  if (rc != SQLITE_ROW) return StoreUnavailable(rc);
  return query->Int64(0);
}

}  // namespace pcustomer::sqlite
