#include "pcustomer/store/sqlite/refresh_token_queries.hpp"

#include <sqlite3.h>

#include <optional>
#include <utility>

#include "pcustomer/store/sqlite/sqlite_error.hpp"

namespace pcustomer::sqlite {
namespace {

// refresh_tokens.state
constexpr int64_t kCurrent = 0;
constexpr int64_t kRotated = 1;
constexpr int64_t kRevoked = 2;

constexpr const char* kReuseDetected = "Refresh token reuse detected; sign in again";
constexpr const char* kInvalidOrExpired = "Refresh token is invalid or expired";

Status PurgeExpired(Connection& db, int64_t now) {
  Result<Query> purge = db.Prepare(
      "DELETE FROM refresh_tokens WHERE token_hash IN "
      "(SELECT token_hash FROM refresh_tokens WHERE expires_at < ?1 LIMIT ?2)");
  if (!purge.ok()) return std::move(purge).error();
  purge->Bind(1, now - kRefreshTokenRetentionSeconds);
  purge->Bind(2, int64_t{kMaxPurgedPerWrite});
  if (int rc = purge->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  return Ok{};
}

Status InsertRow(Connection& db, const RefreshTokenRecord& record) {
  Result<Query> insert = db.Prepare(
      "INSERT INTO refresh_tokens (token_hash, family_id, username_key, issued_at, expires_at, "
      "state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!insert.ok()) return std::move(insert).error();
  insert->Bind(1, record.token_hash);
  insert->Bind(2, record.family_id);
  insert->Bind(3, UsernameKey(record.username));
  insert->Bind(4, record.issued_at);
  insert->Bind(5, record.expires_at);
  insert->Bind(6, kCurrent);
  const int rc = insert->Step();
  if (rc == SQLITE_DONE) return Ok{};
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) return Error::Conflict("Refresh token already stored");
  return StoreUnavailable(rc);
}

Status RevokeFamily(Connection& db, const std::string& family_id) {
  Result<Query> revoke =
      db.Prepare("UPDATE refresh_tokens SET state = ?2 WHERE family_id = ?1 AND state != ?2");
  if (!revoke.ok()) return std::move(revoke).error();
  revoke->Bind(1, family_id);
  revoke->Bind(2, kRevoked);
  if (int rc = revoke->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  return Ok{};
}

// A stored token with its state; the username is the user's spelling when the user exists.
struct StoredToken {
  RefreshTokenRecord record;
  int64_t state = kCurrent;
};

Result<std::optional<StoredToken>> SelectToken(Connection& db, const std::string& token_hash) {
  Result<Query> query = db.Prepare(
      "SELECT t.family_id, COALESCE(u.username, t.username_key), t.issued_at, t.expires_at, "
      "t.state FROM refresh_tokens t LEFT JOIN users u ON u.username_key = t.username_key "
      "WHERE t.token_hash = ?1");
  if (!query.ok()) return std::move(query).error();
  query->Bind(1, token_hash);
  const int rc = query->Step();
  if (rc == SQLITE_DONE) return std::optional<StoredToken>();
  if (rc != SQLITE_ROW) return StoreUnavailable(rc);
  return std::optional<StoredToken>(
      StoredToken{{token_hash, query->Text(0), query->Text(1), query->Int64(2), query->Int64(3)},
                  query->Int64(4)});
}

Status MarkRotated(Connection& db, const std::string& token_hash) {
  Result<Query> update = db.Prepare("UPDATE refresh_tokens SET state = ?2 WHERE token_hash = ?1");
  if (!update.ok()) return std::move(update).error();
  update->Bind(1, token_hash);
  update->Bind(2, kRotated);
  if (int rc = update->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  return Ok{};
}

}  // namespace

Status InsertRefreshToken(Connection& db, const RefreshTokenRecord& record) {
  if (Status purged = PurgeExpired(db, record.issued_at); !purged.ok()) return purged;
  return InsertRow(db, record);
}

Result<RotationOutcome> RotateRefreshToken(Connection& db, const std::string& presented_hash,
                                           RefreshTokenRecord next, int64_t now) {
  if (Status purged = PurgeExpired(db, now); !purged.ok()) return std::move(purged).error();
  Result<std::optional<StoredToken>> found = SelectToken(db, presented_hash);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return RotationOutcome{Error::Unauthorized(kInvalidOrExpired)};
  const StoredToken& presented = **found;
  if (presented.state == kRotated) {
    // Only a copy of the chain can present a token that was already exchanged: whoever
    // holds the family's current token may be the thief, so every token of it stops.
    if (Status revoked = RevokeFamily(db, presented.record.family_id); !revoked.ok()) {
      return std::move(revoked).error();
    }
    return RotationOutcome{Error::Unauthorized(kReuseDetected)};
  }
  if (presented.state != kCurrent || now >= presented.record.expires_at) {
    return RotationOutcome{Error::Unauthorized(kInvalidOrExpired)};
  }
  if (Status rotated = MarkRotated(db, presented_hash); !rotated.ok()) {
    return std::move(rotated).error();
  }
  next.family_id = presented.record.family_id;
  next.username = presented.record.username;
  if (Status inserted = InsertRow(db, next); !inserted.ok()) return std::move(inserted).error();
  return RotationOutcome{presented.record};
}

Status RevokeRefreshFamily(Connection& db, const std::string& presented_hash) {
  Result<std::optional<StoredToken>> found = SelectToken(db, presented_hash);
  if (!found.ok()) return std::move(found).error();
  if (!found->has_value()) return Ok{};
  return RevokeFamily(db, (*found)->record.family_id);
}

Status RevokeUserTokens(Connection& db, const std::string& username) {
  Result<Query> revoke =
      db.Prepare("UPDATE refresh_tokens SET state = ?2 WHERE username_key = ?1 AND state != ?2");
  if (!revoke.ok()) return std::move(revoke).error();
  revoke->Bind(1, UsernameKey(username));
  revoke->Bind(2, kRevoked);
  if (int rc = revoke->Step(); rc != SQLITE_DONE) return StoreUnavailable(rc);
  return Ok{};
}

}  // namespace pcustomer::sqlite
