// I/O fault sweeps of the SQLite customer store, as SQLite's own I/O error tests: each
// operation runs once with the fault VFS counting its reads, writes, syncs, truncates and size
// queries, then on a fresh database once per call and fault kind with that call failing. Each
// point checks the answer, that acknowledged data survives and failed writes are all-or-nothing
// (live, in a crash image of the files, after a reopen), and that writes work again after.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/sqlite/connection.hpp"
#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"
#include "pcustomer/store/sqlite/testing/fault_vfs.hpp"
#include "pcustomer/store/testing/store_calls.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {
namespace {

using sqlite::testing::FaultOp;
using sqlite::testing::FaultVfs;
using test::Collector;
using test::CreateNow;
using test::FindByPhoneNow;
using test::GetNow;
using test::Lead;
using test::ListNow;
using test::TrashNow;
using test::UpdateNow;

constexpr FaultOp kOps[] = {FaultOp::kRead, FaultOp::kWrite, FaultOp::kSync, FaultOp::kTruncate,
                            FaultOp::kFileSize};
constexpr const char* kOpNames[] = {"read", "write", "sync", "truncate", "file size"};
using Counts = std::array<int64_t, std::size(kOps)>;

const char* OpName(FaultOp op) { return kOpNames[static_cast<size_t>(op)]; }

struct FaultKind {
  FaultOp op;
  int code;
  bool persistent;
};

constexpr FaultKind kFaultKinds[] = {
    {FaultOp::kWrite, SQLITE_IOERR_WRITE, false},
    {FaultOp::kWrite, SQLITE_IOERR_WRITE, true},
    {FaultOp::kWrite, SQLITE_FULL, false},
    {FaultOp::kWrite, SQLITE_FULL, true},
    {FaultOp::kSync, SQLITE_IOERR_FSYNC, false},
    {FaultOp::kSync, SQLITE_IOERR_FSYNC, true},
    {FaultOp::kRead, SQLITE_IOERR_READ, false},
    {FaultOp::kRead, SQLITE_IOERR_READ, true},
    {FaultOp::kTruncate, SQLITE_IOERR_TRUNCATE, false},
    {FaultOp::kTruncate, SQLITE_IOERR_TRUNCATE, true},
    {FaultOp::kFileSize, SQLITE_IOERR_FSTAT, false},
    {FaultOp::kFileSize, SQLITE_IOERR_FSTAT, true},
};

enum class Operation { kCreate, kUpdate, kDelete, kGroupCreate, kGet };

constexpr int kSeedCustomers = 3;
// The store's clock in every run: November 2026.
constexpr int64_t kStillMillis = 1'795'000'000'000;
constexpr int kGroupSize = 4;
const std::string kMissingId = "CUSTOMER#1000000000000001";

// A change the failed operation may or may not have made: the database must hold `before`
// or `after`, whole (nullopt: no such customer). A failed create's `after` has no id.
struct Uncertain {
  std::optional<Customer> before;
  std::optional<Customer> after;
};

struct Expected {
  std::map<std::string, Customer> settled;  // by id: acknowledged, must read back exactly
  std::vector<Uncertain> uncertain;
};

std::string Describe(const Customer& c) { return ::testing::PrintToString(c); }

// Equal, or for an expected customer without id (a failed create), equal but for the id and
// createAt the store chose.
bool Same(const Customer& stored, const Customer& expected) {
  if (!expected.id.empty()) return stored == expected;
  return IsCustomerId(stored.id) && stored.full_name == expected.full_name &&
         stored.phone == expected.phone && stored.age == expected.age &&
         stored.product_code == expected.product_code;
}

// `applied`, when given, counts the uncertain changes found made.
::testing::AssertionResult Matches(const Expected& expected, const std::vector<Customer>& view,
                                   int* applied = nullptr) {
  std::map<std::string, const Customer*> by_id;
  std::map<std::string, const Customer*> by_phone;
  for (const Customer& c : view) {
    if (!by_id.emplace(c.id, &c).second) {
      return ::testing::AssertionFailure() << "id twice: " << c.id;
    }
    if (!by_phone.emplace(c.phone, &c).second) {
      return ::testing::AssertionFailure() << "phone twice: " << c.phone;
    }
  }
  std::map<std::string, bool> used;
  for (const auto& [id, customer] : expected.settled) {
    auto found = by_id.find(id);
    if (found == by_id.end()) {
      return ::testing::AssertionFailure() << "acknowledged customer lost: " << Describe(customer);
    }
    if (*found->second != customer) {
      return ::testing::AssertionFailure()
             << "acknowledged " << Describe(customer) << " reads " << Describe(*found->second);
    }
    used[id] = true;
  }
  for (const Uncertain& change : expected.uncertain) {
    const Customer* stored = nullptr;
    if (change.before) {
      auto found = by_id.find(change.before->id);
      if (found != by_id.end()) stored = found->second;
    } else if (auto found = by_phone.find(change.after->phone);
               found != by_phone.end() && !used[found->second->id]) {
      stored = found->second;
    }
    if (stored == nullptr) {
      if (applied != nullptr && change.before && !change.after) ++*applied;
      if (change.before && change.after) {
        return ::testing::AssertionFailure()
               << "updated customer vanished: " << Describe(*change.before);
      }
      continue;
    }
    const bool is_before = change.before && *stored == *change.before;
    const bool is_after = change.after && Same(*stored, *change.after);
    if (!is_before && !is_after) {
      return ::testing::AssertionFailure() << "half-written change: " << Describe(*stored);
    }
    if (applied != nullptr && is_after && !is_before) ++*applied;
    used[stored->id] = true;
  }
  for (const Customer& c : view) {
    if (!used[c.id]) return ::testing::AssertionFailure() << "unexpected row " << Describe(c);
  }
  return ::testing::AssertionSuccess();
}

// Where the sweeps keep their databases: memory-backed when the machine has /dev/shm, since a
// sweep commits (and syncs) hundreds of times, and syncs to a disk would make it slow. The
// faults sit above the file system, so it does not change what SQLite sees.
std::filesystem::path SweepRoot() {
  std::error_code error;
  if (std::filesystem::is_directory("/dev/shm", error) && access("/dev/shm", W_OK) == 0) {
    return "/dev/shm";
  }
  return ::testing::TempDir();
}

std::vector<Customer> ReadAll(sqlite::Connection& db) {
  std::vector<Customer> rows;
  auto query = db.Prepare(
      "SELECT id, full_name, phone, age, product_code, create_at, version, updated_at "
      "FROM customers ORDER BY id");
  EXPECT_TRUE(query.ok());
  if (!query.ok()) return rows;
  int rc = SQLITE_OK;
  while ((rc = query->Step()) == SQLITE_ROW) {
    rows.push_back({query->Text(0), query->Text(1), query->Text(2),
                    static_cast<int>(query->Int64(3)), query->Text(4), query->Text(5),
                    query->Int64(6), query->Text(7)});
  }
  EXPECT_EQ(rc, SQLITE_DONE) << sqlite3_errstr(rc);
  return rows;
}

std::string IntegrityCheck(sqlite::Connection& db) {
  auto query = db.Prepare("PRAGMA integrity_check");
  if (!query.ok()) return "cannot prepare";
  std::string findings;
  int rc = SQLITE_OK;
  while ((rc = query->Step()) == SQLITE_ROW) findings += query->Text(0);
  if (rc != SQLITE_DONE) findings += sqlite3_errstr(rc);
  return findings;
}

// Every customer, through the store's own reads.
std::vector<Customer> ListAll(SqliteCustomerStore& store) {
  std::vector<Customer> all;
  PageRequest request{std::nullopt, 100};
  for (;;) {
    auto page = ListNow(store, request);
    EXPECT_TRUE(page.ok()) << page.error().message;
    if (!page.ok()) return all;
    all.insert(all.end(), page->items.begin(), page->items.end());
    if (!page->last_id) return all;
    request.after_id = page->last_id;
  }
}

class SqliteFaultSweepTest : public ::testing::Test {
 protected:
  void SetUp() override { FaultVfs::Get().Reset(); }
  void TearDown() override { FaultVfs::Get().Reset(); }

