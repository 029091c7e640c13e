#include "pcustomer/store/sqlite/sqlite_secret_store.hpp"

#include <sqlite3.h>

#include <utility>

#include "pcustomer/store/sqlite/connection.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"
#include "pcustomer/util/crypto.hpp"

namespace pcustomer {
namespace {

constexpr size_t kSecretBytes = 32;

// The secret stored under `name`, storing `candidate` first when there is none. Safe when
// several processes race: the first insert wins and every one reads the winner.
Result<std::string> LoadOrStoreSecret(sqlite::Connection& db, std::string_view name,
                                      std::string_view candidate) {
  {
    Result<sqlite::Query> insert =
        db.Prepare("INSERT OR IGNORE INTO secrets (name, value) VALUES (?1, ?2)");
    if (!insert.ok()) return std::move(insert).error();
    insert->Bind(1, name);
    insert->BindBlob(2, candidate);
    if (int rc = insert->Step(); rc != SQLITE_DONE) return sqlite::StoreUnavailable(rc);
  }
  Result<sqlite::Query> select = db.Prepare("SELECT value FROM secrets WHERE name = ?1");
  if (!select.ok()) return std::move(select).error();
  select->Bind(1, name);
  const int rc = select->Step();
  if (rc == SQLITE_ROW) return select->Blob(0);
  if (rc == SQLITE_DONE) return Error::Internal("secret vanished after insert");
  return sqlite::StoreUnavailable(rc);
}

}  // namespace

SqliteSecretStore::SqliteSecretStore(std::shared_ptr<SqliteDatabase> database)
    : database_(std::move(database)) {}

Result<std::string> SqliteSecretStore::LoadOrCreateSecret(std::string_view name) {
  // Runs once at start, so a connection of its own costs nothing that matters.
  Result<sqlite::Connection> db = database_->OpenSideConnection();
  if (!db.ok()) return std::move(db).error();
  Result<std::string> secret = LoadOrStoreSecret(*db, name, RandomBytes(kSecretBytes));
  if (secret.ok() && secret->size() != kSecretBytes) {
    return Error::Internal("The stored secret " + std::string(name) + " has the wrong size");
  }
  return secret;
}

}  // namespace pcustomer
