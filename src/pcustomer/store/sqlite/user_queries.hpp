#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/domain/user.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

// The SQL of the user accounts, one function per UserStore operation, each mapping SQLite's
// outcome to the store's errors where it happens. Rows are keyed by UsernameKey. Writes
// expect to run inside the writer's transaction; reads run on any connection. kUnavailable
// on any SQLite failure beyond those named.
namespace pcustomer::sqlite {

// kConflict naming the existing spelling when the username is taken, ignoring case.
Status InsertUser(Connection& db, const User& user);

// Replaces password_hash, role, team and disabled; kNotFound when there is no such user.
Status UpdateUser(Connection& db, const User& user);

Result<std::optional<User>> SelectUser(Connection& db, const std::string& username);

// Ordered by UsernameKey.
Result<std::vector<User>> SelectUsers(Connection& db);

Result<int64_t> CountUsers(Connection& db);

}  // namespace pcustomer::sqlite