  // Counts the calls of `operation`, then fails each in turn with every kind of fault. After
  // `another_process_wrote` the writer's page cache is stale, so the operation reads too.
  void Sweep(Operation operation, bool another_process_wrote = false) {
    const bool writes = operation != Operation::kGet;
    Sweep([&](const FaultKind* kind,
              int64_t nth) { return RunPoint(operation, another_process_wrote, kind, nth); },
          writes);
    if (another_process_wrote) {
      EXPECT_GE(last_counts_[static_cast<size_t>(FaultOp::kRead)], 1);
    }
  }

  // The same with `run_point(kind, nth)` running one point and answering the calls counted.
  void Sweep(const std::function<Counts(const FaultKind*, int64_t)>& run_point, bool writes) {
    const Counts counts = run_point(nullptr, 0);
    last_counts_ = counts;
    if (HasFailure()) return;
    // Without these calls the store did not run on the fault VFS at all.
    if (writes) {
      EXPECT_GE(counts[static_cast<size_t>(FaultOp::kWrite)], 1);
      EXPECT_GE(counts[static_cast<size_t>(FaultOp::kSync)], 1);
    } else {
      EXPECT_GE(counts[static_cast<size_t>(FaultOp::kRead)], 1);
    }
    int points = 0;
    for (const FaultKind& kind : kFaultKinds) {
      for (int64_t nth = 1; nth <= counts[static_cast<size_t>(kind.op)]; ++nth) {
        SCOPED_TRACE(std::string(OpName(kind.op)) + " call " + std::to_string(nth) +
                     " fails with " + sqlite3_errstr(kind.code) +
                     (kind.persistent ? " until cleared" : " once"));
        run_point(&kind, nth);
        ++points;
        // The first failing point says all there is to say.
        if (HasFailure()) return;
      }
    }
    std::printf(
        "[ sweep    ] %d fault points; calls: read %lld, write %lld, sync %lld, "
        "truncate %lld, file size %lld; failed changes found made: %d live, %d after a "
        "crash\n",
        points, static_cast<long long>(counts[0]), static_cast<long long>(counts[1]),
        static_cast<long long>(counts[2]), static_cast<long long>(counts[3]),
        static_cast<long long>(counts[4]), applied_live_, applied_after_crash_);
    EXPECT_GT(points, 0);
  }

