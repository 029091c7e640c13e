#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"

#include <system_error>
#include <utility>

#include "pcustomer/store/sqlite/connection.hpp"
#include "pcustomer/store/sqlite/customer_queries.hpp"
#include "pcustomer/store/sqlite/database.hpp"
#include "pcustomer/store/sqlite/group_commit_writer.hpp"
#include "pcustomer/store/sqlite/reader_pool.hpp"
#include "pcustomer/store/sqlite/schema.hpp"
#include "pcustomer/util/crypto.hpp"

namespace pcustomer {
namespace {

constexpr const char* kDatabaseFile = "pcustomer.db";
constexpr size_t kSecretBytes = 32;

// Runs `read` on a pooled reader and answers `done` after the connection is back in the
// pool, so a callback that reads again does not need a second connection.
template <class T, class Read>
void ReadWith(sqlite::ReaderPool& readers, Read read, const Done<T>& done) {
  std::optional<Result<T>> result;
  {
    Result<sqlite::ReaderPool::Lease> lease = readers.Acquire();
    if (!lease.ok()) {
      result.emplace(std::move(lease).error());
    } else {
      result.emplace(read(**lease));
    }
  }
  done(std::move(*result));
}

}  // namespace

std::filesystem::path SqliteCustomerStore::DatabasePath(const std::filesystem::path& data_dir) {
  return data_dir / kDatabaseFile;
}

Result<std::unique_ptr<SqliteCustomerStore>> SqliteCustomerStore::Open(
    const SqliteOptions& options) {
  if (options.data_dir.empty()) return Error::Internal("The data directory is not set");
  std::error_code error;
  std::filesystem::create_directories(options.data_dir, error);
  if (error) {
    return Error::Unavailable("Cannot create the data directory " + options.data_dir.string() +
                              ": " + error.message());
  }
  std::string path = DatabasePath(options.data_dir).string();
  Result<sqlite::Connection> db = sqlite::OpenWriterConnection(path, options.busy_timeout_ms);
  if (!db.ok()) return std::move(db).error();
  if (Status checked = sqlite::CheckIntegrity(*db); !checked.ok()) {
    return std::move(checked).error();
  }
  if (Status migrated = sqlite::MigrateSchema(*db); !migrated.ok()) {
    return std::move(migrated).error();
  }
  auto readers =
      std::make_unique<sqlite::ReaderPool>(path, options.max_readers, options.busy_timeout_ms);
  std::unique_ptr<SqliteCustomerStore> store(
      new SqliteCustomerStore(std::move(path), options, std::move(readers)));
  store->writer_ = std::make_unique<sqlite::GroupCommitWriter>(
      std::move(db).value(), sqlite::WriterOptions{options.max_queued_writes, options.max_batch});
  return store;
}

SqliteCustomerStore::SqliteCustomerStore(std::string path, const SqliteOptions& options,
                                         std::unique_ptr<sqlite::ReaderPool> readers)
    : path_(std::move(path)),
      busy_timeout_ms_(options.busy_timeout_ms),
      ids_(options.clock ? CustomerIdGenerator(options.clock) : CustomerIdGenerator()),
      readers_(std::move(readers)) {}

SqliteCustomerStore::~SqliteCustomerStore() {
  // Queued writes drain first, while everything their callbacks might use still exists. The
  // writer's connection closes last: the last connection to close checkpoints the WAL into
  // the database file and removes it, which read-only connections cannot do.
  writer_->Stop();
  readers_.reset();
  writer_.reset();
}

void SqliteCustomerStore::Create(NewCustomer customer, Done<Customer> done) {
  writer_->Submit(sqlite::MakeWriteOp<Customer>(
      [this, customer = std::move(customer)](sqlite::Connection& db) {
        return sqlite::InsertCustomer(db, ids_, customer);
      },
      std::move(done)));
}

void SqliteCustomerStore::Get(std::string id, Done<Customer> done) {
  ReadWith<Customer>(
      *readers_, [&](sqlite::Connection& db) { return sqlite::SelectCustomer(db, id); }, done);
}

void SqliteCustomerStore::Update(std::string id, CustomerPatch patch, Done<Customer> done) {
  writer_->Submit(sqlite::MakeWriteOp<Customer>(
      [id = std::move(id), patch = std::move(patch)](sqlite::Connection& db) {
        return sqlite::UpdateCustomer(db, id, patch);
      },
      std::move(done)));
}

void SqliteCustomerStore::Delete(std::string id, Done<Ok> done) {
  writer_->Submit(sqlite::MakeWriteOp<Ok>(
      [id = std::move(id)](sqlite::Connection& db) { return sqlite::DeleteCustomer(db, id); },
      std::move(done)));
}

void SqliteCustomerStore::List(PageRequest request, Done<CustomerPage> done) {
  ReadWith<CustomerPage>(
      *readers_, [&](sqlite::Connection& db) { return sqlite::SelectCustomerPage(db, request); },
      done);
}

void SqliteCustomerStore::FindByPhone(std::string phone, Done<std::optional<Customer>> done) {
  ReadWith<std::optional<Customer>>(
      *readers_, [&](sqlite::Connection& db) { return sqlite::SelectCustomerByPhone(db, phone); },
      done);
}

void SqliteCustomerStore::CheckReady(Done<Ok> done) {
  ReadWith<Ok>(
      *readers_, [](sqlite::Connection& db) { return sqlite::Ping(db); }, done);
}

Result<std::string> SqliteCustomerStore::LoadOrCreateSecret(std::string_view name) {
  // A connection of its own: the writer's belongs to the writer thread, and this runs once
  // at start, so its cost does not matter.
  Result<sqlite::Connection> db = sqlite::OpenWriterConnection(path_, busy_timeout_ms_);
  if (!db.ok()) return std::move(db).error();
  Result<std::string> secret = sqlite::LoadOrStoreSecret(*db, name, RandomBytes(kSecretBytes));
  if (secret.ok() && secret->size() != kSecretBytes) {
    return Error::Internal("The stored secret " + std::string(name) + " has the wrong size");
  }
  return secret;
}

uint64_t SqliteCustomerStore::CommitCount() const { return writer_->CommitCount(); }

}  // namespace pcustomer
