#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"

#include <utility>

#include "pcustomer/store/sqlite/batch_queries.hpp"
#include "pcustomer/store/sqlite/connection.hpp"
#include "pcustomer/store/sqlite/customer_queries.hpp"
#include "pcustomer/store/sqlite/group_commit_writer.hpp"
#include "pcustomer/store/sqlite/history_queries.hpp"
#include "pcustomer/store/sqlite/lead_count_queries.hpp"
#include "pcustomer/store/sqlite/search_queries.hpp"
#include "pcustomer/store/sqlite/trash_queries.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {

std::filesystem::path SqliteCustomerStore::DatabasePath(const std::filesystem::path& data_dir) {
  return SqliteDatabase::DatabasePath(data_dir);
}

Result<std::unique_ptr<SqliteCustomerStore>> SqliteCustomerStore::Open(
    const SqliteOptions& options) {
  Result<std::shared_ptr<SqliteDatabase>> database = SqliteDatabase::Open(options);
  if (!database.ok()) return std::move(database).error();
  return std::make_unique<SqliteCustomerStore>(std::move(database).value(), options.clock);
}

SqliteCustomerStore::SqliteCustomerStore(std::shared_ptr<SqliteDatabase> database,
                                         CustomerIdGenerator::Clock clock)
    : database_(std::move(database)),
      clock_(clock ? std::move(clock) : CustomerIdGenerator::Clock(NowUnixMillis)) {
  ids_ = std::make_shared<CustomerIdGenerator>(clock_);
}

SqliteCustomerStore::~SqliteCustomerStore() = default;

void SqliteCustomerStore::Create(NewCustomer customer, Actor by, Done<Customer> done) {
  database_->Write(sqlite::MakeWriteOp<Customer>(
      [ids = ids_, customer = std::move(customer), by = std::move(by)](sqlite::Connection& db) {
        return sqlite::InsertCustomer(db, *ids, customer, by);
      },
      std::move(done)));
}

void SqliteCustomerStore::CreateBatch(std::vector<NewCustomer> items, BatchMode mode, Actor by,
                                      Done<std::vector<BatchItemResult>> done) {
  database_->Write(sqlite::MakeWriteOp<std::vector<BatchItemResult>>(
      [ids = ids_, items = std::move(items), mode, by = std::move(by),
       clock = clock_](sqlite::Connection& db) {
        return sqlite::WriteBatch(db, *ids, items, mode, FormatIsoMillis(clock()), by);
      },
      std::move(done)));
}

void SqliteCustomerStore::Get(std::string id, Done<Customer> done) {
  database_->ReadWith<Customer>(
      [&](sqlite::Connection& db) { return sqlite::SelectCustomer(db, id); }, done);
}

void SqliteCustomerStore::Update(std::string id, CustomerPatch patch, ExpectedVersion expected,
                                 Actor by, Done<Customer> done) {
  database_->Write(sqlite::MakeWriteOp<Customer>(
      [id = std::move(id), patch = std::move(patch), expected, by = std::move(by),
       clock = clock_](sqlite::Connection& db) {
        return sqlite::UpdateCustomer(db, id, patch, expected, FormatIsoMillis(clock()), by);
      },
      std::move(done)));
}

void SqliteCustomerStore::Trash(std::string id, ExpectedVersion expected, Actor by, Done<Ok> done) {
  database_->Write(sqlite::MakeWriteOp<Ok>(
      [id = std::move(id), expected, by = std::move(by), clock = clock_](sqlite::Connection& db) {
        return sqlite::TrashCustomer(db, id, expected, FormatIsoMillis(clock()), by);
      },
      std::move(done)));
}

void SqliteCustomerStore::ListTrash(TrashPageRequest request, Done<TrashPage> done) {
  database_->ReadWith<TrashPage>(
      [&](sqlite::Connection& db) { return sqlite::SelectTrashPage(db, request); }, done);
}

void SqliteCustomerStore::Restore(std::string id, ExpectedVersion expected, Actor by,
                                  Done<Customer> done) {
  database_->Write(sqlite::MakeWriteOp<Customer>(
      [id = std::move(id), expected, by = std::move(by), clock = clock_](sqlite::Connection& db) {
        return sqlite::RestoreCustomer(db, id, expected, FormatIsoMillis(clock()), by);
      },
      std::move(done)));
}

void SqliteCustomerStore::Erase(std::string id, Done<Ok> done) {
  database_->Write(sqlite::MakeWriteOp<Ok>(
      [id = std::move(id)](sqlite::Connection& db) { return sqlite::EraseTrashed(db, id); },
      std::move(done)));
}

void SqliteCustomerStore::EraseTrashedBefore(std::string cutoff, int limit, Done<int> done) {
  database_->Write(sqlite::MakeWriteOp<int>(
      [cutoff = std::move(cutoff), limit](sqlite::Connection& db) {
        return sqlite::EraseTrashedBefore(db, cutoff, limit);
      },
      std::move(done)));
}

void SqliteCustomerStore::List(PageRequest request, Done<CustomerPage> done) {
  database_->ReadWith<CustomerPage>(
      [&](sqlite::Connection& db) { return sqlite::SelectCustomerPage(db, request); }, done);
}

void SqliteCustomerStore::Search(SearchRequest request, Done<SearchPage> done) {
  database_->ReadWith<SearchPage>(
      [&](sqlite::Connection& db) { return sqlite::SelectSearchPage(db, request); }, done);
}

void SqliteCustomerStore::History(HistoryRequest request, Done<HistoryPage> done) {
  database_->ReadWith<HistoryPage>(
      [&](sqlite::Connection& db) { return sqlite::SelectHistoryPage(db, request); }, done);
}

void SqliteCustomerStore::AddNote(std::string id, std::string text, Actor by,
                                  Done<HistoryEntry> done) {
  database_->Write(sqlite::MakeWriteOp<HistoryEntry>(
      [id = std::move(id), text = std::move(text), by = std::move(by),
       clock = clock_](sqlite::Connection& db) {
        return sqlite::InsertNote(db, id, text, FormatIsoMillis(clock()), by);
      },
      std::move(done)));
}

void SqliteCustomerStore::Counts(std::string first_day, Done<LeadCounts> done) {
  database_->ReadWith<LeadCounts>(
      [&](sqlite::Connection& db) { return sqlite::SelectLeadCounts(db, first_day); }, done);
}

void SqliteCustomerStore::FindByPhone(std::string phone, Done<std::optional<Customer>> done) {
  database_->ReadWith<std::optional<Customer>>(
      [&](sqlite::Connection& db) { return sqlite::SelectCustomerByPhone(db, phone); }, done);
}

void SqliteCustomerStore::CheckReady(Done<Ok> done) {
  // Through the writer and its COMMIT: a full disk or a read-only file shows here.
  database_->Write(sqlite::MakeWriteOp<Ok>(
      [](sqlite::Connection& db) { return sqlite::WriteReadinessProbe(db, NowUnixMillis()); },
      std::move(done)));
}

uint64_t SqliteCustomerStore::CommitCount() const { return database_->CommitCount(); }

}  // namespace pcustomer