  // One run of `operation` on a fresh database, with `kind` failing call `nth` (only
  // counting when `kind` is null); the calls counted.
  Counts RunPoint(Operation operation, bool another_process_wrote, const FaultKind* kind,
                  int64_t nth) {
    test::TempDirectory dir(SweepRoot());
    SqliteOptions options;
    options.data_dir = dir.path() / "data";
    options.vfs = FaultVfs::kName;
    // One reader: the connection that saw a read fail is the one that must read next.
    options.max_readers = 1;
    // A clock that stands still, so that an update's updatedAt is known before it runs.
    options.clock = [] { return kStillMillis; };
    FaultVfs& vfs = FaultVfs::Get();
    vfs.Reset();
    auto opened = SqliteCustomerStore::Open(options);
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    if (!opened.ok()) return {};
    std::unique_ptr<SqliteCustomerStore> store = std::move(opened).value();

    Expected expected;
    std::vector<Customer> seed;
    Collector<Customer> seeded;
    for (int i = 1; i <= kSeedCustomers; ++i) store->Create(Lead(i), {}, seeded.Callback());
    for (const Result<Customer>& created : seeded.WaitFor(kSeedCustomers)) {
      EXPECT_TRUE(created.ok());
      if (!created.ok()) return {};
      seed.push_back(*created);
      expected.settled[created->id] = *created;
    }
    // Reads before the operation, so that it finds the reader open, as in a running server.
    EXPECT_TRUE(operation == Operation::kGet || GetNow(*store, seed[0].id).ok());
    if (another_process_wrote) {
      const Customer other{FormatCustomerId(int64_t{1'000'000'000'000} * kIdsPerMilli),
                           "Lê Văn Cường",
                           Lead(50).phone,
                           52,
                           "rice_cooker",
                           "2001-09-09T01:46:40.000Z",
                           1,
                           "2001-09-09T01:46:40.000Z"};
      auto db =
          sqlite::Connection::Open(SqliteCustomerStore::DatabasePath(options.data_dir).string(),
                                   SQLITE_OPEN_READWRITE, 1000);
      EXPECT_TRUE(db.ok());
      if (!db.ok()) return {};
      auto insert = db->Prepare(
          "INSERT INTO customers (id, full_name, phone, age, product_code, create_at, updated_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)");
      EXPECT_TRUE(insert.ok());
      if (!insert.ok()) return {};
      insert->Bind(1, other.id);
      insert->Bind(2, other.full_name);
      insert->Bind(3, other.phone);
      insert->Bind(4, int64_t{other.age});
      insert->Bind(5, other.product_code);
      insert->Bind(6, other.create_at);
      EXPECT_EQ(insert->Step(), SQLITE_DONE);
      expected.settled[other.id] = other;
    }

    auto arm = [&] {
      if (kind == nullptr) {
        vfs.Reset();
      } else {
        vfs.Arm(kind->op, nth, kind->code, kind->persistent);
      }
    };
    std::vector<Error> failures;
    const uint64_t commits_before = store->CommitCount();
    RunOperation(operation, *store, seed, arm, expected, failures);
    if (kind != nullptr && !kind->persistent && vfs.Injected() == 0) {
      ADD_FAILURE() << "the fault was never reached: the calls differ from the counted run";
    }
    Counts counts{};
    for (FaultOp op : kOps) counts[static_cast<size_t>(op)] = vfs.Calls(op);

    if (kind == nullptr) {
      EXPECT_TRUE(failures.empty()) << failures.front().message;
      if (operation == Operation::kGroupCreate) {
        // The gate's group, then every create in one more.
        EXPECT_EQ(store->CommitCount(), commits_before + 2);
      }
    } else {
      if (kind->persistent) {
        EXPECT_GE(vfs.Injected(), 1);
      } else {
        EXPECT_LE(vfs.Injected(), 1);
      }
    }
    for (const Error& failure : failures) {
      EXPECT_EQ(failure.code, ErrorCode::kUnavailable) << failure.message;
      // Clients see the message: SQLite's wording stays out of it.
      EXPECT_EQ(failure.message, sqlite::kStoreUnavailableMessage);
      // ...and goes to the log instead.
      EXPECT_NE(failure.detail.find("SQLite"), std::string::npos) << failure.detail;
    }

    // A crash now: the files as they are, opened by a fresh process (WAL recovery).
    CheckCrashImage(dir.path(), options.data_dir, expected, &applied_after_crash_);

    vfs.Clear();
    EXPECT_TRUE(Matches(expected, ListAll(*store), &applied_live_));
    CheckPhoneIndex(*store, expected);

    // The same store, without a restart, writes and reads again.
    auto recovered = CreateNow(*store, Lead(900));
    EXPECT_TRUE(recovered.ok()) << recovered.error().message;
    if (recovered.ok()) {
      expected.settled[recovered->id] = *recovered;
      auto read_back = GetNow(*store, recovered->id);
      EXPECT_TRUE(read_back.ok() && *read_back == *recovered);
    }
    const std::vector<Customer> live = ListAll(*store);
    EXPECT_TRUE(Matches(expected, live));
    EXPECT_EQ(CheckCrashImage(dir.path(), options.data_dir, expected), live);

    store.reset();
    auto reopened = sqlite::Connection::Open(
        SqliteCustomerStore::DatabasePath(options.data_dir).string(), SQLITE_OPEN_READWRITE, 1000);
    EXPECT_TRUE(reopened.ok());
    if (reopened.ok()) {
      EXPECT_EQ(reopened->Execute("PRAGMA synchronous = OFF"), SQLITE_OK);  // thrown away next
      EXPECT_EQ(IntegrityCheck(*reopened), "ok");
      EXPECT_EQ(ReadAll(*reopened), live);
    }
    return counts;
  }

