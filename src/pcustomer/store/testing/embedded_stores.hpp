#pragma once

// Test support for the layers above the store: real stores, the embedded (SQLite) backend,
// that a test opens in one call and throws away with its data. Header-only, like the other
// store/testing/ helpers, so it compiles into whichever test binary includes it; that binary
// links pc_store_sqlite.
//
// The database is a file in a fresh temporary directory, not an in-memory database. The
// backend opens one writer connection and a pool of reader connections, and requires a WAL
// journal (readers never wait for the writer): a plain ":memory:" would give each connection
// a database of its own, and the shared in-memory forms (`file:NAME?mode=memory&cache=shared`,
// the memdb VFS) can only journal in memory, which the backend refuses at open. A file keeps
// the stores exactly as the server runs them, at the cost of one fsync per group commit.

#include <memory>
#include <utility>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/customer_store.hpp"
#include "pcustomer/store/idempotency_store.hpp"
#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"
#include "pcustomer/store/sqlite/sqlite_idempotency_store.hpp"
#include "pcustomer/store/sqlite/sqlite_user_store.hpp"
#include "pcustomer/store/testing/store_calls.hpp"
#include "pcustomer/store/user_store.hpp"

namespace pcustomer::test {

// A customer store, a user store and an idempotency store sharing one database, as OpenStores
// (app/) builds them for PCUSTOMER_STORE=sqlite. Tests see them through the interfaces only.
// Members go in reverse order: both stores have closed the database (after committing every queued
// write) before its directory is removed.
struct EmbeddedStores {
  TempDirectory directory;
  std::unique_ptr<CustomerStore> customers;
  std::unique_ptr<UserStore> users;
  std::unique_ptr<IdempotencyStore> idempotency;
};

// Opens empty stores in a new temporary directory. `clock` gives customer ids their
// milliseconds (the system clock when empty). Fails as SqliteDatabase::Open does.
inline Result<std::unique_ptr<EmbeddedStores>> OpenEmbeddedStores(
    CustomerIdGenerator::Clock clock = {}) {
  auto stores = std::make_unique<EmbeddedStores>();
  SqliteOptions options;
  options.data_dir = stores->directory.path() / "data";
  options.clock = std::move(clock);
  Result<std::unique_ptr<SqliteCustomerStore>> customers = SqliteCustomerStore::Open(options);
  if (!customers.ok()) return std::move(customers).error();
  stores->users = std::make_unique<SqliteUserStore>((*customers)->database());
  stores->idempotency = std::make_unique<SqliteIdempotencyStore>((*customers)->database());
  stores->customers = std::move(customers).value();
  return stores;
}

}  // namespace pcustomer::test
