#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/secret_store.hpp"
#include "pcustomer/store/sqlite/sqlite_database.hpp"

namespace pcustomer {

// The secrets of the embedded store: the table `secrets (name TEXT PRIMARY KEY, value BLOB)`
// of the same SqliteDatabase as the customers, so that every process sharing the file gets
// the same bytes.
class SqliteSecretStore final : public SecretStore {
 public:
  explicit SqliteSecretStore(std::shared_ptr<SqliteDatabase> database);

  // INSERT OR IGNORE of fresh random bytes, then a SELECT, on a connection of its own (it
  // runs once at start, outside the writer's queue). Processes that race all read the
  // first insert's bytes. kInternal when the stored value is not 32 bytes.
  Result<std::string> LoadOrCreateSecret(std::string_view name) override;

 private:
  std::shared_ptr<SqliteDatabase> database_;
};

}  // namespace pcustomer
