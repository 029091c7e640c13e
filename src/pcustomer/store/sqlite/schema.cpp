#include "pcustomer/store/sqlite/schema.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>

#include "pcustomer/store/sqlite/search_index.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"

namespace pcustomer::sqlite {
namespace {

struct Migration {
  int version;      // user_version once this step has run
  const char* sql;  // may hold several statements
  // Rows the SQL cannot compute (it needs ICU), filled in the same transaction.
  Status (*backfill)(Connection&) = nullptr;
};

// Append only: a released step never changes, since databases in the field already ran it.
constexpr Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE customers (
        id TEXT PRIMARY KEY,
        full_name TEXT NOT NULL,
        phone TEXT NOT NULL UNIQUE,
        age INTEGER NOT NULL,
        product_code TEXT NOT NULL,
        create_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        value BLOB NOT NULL
      );
    )sql"},
    // Accounts and refresh tokens of the built-in identity provider.
    {2, R"sql(
      CREATE TABLE users (
        username_key TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL,
        team TEXT NOT NULL,
        disabled INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL,
        username_key TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        state INTEGER NOT NULL  -- 0 current, 1 rotated, 2 revoked
      );
      CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
      CREATE INDEX refresh_tokens_by_user ON refresh_tokens (username_key);
      -- Purging expired rows a few at a time must not scan the table.
      CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);
    )sql"},
    // One row that the readiness check rewrites: ready means a write can commit.
    {3, R"sql(
      CREATE TABLE readiness (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        checked_at INTEGER NOT NULL
      );
    )sql"},
    // Search (search_index.hpp): the name's collation key, its folded words, the phone's
    // digit suffixes, and an index for each filter and sort.
    {4, R"sql(
      ALTER TABLE customers ADD COLUMN name_key BLOB;
      CREATE TABLE customer_name_words (
        word TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        PRIMARY KEY (word, customer_id)
      ) WITHOUT ROWID;
      CREATE TABLE customer_phone_suffixes (
        suffix TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        PRIMARY KEY (suffix, customer_id)
      ) WITHOUT ROWID;
      -- The primary key (id) ends every index of a WITHOUT ROWID table: ties sort by id.
      CREATE INDEX customers_by_name ON customers (name_key);
      CREATE INDEX customers_by_age ON customers (age);
      CREATE INDEX customers_by_create_at ON customers (create_at);
      CREATE INDEX customers_by_product ON customers (product_code);
    )sql",
     FillMissingNameKeys},
    // Search through FTS5 (search_index.hpp) instead of the word and suffix tables of step 4:
    // a tenth of their size, and matches come out in creation order. A createAt range is
    // answered as an id range (search_queries.cpp), so its index goes too.
    {5, R"sql(
      DROP TABLE customer_name_words;
      DROP TABLE customer_phone_suffixes;
      -- An id carries its createAt: a createAt range is answered as an id range.
      DROP INDEX customers_by_create_at;
      -- Every character but a separator belongs to a token: the words arrive folded and split.
      CREATE VIRTUAL TABLE customer_name_search USING fts5(
        words, content = '', detail = none, columnsize = 0, prefix = '1 2 3',
        tokenize = "unicode61 remove_diacritics 0 categories 'L* M* N* P* S* C*'");
      CREATE VIRTUAL TABLE customer_phone_search USING fts5(
        grams, content = '', detail = none, columnsize = 0);
      -- Every word ever indexed: a prefix longer than the prefix indexes becomes the words
      -- it starts (FTS5 would merge their whole lists before returning the first match).
      CREATE TABLE customer_name_vocabulary (word TEXT PRIMARY KEY) WITHOUT ROWID;
    )sql",
     IndexAllCustomers},
    // Versions (CONTRACT.md section 8): a lead written before them is at version 1, last
    // changed when it was created.
    {6, R"sql(
      ALTER TABLE customers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE customers ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
      UPDATE customers SET updated_at = create_at;
    )sql"},
    // Idempotency keys (CONTRACT.md section 8): a claim while its request runs (status 0),
    // then the answer it gave, until expires_at (Unix milliseconds).
    {7, R"sql(
      CREATE TABLE idempotency_keys (
        key BLOB PRIMARY KEY,
        fingerprint BLOB NOT NULL,
        token TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        status INTEGER NOT NULL DEFAULT 0,
        headers TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT ''
      ) WITHOUT ROWID;
      -- Purging expired keys a few at a time must not scan the table.
      CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
    )sql"},
    // Each lead's history (CONTRACT.md section 8): one row per change, named by the version
    // the change brought the lead to, written in the change's transaction.
    {8, R"sql(
      CREATE TABLE history (
        customer_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        at TEXT NOT NULL,
        by_sub TEXT NOT NULL,
        by_username TEXT NOT NULL,
        action TEXT NOT NULL,
        changes TEXT NOT NULL,
        PRIMARY KEY (customer_id, version)
      ) WITHOUT ROWID;
    )sql"},
    // The trash (CONTRACT.md section 8): trashed leads, as they were, out of the customers
    // table, so their phones are free and no listing or search sees them.
    {9, R"sql(
      CREATE TABLE trash (
        id TEXT PRIMARY KEY,
        full_name TEXT NOT NULL,
        phone TEXT NOT NULL,
        age INTEGER NOT NULL,
        product_code TEXT NOT NULL,
        create_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT NOT NULL,
        deleted_by_sub TEXT NOT NULL,
        deleted_by_username TEXT NOT NULL
      ) WITHOUT ROWID;
      -- Newest deletion first, and the sweep's oldest first, without a sort.
      CREATE INDEX trash_by_deletion ON trash (deleted_at, id);
    )sql"},
    // The sales workflow (CONTRACT.md section 9): a lead written before it is new,
    // unassigned, of source "other", without an e-mail address. lead_counts holds the
    // counters of GET /stats (store/lead_counts.hpp), counted here once and kept by every
    // write after; assignment_turns the round-robin's next turn.
    {10, R"sql(
      ALTER TABLE customers ADD COLUMN status TEXT NOT NULL DEFAULT 'new';
      ALTER TABLE customers ADD COLUMN owner_id TEXT;
      ALTER TABLE customers ADD COLUMN source TEXT NOT NULL DEFAULT 'other';
      ALTER TABLE customers ADD COLUMN email TEXT;
      ALTER TABLE trash ADD COLUMN status TEXT NOT NULL DEFAULT 'new';
      ALTER TABLE trash ADD COLUMN owner_id TEXT;
      ALTER TABLE trash ADD COLUMN source TEXT NOT NULL DEFAULT 'other';
      ALTER TABLE trash ADD COLUMN email TEXT;
      -- A filter on one of them walks its leads in creation (id) order.
      CREATE INDEX customers_by_status ON customers (status);
      CREATE INDEX customers_by_owner ON customers (owner_id);
      CREATE INDEX customers_by_updated_at ON customers (updated_at);
      CREATE TABLE lead_counts (name TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO lead_counts SELECT 'total', count(*) FROM customers;
      INSERT INTO lead_counts SELECT 'status#' || status, count(*) FROM customers GROUP BY 1;
      INSERT INTO lead_counts SELECT 'source#' || source, count(*) FROM customers GROUP BY 1;
      INSERT INTO lead_counts
        SELECT 'product#' || product_code, count(*) FROM customers GROUP BY 1;
      INSERT INTO lead_counts
        SELECT 'day#' || substr(create_at, 1, 10), count(*) FROM customers GROUP BY 1;
      CREATE TABLE assignment_turns (name TEXT PRIMARY KEY, next INTEGER NOT NULL) WITHOUT ROWID;
    )sql"},
};
static_assert(std::size(kMigrations) == kSchemaVersion);

