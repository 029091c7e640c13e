#include "pcustomer/store/sqlite/sqlite_idempotency_store.hpp"

#include <sqlite3.h>

#include <utility>

#include "pcustomer/store/sqlite/connection.hpp"
#include "pcustomer/store/sqlite/group_commit_writer.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"

namespace pcustomer {
namespace {

// Expired keys erased by each claim: more than one, so erasing outpaces the day's new keys.
constexpr int kPurgedPerClaim = 4;

Status PurgeExpired(sqlite::Connection& db, int64_t now) {
  Result<sqlite::Query> purge = db.Prepare(
      "DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM idempotency_keys "
      "WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2)");
  if (!purge.ok()) return std::move(purge).error();
  purge->Bind(1, now);
  purge->Bind(2, int64_t{kPurgedPerClaim});
  if (int rc = purge->Step(); rc != SQLITE_DONE) return sqlite::StoreUnavailable(rc);
  return Ok{};
}

// What the live record under `key` says to a request with `fingerprint`; none when there is
// no live record.
Result<std::optional<IdempotencyClaim>> ReadLiveClaim(sqlite::Connection& db,
                                                      const std::string& key,
                                                      const std::string& fingerprint, int64_t now) {
  Result<sqlite::Query> select = db.Prepare(
      "SELECT fingerprint, status, headers, body FROM idempotency_keys "
      "WHERE key = ?1 AND expires_at > ?2");
  if (!select.ok()) return std::move(select).error();
  select->BindBlob(1, key);
  select->Bind(2, now);
  const int rc = select->Step();
  if (rc == SQLITE_DONE) return std::optional<IdempotencyClaim>();
  if (rc != SQLITE_ROW) return sqlite::StoreUnavailable(rc);
  IdempotencyClaim claim;
  const int64_t status = select->Int64(1);
  if (select->Blob(0) != fingerprint) {
    claim.outcome = IdempotencyClaim::Outcome::kOtherRequest;
  } else if (status == 0) {
    claim.outcome = IdempotencyClaim::Outcome::kInFlight;
  } else {
    claim.outcome = IdempotencyClaim::Outcome::kReplay;
    claim.answer.status = static_cast<int>(status);
    claim.answer.headers = DecodeKeptHeaders(select->Text(2));
    claim.answer.body = select->Text(3);
  }
  return std::optional<IdempotencyClaim>(std::move(claim));
}

Result<IdempotencyClaim> ClaimKey(sqlite::Connection& db, const std::string& key,
                                  const std::string& fingerprint, int64_t now,
                                  int64_t lease_until) {
  if (Status purged = PurgeExpired(db, now); !purged.ok()) return std::move(purged).error();
  Result<std::optional<IdempotencyClaim>> live = ReadLiveClaim(db, key, fingerprint, now);
  if (!live.ok()) return std::move(live).error();
  if (live->has_value()) return std::move(**live);
  IdempotencyClaim claim;
  claim.token = NewClaimToken();
  // REPLACE: an expired record under the key is the past, not a conflict.
  Result<sqlite::Query> insert = db.Prepare(
      "INSERT OR REPLACE INTO idempotency_keys (key, fingerprint, token, expires_at) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return std::move(insert).error();
  insert->BindBlob(1, key);
  insert->BindBlob(2, fingerprint);
  insert->Bind(3, claim.token);
  insert->Bind(4, lease_until);
  if (int rc = insert->Step(); rc != SQLITE_DONE) return sqlite::StoreUnavailable(rc);
  return claim;
}

Status KeepAnswer(sqlite::Connection& db, const std::string& key, const std::string& token,
                  const KeptAnswer& answer, int64_t keep_until) {
  Result<sqlite::Query> update = db.Prepare(
      "UPDATE idempotency_keys SET status = ?3, headers = ?4, body = ?5, expires_at = ?6 "
      "WHERE key = ?1 AND token = ?2");
  if (!update.ok()) return std::move(update).error();
  update->BindBlob(1, key);
  update->Bind(2, token);
  update->Bind(3, int64_t{answer.status});
  update->Bind(4, EncodeKeptHeaders(answer.headers));
  update->Bind(5, answer.body);
  update->Bind(6, keep_until);
  if (int rc = update->Step(); rc != SQLITE_DONE) return sqlite::StoreUnavailable(rc);
  return Ok{};
}

Status ReleaseClaim(sqlite::Connection& db, const std::string& key, const std::string& token) {
  Result<sqlite::Query> erase =
      db.Prepare("DELETE FROM idempotency_keys WHERE key = ?1 AND token = ?2 AND status = 0");
  if (!erase.ok()) return std::move(erase).error();
  erase->BindBlob(1, key);
  erase->Bind(2, token);
  if (int rc = erase->Step(); rc != SQLITE_DONE) return sqlite::StoreUnavailable(rc);
  return Ok{};
}

}  // namespace

SqliteIdempotencyStore::SqliteIdempotencyStore(std::shared_ptr<SqliteDatabase> database)
    : database_(std::move(database)) {}

void SqliteIdempotencyStore::Claim(std::string key, std::string fingerprint, int64_t now,
                                   int64_t lease_until, Done<IdempotencyClaim> done) {
  database_->Write(sqlite::MakeWriteOp<IdempotencyClaim>(
      [key = std::move(key), fingerprint = std::move(fingerprint), now, lease_until](
          sqlite::Connection& db) { return ClaimKey(db, key, fingerprint, now, lease_until); },
      std::move(done)));
}

void SqliteIdempotencyStore::Keep(std::string key, std::string token, KeptAnswer answer,
                                  int64_t keep_until, Done<Ok> done) {
  database_->Write(sqlite::MakeWriteOp<Ok>(
      [key = std::move(key), token = std::move(token), answer = std::move(answer), keep_until](
          sqlite::Connection& db) { return KeepAnswer(db, key, token, answer, keep_until); },
      std::move(done)));
}

void SqliteIdempotencyStore::Release(std::string key, std::string token, Done<Ok> done) {
  database_->Write(sqlite::MakeWriteOp<Ok>(
      [key = std::move(key), token = std::move(token)](sqlite::Connection& db) {
        return ReleaseClaim(db, key, token);
      },
      std::move(done)));
}

}  // namespace pcustomer
