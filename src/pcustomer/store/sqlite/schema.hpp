#pragma once

#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

namespace pcustomer::sqlite {

// The schema version this build writes (PRAGMA user_version).
inline constexpr int kSchemaVersion = 10;

// Verifies the b-trees and records of the database (PRAGMA quick_check, linear in its size)
// so that a damaged file is refused at start instead of failing requests later. kInternal
// naming the damage when the file is corrupt or not a database; kUnavailable on I/O errors.
Status CheckIntegrity(Connection& db);

// Brings the schema to kSchemaVersion by running the missing migration steps in order, each
// in its own IMMEDIATE transaction, so concurrent processes opening the same file migrate it
// exactly once and a crash leaves it at a whole version. kInternal when the file was written
// by a newer build (its schema is unknown here); kUnavailable on I/O errors.
Status MigrateSchema(Connection& db);

// PRAGMA user_version.
Result<int> ReadSchemaVersion(Connection& db);

}  // namespace pcustomer::sqlite
