#pragma once

#include <cstdint>
#include <string>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/domain/user.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

// The SQL of refresh tokens, one function per UserStore operation. Every function writes and
// expects to run inside the writer's transaction. kUnavailable on any SQLite failure beyond
// those named.
namespace pcustomer::sqlite {

// How long a token is kept after it expires. While kept, replaying it after rotation still
// revokes its family; afterwards it reads as unknown, which refuses it all the same.
inline constexpr int64_t kRefreshTokenRetentionSeconds = 24 * 60 * 60;
// Rows purged per token write at most, so a backlog never makes one request slow. Every
// write adds one row and may purge this many, so a backlog shrinks quickly.
inline constexpr int kMaxPurgedPerWrite = 64;

// Stores `record` as its family's current token; kConflict when its hash is taken. Purges
// rows expired before `record.issued_at - kRefreshTokenRetentionSeconds`.
Status InsertRefreshToken(Connection& db, const RefreshTokenRecord& record);

// What a rotation answers the caller. A refusal can still have changed the database
// (reuse revokes the family), so it is carried here for the writer to commit; only a
// failure of the Result around it rolls back.
struct RotationOutcome {
  Result<RefreshTokenRecord> answer;
};

// UserStore::RotateRefreshToken. Also purges as InsertRefreshToken does, relative to `now`.
// kConflict (rolled back) when next's hash is taken.
Result<RotationOutcome> RotateRefreshToken(Connection& db, const std::string& presented_hash,
                                           RefreshTokenRecord next, int64_t now);

// Revokes the family of `presented_hash`; Ok also when the token is unknown.
Status RevokeRefreshFamily(Connection& db, const std::string& presented_hash);

// Revokes every family of the user named `username`, ignoring case.
Status RevokeUserTokens(Connection& db, const std::string& username);

}  // namespace pcustomer::sqlite