  // Opening an existing database (integrity check, schema check) with `kind` failing call
  // `nth`: refused with kUnavailable or opened whole, and a second open once the fault is
  // cleared, in the same process, finds everything.
  Counts RunOpenPoint(const FaultKind* kind, int64_t nth) {
    test::TempDirectory dir(SweepRoot());
    SqliteOptions options;
    options.data_dir = dir.path() / "data";
    options.vfs = FaultVfs::kName;
    FaultVfs& vfs = FaultVfs::Get();
    vfs.Reset();
    std::vector<Customer> seed;
    {
      auto store = SqliteCustomerStore::Open(options);
      EXPECT_TRUE(store.ok()) << store.error().message;
      if (!store.ok()) return {};
      for (int i = 1; i <= kSeedCustomers; ++i) {
        auto created = CreateNow(**store, Lead(i));
        EXPECT_TRUE(created.ok());
        if (created.ok()) seed.push_back(*created);
      }
    }
    if (kind == nullptr) {
      vfs.Reset();
    } else {
      vfs.Arm(kind->op, nth, kind->code, kind->persistent);
    }
    Counts counts{};
    {
      auto store = SqliteCustomerStore::Open(options);
      for (FaultOp op : kOps) counts[static_cast<size_t>(op)] = vfs.Calls(op);
      if (kind != nullptr) {
        EXPECT_GE(vfs.Injected(), 1);
      }
      vfs.Clear();
      if (store.ok()) {
        EXPECT_EQ(ListAll(**store), seed);
      } else {
        EXPECT_EQ(store.error().code, ErrorCode::kUnavailable) << store.error().message;
      }
    }
    auto again = SqliteCustomerStore::Open(options);
    EXPECT_TRUE(again.ok()) << again.error().message;
    if (again.ok()) {
      EXPECT_EQ(ListAll(**again), seed);
      auto created = CreateNow(**again, Lead(900));
      EXPECT_TRUE(created.ok()) << created.error().message;
      again->reset();
    }
    auto reopened = sqlite::Connection::Open(
        SqliteCustomerStore::DatabasePath(options.data_dir).string(), SQLITE_OPEN_READWRITE, 1000);
    EXPECT_TRUE(reopened.ok());
    if (reopened.ok()) {
      EXPECT_EQ(IntegrityCheck(*reopened), "ok");
    }
    return counts;
  }

