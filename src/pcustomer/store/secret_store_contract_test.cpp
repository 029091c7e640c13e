// The SecretStore contract, run against the backends of the CustomerStore contract
// (customer_store_contract_test.hpp): SQLite on a temporary directory, DynamoDB on the
// in-memory fake, and DynamoDB through the real client against DynamoDB Local (the CTest
// entry customer_store_contract_dynamodb_local starts it). What only one backend has to get
// right (its layout) stays in its own test file.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "pcustomer/store/customer_store_contract_test.hpp"
#include "pcustomer/store/secret_store.hpp"

namespace pcustomer {
namespace {

using test::BackendNames;
using test::Backends;

template <class Backend>
class SecretStoreContract : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(store_, nullptr) << backend_.problem(); }

  SecretStore& store() { return *store_; }
  std::unique_ptr<SecretStore> OpenAnother() {
    auto store = backend_.OpenSecrets();
    EXPECT_NE(store, nullptr) << backend_.problem();
    return store;
  }

  Backend backend_;
  std::unique_ptr<SecretStore> store_ = backend_.OpenSecrets();
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