Error Corrupt(std::string detail) {
  return Error::Internal("The customer database is corrupt: " + std::move(detail));
}

bool IsCorruption(int rc) { return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB; }

// The I/O error of a quick_check finding, or 0. The check reports a page it could not read as
// a finding ("Page 12: unable to get the page. error code=266"), not as its result code, and
// a failing disk read says nothing about the file's contents.
int ReadFailureIn(const std::string& finding) {
  constexpr std::string_view kCode = "error code=";
  const size_t at = finding.find(kCode);
  if (at == std::string::npos) return 0;
  const int rc = std::atoi(finding.c_str() + at + kCode.size());
  return (rc & 0xff) == SQLITE_IOERR ? rc : 0;
}

// Runs one step of the migration loop: true when the schema is current.
Result<bool> MigrateOneStep(Connection& db) {
  Result<int> version = ReadSchemaVersion(db);
  if (!version.ok()) return std::move(version).error();
  if (*version < 0 || *version > kSchemaVersion) {
    return Error::Internal("The customer database has schema version " + std::to_string(*version) +
                           ", newer than version " + std::to_string(kSchemaVersion) +
                           " that this build knows; refusing to open it");
  }
  if (*version == kSchemaVersion) return true;
  const Migration& step = kMigrations[*version];
  if (int rc = db.Execute(step.sql); rc != SQLITE_OK) return StoreUnavailable(rc);
  if (step.backfill) {
    if (Status filled = step.backfill(db); !filled.ok()) return std::move(filled).error();
  }
  const std::string set_version = "PRAGMA user_version = " + std::to_string(step.version);
  if (int rc = db.Execute(set_version.c_str()); rc != SQLITE_OK) return StoreUnavailable(rc);
  return false;
}

}  // namespace

Status CheckIntegrity(Connection& db) {
  Result<Query> query = db.Prepare("PRAGMA quick_check");
  if (!query.ok()) return std::move(query).error();
  std::string findings;
  int rc = SQLITE_OK;
  while ((rc = query->Step()) == SQLITE_ROW) {
    std::string line = query->Text(0);
    if (line == "ok") continue;
    if (int io = ReadFailureIn(line); io != 0) return StoreUnavailable(io, line);
    if (!findings.empty()) findings += "; ";
    findings += line;
  }
  if (IsCorruption(rc)) return Corrupt(sqlite3_errstr(rc));
  if (rc != SQLITE_DONE) return StoreUnavailable(rc);
  if (!findings.empty()) return Corrupt(findings);
  return Ok{};
}

Status MigrateSchema(Connection& db) {
  for (;;) {
    if (int rc = db.Execute("BEGIN IMMEDIATE"); rc != SQLITE_OK) return StoreUnavailable(rc);
    Result<bool> current = MigrateOneStep(db);
    if (!current.ok() || *current) {
      db.Execute("ROLLBACK");
      if (!current.ok()) return std::move(current).error();
      return Ok{};
    }
    if (int rc = db.Execute("COMMIT"); rc != SQLITE_OK) {
      if (db.InTransaction()) db.Execute("ROLLBACK");
      return StoreUnavailable(rc);
    }
  }
}

Result<int> ReadSchemaVersion(Connection& db) {
  Result<Query> query = db.Prepare("PRAGMA user_version");
  if (!query.ok()) return std::move(query).error();
  const int rc = query->Step();
  if (IsCorruption(rc)) return Corrupt(sqlite3_errstr(rc));
  if (rc != SQLITE_ROW) return StoreUnavailable(rc);
  return static_cast<int>(query->Int64(0));
}

}  // namespace pcustomer::sqlite
