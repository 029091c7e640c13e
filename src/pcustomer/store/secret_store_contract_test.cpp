// The SecretStore contract, run against every backend: SQLite on a temporary directory,
// DynamoDB on the in-memory fake, and DynamoDB through the real client against DynamoDB
// Local (the CTest entry customer_store_contract_dynamodb_local starts it). What only one
// backend has to get right (its layout) stays in its own test file.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <type_traits>

#include "pcustomer/store/dynamodb/dynamodb_secret_store.hpp"
#include "pcustomer/store/dynamodb/testing/emulator_endpoint.hpp"
#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"
#include "pcustomer/store/secret_store.hpp"
#include "pcustomer/store/sqlite/sqlite_database.hpp"
#include "pcustomer/store/sqlite/sqlite_secret_store.hpp"
#include "pcustomer/store/testing/store_calls.hpp"

namespace pcustomer {
namespace {

// A backend under test owns the data its stores share; Open() gives another store on it, as
// another process would open one. Open() answers nullptr, and problem() why, when the
// backend cannot be reached.
class SQLite {
 public:
  std::unique_ptr<SecretStore> Open() {
    SqliteOptions options;
    options.data_dir = dir_.path() / "data";
    auto database = SqliteDatabase::Open(options);
    if (!database.ok()) {
      problem_ = database.error().message;
      return nullptr;
    }
    return std::make_unique<SqliteSecretStore>(std::move(database).value());
  }
  const std::string& problem() const { return problem_; }

 private:
  test::TempDirectory dir_;
  std::string problem_;
};

class FakeDynamoDb {
 public:
  std::unique_ptr<SecretStore> Open() {
    return std::make_unique<DynamoDbSecretStore>(fake_, "pcustomers");
  }
  const std::string& problem() const { return problem_; }

 private:
  dynamodb::testing::FakeDynamoDb fake_;
  std::string problem_;
};

// A table of its own on the emulator for each test.
class DynamoDbLocal {
 public:
  DynamoDbLocal() {
    auto table = endpoint().CreateFreshTable("pcustomers_secrets");
    if (table.ok()) {
      table_ = *table;
    } else {
      problem_ = table.error().message;
    }
  }
  ~DynamoDbLocal() {
    if (!table_.empty()) endpoint().DeleteTable(table_);
  }
  DynamoDbLocal(const DynamoDbLocal&) = delete;
  DynamoDbLocal& operator=(const DynamoDbLocal&) = delete;

  std::unique_ptr<SecretStore> Open() {
    if (table_.empty()) return nullptr;
    return std::make_unique<DynamoDbSecretStore>(endpoint().client(), table_);
  }
  const std::string& problem() const { return problem_; }

 private:
  static dynamodb::testing::EmulatorEndpoint& endpoint() {
    return dynamodb::testing::EmulatorEndpoint::Get();
  }
  std::string table_;
  std::string problem_;
};

using Backends = ::testing::Types<SQLite, FakeDynamoDb, DynamoDbLocal>;

// Suites named SecretStoreContract/SQLite, /FakeDynamoDb and /DynamoDbLocal.
struct BackendNames {
  template <class Backend>
  static std::string GetName(int) {
    if constexpr (std::is_same_v<Backend, SQLite>) return "SQLite";
    if constexpr (std::is_same_v<Backend, FakeDynamoDb>) return "FakeDynamoDb";
    if constexpr (std::is_same_v<Backend, DynamoDbLocal>) return "DynamoDbLocal";
  }
};

template <class Backend>
class SecretStoreContract : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(store_, nullptr) << backend_.problem(); }

  SecretStore& store() { return *store_; }
  std::unique_ptr<SecretStore> OpenAnother() {
    auto store = backend_.Open();
    EXPECT_NE(store, nullptr) << backend_.problem();
    return store;
  }

  Backend backend_;
  std::unique_ptr<SecretStore> store_ = backend_.Open();
};

TYPED_TEST_SUITE(SecretStoreContract, Backends, BackendNames);

TYPED_TEST(SecretStoreContract, SecretsAreCreatedOnceAndSharedByEveryStore) {
  auto first = this->store().LoadOrCreateSecret("cursor");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->size(), 32u);
  EXPECT_EQ(*this->store().LoadOrCreateSecret("cursor"), *first);
  auto again = this->OpenAnother()->LoadOrCreateSecret("cursor");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *first);
  auto other = this->store().LoadOrCreateSecret("other");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, *first);
}

}  // namespace
}  // namespace pcustomer