  // Runs `operation` after `arm` and records what it reports.
  void RunOperation(Operation operation, SqliteCustomerStore& store,
                    const std::vector<Customer>& seed, const std::function<void()>& arm,
                    Expected& expected, std::vector<Error>& failures) {
    auto create_outcome = [&](const NewCustomer& asked, const Result<Customer>& result) {
      Customer fields{"", asked.full_name, asked.phone, asked.age, asked.product_code, "", 1, ""};
      if (result.ok()) {
        EXPECT_TRUE(Same(*result, fields));
        expected.settled[result->id] = *result;
      } else {
        failures.push_back(result.error());
        expected.uncertain.push_back({std::nullopt, fields});
      }
    };
    switch (operation) {
      case Operation::kCreate: {
        arm();
        create_outcome(Lead(100), CreateNow(store, Lead(100)));
        break;
      }
      case Operation::kUpdate: {
        // Every field, the phone too: the row and the phone index both change.
        CustomerPatch patch{"Trần Thị Bình", Lead(101).phone, 45, "garden_tool"};
        Customer after{seed[0].id,          *patch.full_name,
                       *patch.phone,        *patch.age,
                       *patch.product_code, seed[0].create_at,
                       seed[0].version + 1, FormatIsoMillis(kStillMillis)};
        expected.settled.erase(seed[0].id);
        arm();
        auto updated = UpdateNow(store, seed[0].id, patch);
        if (updated.ok()) {
          EXPECT_EQ(*updated, after);
          expected.settled[after.id] = after;
        } else {
          failures.push_back(updated.error());
          expected.uncertain.push_back({seed[0], after});
        }
        break;
      }
      case Operation::kDelete: {
        expected.settled.erase(seed[1].id);
        arm();
        auto deleted = TrashNow(store, seed[1].id);
        if (!deleted.ok()) {
          failures.push_back(deleted.error());
          expected.uncertain.push_back({seed[1], std::nullopt});
        }
        break;
      }
      case Operation::kGroupCreate: {
        // A write whose callback holds the writer thread (it runs there, after its group)
        // while the creates queue up, so they all land in the next group, deterministically.
        std::promise<void> entered;
        std::promise<void> release;
        std::shared_future<void> released = release.get_future().share();
        const Actor by = test::TestActor();
        store.Trash(kMissingId, {}, by, [&entered, released](Status) {
          entered.set_value();
          released.wait();
        });
        entered.get_future().wait();
        arm();
        Collector<Customer> results;
        for (int i = 0; i < kGroupSize; ++i) store.Create(Lead(200 + i), by, results.Callback());
        release.set_value();
        const std::vector<Result<Customer>> outcomes = results.WaitFor(kGroupSize);
        // Callbacks arrive in submission order (one writer thread, one queue).
        for (int i = 0; i < kGroupSize; ++i) create_outcome(Lead(200 + i), outcomes[i]);
        break;
      }
      case Operation::kGet: {
        arm();
        auto got = GetNow(store, seed[0].id);
        if (got.ok()) {
          EXPECT_EQ(*got, seed[0]);
        } else {
          failures.push_back(got.error());
        }
        break;
      }
    }
  }

