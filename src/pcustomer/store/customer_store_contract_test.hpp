#pragma once

// The backends the CustomerStore contract runs on, and its fixture: SQLite on a temporary
// directory, DynamoDB on the in-memory fake, and DynamoDB through the real client against
// DynamoDB Local (AWS's emulator; the CTest entry customer_store_contract_dynamodb_local
// starts it). The contract's cases are spread over store/*_contract_test.cpp files, one per
// concern, all in the suites CustomerStoreContract/SQLite, /FakeDynamoDb and /DynamoDbLocal:
// each file declares TYPED_TEST_SUITE(CustomerStoreContract, Backends, BackendNames).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/customer_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_idempotency_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_secret_store.hpp"
#include "pcustomer/store/dynamodb/testing/emulator_endpoint.hpp"
#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"
#include "pcustomer/store/idempotency_store.hpp"
#include "pcustomer/store/secret_store.hpp"
#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"
#include "pcustomer/store/sqlite/sqlite_database.hpp"
#include "pcustomer/store/sqlite/sqlite_idempotency_store.hpp"
#include "pcustomer/store/sqlite/sqlite_secret_store.hpp"
#include "pcustomer/store/testing/store_calls.hpp"

namespace pcustomer::test {

inline constexpr const char* kPhoneTaken =
    "Phone number is already used by another potential customer";

// A backend under test owns the data its stores share; Open() gives another customer store
// on it, as another process would open one (`clock`: the ids' milliseconds; the system clock
// when empty), OpenSecrets() a secret store and OpenIdempotency() an idempotency store (their
// contracts run on the same backends). Both answer nullptr, and problem() why, when the backend
// cannot be reached.
class SQLite {
 public:
  std::unique_ptr<CustomerStore> Open(CustomerIdGenerator::Clock clock) {
    SqliteOptions options;
    options.data_dir = dir_.path() / "data";
    options.clock = std::move(clock);
    auto store = SqliteCustomerStore::Open(options);
    if (!store.ok()) {
      problem_ = store.error().message;
      return nullptr;
    }
    return std::move(store).value();
  }
  std::unique_ptr<SecretStore> OpenSecrets() {
    auto database = OpenDatabase();
    if (!database) return nullptr;
    return std::make_unique<SqliteSecretStore>(std::move(database));
  }
  std::unique_ptr<IdempotencyStore> OpenIdempotency() {
    auto database = OpenDatabase();
    if (!database) return nullptr;
    return std::make_unique<SqliteIdempotencyStore>(std::move(database));
  }
  const std::string& problem() const { return problem_; }

 private:
  std::shared_ptr<SqliteDatabase> OpenDatabase() {
    SqliteOptions options;
    options.data_dir = dir_.path() / "data";
    auto database = SqliteDatabase::Open(options);
    if (!database.ok()) {
      problem_ = database.error().message;
      return nullptr;
    }
    return std::move(database).value();
  }

  test::TempDirectory dir_;
  std::string problem_;
};

class FakeDynamoDb {
 public:
  FakeDynamoDb() { fake_.AddServiceIndexes(); }
  std::unique_ptr<CustomerStore> Open(CustomerIdGenerator::Clock clock) {
    DynamoDbStoreOptions options;
    options.clock = std::move(clock);
    return std::make_unique<DynamoDbCustomerStore>(fake_, "pcustomers", options);
  }
  std::unique_ptr<SecretStore> OpenSecrets() {
    return std::make_unique<DynamoDbSecretStore>(fake_, "pcustomers");
  }
  std::unique_ptr<IdempotencyStore> OpenIdempotency() {
    return std::make_unique<DynamoDbIdempotencyStore>(fake_, "pcustomers");
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
    auto table = endpoint().CreateFreshTable("pcustomers_contract");
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

  std::unique_ptr<CustomerStore> Open(CustomerIdGenerator::Clock clock) {
    if (table_.empty()) return nullptr;
    DynamoDbStoreOptions options;
    options.clock = std::move(clock);
    return std::make_unique<DynamoDbCustomerStore>(endpoint().client(), table_, options);
  }
  std::unique_ptr<SecretStore> OpenSecrets() {
    if (table_.empty()) return nullptr;
    return std::make_unique<DynamoDbSecretStore>(endpoint().client(), table_);
  }
  std::unique_ptr<IdempotencyStore> OpenIdempotency() {
    if (table_.empty()) return nullptr;
    return std::make_unique<DynamoDbIdempotencyStore>(endpoint().client(), table_);
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

// Suites named <Contract>/SQLite, /FakeDynamoDb and /DynamoDbLocal.
struct BackendNames {
  template <class Backend>
  static std::string GetName(int) {
    if constexpr (std::is_same_v<Backend, SQLite>) return "SQLite";
    if constexpr (std::is_same_v<Backend, FakeDynamoDb>) return "FakeDynamoDb";
    if constexpr (std::is_same_v<Backend, DynamoDbLocal>) return "DynamoDbLocal";
  }
};

template <class Backend>
class CustomerStoreContract : public ::testing::Test {
 public:
  void SetUp() override { ASSERT_NE(store_, nullptr) << backend_.problem(); }

  CustomerStore& store() { return *store_; }
  std::unique_ptr<CustomerStore> OpenAnother(CustomerIdGenerator::Clock clock = {}) {
    auto store = backend_.Open(std::move(clock));
    EXPECT_NE(store, nullptr) << backend_.problem();
    return store;
  }

  static void ExpectPhoneConflict(const Result<Customer>& result, const std::string& holder) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kConflict);
    EXPECT_EQ(result.error().message, kPhoneTaken);
    EXPECT_EQ(result.error().reasons, (std::vector<Reason>{{"phone", holder}}));
  }
  static void ExpectNotFound(const Error& error) {
    EXPECT_EQ(error.code, ErrorCode::kNotFound);
    EXPECT_EQ(error.message, "Potential customer not found");
  }

  Backend backend_;
  std::unique_ptr<CustomerStore> store_ = backend_.Open({});
};

}  // namespace pcustomer::test
