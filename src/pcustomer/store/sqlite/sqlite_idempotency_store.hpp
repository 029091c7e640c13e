#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "pcustomer/store/idempotency_store.hpp"
#include "pcustomer/store/sqlite/sqlite_database.hpp"

namespace pcustomer {

// Idempotency keys in the table idempotency_keys of the database the leads live in. Every
// operation runs on the writer thread, which serialises them: a claim reads and writes the
// key in one step, so two requests racing for one key cannot both win. Each claim also erases
// a few expired keys, which keeps the table near the size of one day's keyed requests.
class SqliteIdempotencyStore final : public IdempotencyStore {
 public:
  explicit SqliteIdempotencyStore(std::shared_ptr<SqliteDatabase> database);

  void Claim(std::string key, std::string fingerprint, int64_t now, int64_t lease_until,
             Done<IdempotencyClaim> done) override;
  void Keep(std::string key, std::string token, KeptAnswer answer, int64_t keep_until,
            Done<Ok> done) override;
  void Release(std::string key, std::string token, Done<Ok> done) override;

 private:
  std::shared_ptr<SqliteDatabase> database_;
};

}  // namespace pcustomer
