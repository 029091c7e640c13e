#include "pcustomer/store/sqlite/schema.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <string>

#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"
#include "pcustomer/store/sqlite/sqlite_secret_store.hpp"
#include "pcustomer/store/sqlite/sqlite_user_store.hpp"
#include "pcustomer/store/sqlite/testing/fault_vfs.hpp"
#include "pcustomer/store/testing/store_calls.hpp"

namespace pcustomer {
namespace {

class SchemaTest : public ::testing::Test {
 protected:
  SqliteOptions Options() const {
    SqliteOptions options;
    options.data_dir = dir_.path();
    return options;
  }
  std::string DatabaseFile() const {
    return SqliteCustomerStore::DatabasePath(dir_.path()).string();
  }
  sqlite::Connection Raw() {
    auto db =
        sqlite::Connection::Open(DatabaseFile(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 1000);
    EXPECT_TRUE(db.ok());
    return std::move(db).value();
  }
  int UserVersion() {
    auto db = Raw();
    auto version = sqlite::ReadSchemaVersion(db);
    EXPECT_TRUE(version.ok());
    return version.ok() ? *version : -1;
  }

  test::TempDirectory dir_;
};

TEST_F(SchemaTest, MigratesAnEmptyFileToTheCurrentVersion) {
  std::ofstream(DatabaseFile()).close();  // zero bytes
  {
    auto store = SqliteCustomerStore::Open(Options());
    ASSERT_TRUE(store.ok()) << store.error().message;
  }
  EXPECT_EQ(UserVersion(), sqlite::kSchemaVersion);
  EXPECT_EQ(UserVersion(), sqlite::kSchemaVersion);
  auto db = Raw();
  EXPECT_EQ(db.Execute("SELECT id, full_name, phone, age, product_code, create_at FROM customers"),
            SQLITE_OK);
  EXPECT_EQ(db.Execute("SELECT name, value FROM secrets"), SQLITE_OK);
  EXPECT_EQ(db.Execute("SELECT username_key, username, password_hash, role, team, disabled, "
                       "created_at FROM users"),
            SQLITE_OK);
  EXPECT_EQ(db.Execute("SELECT token_hash, family_id, username_key, issued_at, expires_at, state "
                       "FROM refresh_tokens"),
            SQLITE_OK);
  EXPECT_EQ(db.Execute("SELECT id, checked_at FROM readiness"), SQLITE_OK);
  EXPECT_EQ(db.Execute("SELECT key, fingerprint, token, expires_at, status, headers, body FROM "
                       "idempotency_keys"),
            SQLITE_OK);
  EXPECT_EQ(db.Execute("SELECT customer_id, version, at, by_sub, by_username, action, changes "
                       "FROM history"),
            SQLITE_OK);
  EXPECT_EQ(db.Execute("SELECT id, full_name, phone, age, product_code, create_at, version, "
                       "updated_at, deleted_at, deleted_by_sub, deleted_by_username FROM trash"),
            SQLITE_OK);
  EXPECT_EQ(db.Execute("SELECT rowid FROM customer_name_search WHERE customer_name_search "
                       "MATCH '\"ng\"*'"),
            SQLITE_OK);
  EXPECT_EQ(db.Execute("SELECT rowid FROM customer_phone_search WHERE customer_phone_search "
                       "MATCH 's345678'"),
            SQLITE_OK);
}

TEST_F(SchemaTest, CreatesAMissingDataDirectory) {
  SqliteOptions options = Options();
  options.data_dir = dir_.path() / "a" / "b";
  auto store = SqliteCustomerStore::Open(options);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_TRUE(std::filesystem::exists(SqliteCustomerStore::DatabasePath(options.data_dir)));
}

TEST_F(SchemaTest, ReopeningACurrentDatabaseKeepsItsVersion) {
  for (int i = 0; i < 2; ++i) {
    auto store = SqliteCustomerStore::Open(Options());
    ASSERT_TRUE(store.ok()) << store.error().message;
  }
  EXPECT_EQ(UserVersion(), sqlite::kSchemaVersion);
}

TEST_F(SchemaTest, MigratesAVersion1DatabaseKeepingItsCustomersAndSecrets) {
  // The version 1 schema as released, written by hand so this test keeps pinning it.
  {
    auto db = Raw();
    ASSERT_EQ(db.Execute(R"sql(
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
      INSERT INTO customers VALUES ('CUSTOMER#1795545750015000', 'Nguyễn Văn An',
        '0912345678', 30, 'household_tool', '2026-11-24T10:00:00.015Z');
      INSERT INTO secrets VALUES ('cursor', zeroblob(32));
      PRAGMA user_version = 1;
    )sql"),
              SQLITE_OK);
  }
  auto database = SqliteDatabase::Open(Options());
  ASSERT_TRUE(database.ok()) << database.error().message;
  EXPECT_EQ(UserVersion(), sqlite::kSchemaVersion);
  SqliteCustomerStore customers(*database);
  // The lead written before search is found by its name and its phone.
  SearchRequest by_name;
  by_name.filter.name_prefixes = {"van", "ng"};
  SearchRequest by_phone;
  by_phone.filter.phone_digits = "2345";
  SearchRequest by_name_order;
  by_name_order.sort.field = CustomerSortField::kFullName;
  for (const SearchRequest& request : {by_name, by_phone, by_name_order}) {
    auto found = test::SearchNow(customers, request);
    ASSERT_TRUE(found.ok()) << found.error().message;
    ASSERT_EQ(found->items.size(), 1u);
    EXPECT_EQ(found->items[0].id, "CUSTOMER#1795545750015000");
  }
  auto kept = test::GetNow(customers, "CUSTOMER#1795545750015000");
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ(*kept, (Customer{"CUSTOMER#1795545750015000", "Nguyễn Văn An", "0912345678", 30,
                             "household_tool", "2026-11-24T10:00:00.015Z", 1,
                             "2026-11-24T10:00:00.015Z"}));
  EXPECT_EQ(*SqliteSecretStore(*database).LoadOrCreateSecret("cursor"), std::string(32, '\0'));
  // The new tables work beside the old ones.
  SqliteUserStore users(*database);
  ASSERT_TRUE(test::Await<Ok>([&](Done<Ok> done) {
                users.CreateUser({"alice", "$argon2id$x", "admin", "sales", false, 1}, done);
              }).ok());
  auto count = test::Await<int64_t>([&](Done<int64_t> done) { users.CountUsers(done); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);
  EXPECT_TRUE(test::CreateNow(customers, test::Lead(2)).ok());
}

TEST_F(SchemaTest, RefusesADatabaseFromANewerBuild) {
  {
    auto db = Raw();
    ASSERT_EQ(db.Execute("PRAGMA user_version = 99"), SQLITE_OK);
  }
  auto store = SqliteCustomerStore::Open(Options());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("schema version 99"), std::string::npos)
      << store.error().message;
  EXPECT_EQ(UserVersion(), 99);  // left as found
}

TEST_F(SchemaTest, RefusesACorruptDatabase) {
  {
    auto store = SqliteCustomerStore::Open(Options());
    ASSERT_TRUE(store.ok());
    for (int i = 0; i < 300; ++i) ASSERT_TRUE(test::CreateNow(**store, test::Lead(i)).ok());
  }
  // Closing checkpointed the log into the file, so the rows are in it.
  ASSERT_FALSE(std::filesystem::exists(DatabaseFile() + "-wal"));
  const auto size = std::filesystem::file_size(DatabaseFile());
  constexpr std::uintmax_t kPage = 4096;
  ASSERT_GE(size, 4 * kPage);
  {
    std::fstream file(DatabaseFile(), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(size / kPage / 2 * kPage));
    const std::string garbage(kPage, '\xa5');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  auto store = SqliteCustomerStore::Open(Options());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kInternal);
  EXPECT_NE(store.error().message.find("corrupt"), std::string::npos) << store.error().message;
}

TEST_F(SchemaTest, RefusesAFileThatIsNotADatabase) {
  {
    std::ofstream file(DatabaseFile(), std::ios::binary);
    file << std::string(8192, 'x');
  }
  auto store = SqliteCustomerStore::Open(Options());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("not a database"), std::string::npos)
      << store.error().message;
}

// quick_check reports a page it cannot read as a finding, not as its result; such a finding
// used to be taken for damage, so one failed disk read at start stopped the server with
// "corrupt" and sent the operator to the backups.
TEST_F(SchemaTest, ReadErrorDuringIntegrityCheckIsUnavailableNotCorruption) {
  {
    auto store = SqliteCustomerStore::Open(Options());
    ASSERT_TRUE(store.ok()) << store.error().message;
    for (int i = 0; i < 50; ++i) ASSERT_TRUE(test::CreateNow(**store, test::Lead(i)).ok());
  }
  using sqlite::testing::FaultOp;
  using sqlite::testing::FaultVfs;
  FaultVfs& vfs = FaultVfs::Get();
  auto open = [&] {
    return sqlite::Connection::Open(DatabaseFile(), SQLITE_OPEN_READWRITE, 1000, FaultVfs::kName);
  };
  int64_t reads = 0;
  {
    auto db = open();
    ASSERT_TRUE(db.ok());
    vfs.Reset();
    ASSERT_TRUE(sqlite::CheckIntegrity(*db).ok());
    reads = vfs.Calls(FaultOp::kRead);
  }
  // The last read is a page of the b-tree walk, after the schema was read.
  ASSERT_GE(reads, 3);
  auto db = open();
  ASSERT_TRUE(db.ok());
  vfs.Arm(FaultOp::kRead, reads, SQLITE_IOERR_READ, /*persistent=*/false);
  Status checked = sqlite::CheckIntegrity(*db);
  const int64_t injected = vfs.Injected();
  vfs.Reset();
  EXPECT_EQ(injected, 1);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().code, ErrorCode::kUnavailable) << checked.error().message;
  EXPECT_NE(checked.error().detail.find("unable to get the page"), std::string::npos)
      << checked.error().detail;
  // Once the disk reads again, the same connection finds the file whole.
  EXPECT_TRUE(sqlite::CheckIntegrity(*db).ok());
}

}  // namespace
}  // namespace pcustomer