  // Copies the database and its WAL (not the -shm index, which a crash would leave stale)
  // as a crash would leave them, checks the copy, and answers what it holds.
  std::vector<Customer> CheckCrashImage(const std::filesystem::path& dir,
                                        const std::filesystem::path& data_dir,
                                        const Expected& expected, int* applied = nullptr) {
    const std::filesystem::path image = dir / "crash";
    std::filesystem::remove_all(image);
    std::filesystem::create_directories(image);
    const std::filesystem::path db = SqliteCustomerStore::DatabasePath(data_dir);
    std::filesystem::copy_file(db, image / db.filename());
    std::filesystem::path wal = db;
    wal += "-wal";
    if (std::filesystem::exists(wal)) std::filesystem::copy_file(wal, image / wal.filename());
    auto opened =
        sqlite::Connection::Open((image / db.filename()).string(), SQLITE_OPEN_READWRITE, 1000);
    EXPECT_TRUE(opened.ok());
    if (!opened.ok()) return {};
    // The copy is thrown away: its checkpoint at close need not reach the disk.
    EXPECT_EQ(opened->Execute("PRAGMA synchronous = OFF"), SQLITE_OK);
    EXPECT_EQ(IntegrityCheck(*opened), "ok");
    std::vector<Customer> rows = ReadAll(*opened);
    EXPECT_TRUE(Matches(expected, rows, applied)) << "in the crash image";
    return rows;
  }

  // The phone lookups (through the unique index) agree with the rows: each phone the
  // operation may have touched is held by the row that has it, or by none.
  void CheckPhoneIndex(SqliteCustomerStore& store, const Expected& expected) {
    std::map<std::string, std::optional<Customer>> holders;
    for (const auto& [id, customer] : expected.settled) holders[customer.phone];
    for (const Uncertain& change : expected.uncertain) {
      if (change.before) holders[change.before->phone];
      if (change.after) holders[change.after->phone];
    }
    const std::vector<Customer> rows = ListAll(store);
    for (auto& [phone, holder] : holders) {
      for (const Customer& row : rows) {
        if (row.phone == phone) holder = row;
      }
      auto found = FindByPhoneNow(store, phone);
      EXPECT_TRUE(found.ok());
      if (found.ok()) {
        EXPECT_EQ(*found, holder) << "phone " << phone;
      }
    }
  }

  Counts last_counts_{};
  // Failed changes found made anyway (allowed: SQLite cannot always tell), reported by Sweep.
  int applied_live_ = 0;
  int applied_after_crash_ = 0;
};

TEST_F(SqliteFaultSweepTest, Create) { Sweep(Operation::kCreate); }
TEST_F(SqliteFaultSweepTest, Update) { Sweep(Operation::kUpdate); }
TEST_F(SqliteFaultSweepTest, Delete) { Sweep(Operation::kDelete); }
TEST_F(SqliteFaultSweepTest, GroupCommitOfConcurrentCreates) { Sweep(Operation::kGroupCreate); }
// Another process sharing the file wrote last: the writer rereads pages (WAL and database),
// so read faults reach writes too.
TEST_F(SqliteFaultSweepTest, CreateAfterAnotherProcessWrote) { Sweep(Operation::kCreate, true); }
TEST_F(SqliteFaultSweepTest, UpdateAfterAnotherProcessWrote) { Sweep(Operation::kUpdate, true); }
TEST_F(SqliteFaultSweepTest, DeleteAfterAnotherProcessWrote) { Sweep(Operation::kDelete, true); }
TEST_F(SqliteFaultSweepTest, GroupCommitAfterAnotherProcessWrote) {
  Sweep(Operation::kGroupCreate, true);
}
TEST_F(SqliteFaultSweepTest, GetOnAFreshReader) { Sweep(Operation::kGet); }
TEST_F(SqliteFaultSweepTest, OpenExistingDatabase) {
  Sweep([&](const FaultKind* kind, int64_t nth) { return RunOpenPoint(kind, nth); },
        /*writes=*/false);
}

}  // namespace
}  // namespace pcustomer
