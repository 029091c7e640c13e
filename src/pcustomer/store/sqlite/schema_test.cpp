#include "pcustomer/store/sqlite/schema.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <string>

#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"
#include "pcustomer/store/sqlite/test_support.hpp"

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
  EXPECT_EQ(UserVersion(), 1);
  auto db = Raw();
  EXPECT_EQ(db.Execute("SELECT id, full_name, phone, age, product_code, create_at FROM customers"),
            SQLITE_OK);
  EXPECT_EQ(db.Execute("SELECT name, value FROM secrets"), SQLITE_OK);
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
  EXPECT_EQ(UserVersion(), 1);
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

}  // namespace
}  // namespace pcustomer
