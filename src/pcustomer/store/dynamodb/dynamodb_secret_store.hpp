#pragma once

#include <string>
#include <string_view>

#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/secret_store.hpp"

namespace pcustomer {

// The secrets of the DynamoDB store, in the customers' table: an item {type: kSecretType,
// id: name, value: B} per secret. The client must outlive the store.
class DynamoDbSecretStore final : public SecretStore {
 public:
  DynamoDbSecretStore(DynamoDbClient& client, std::string table);

  // A PutItem of fresh random bytes with attribute_not_exists(id), then a consistent
  // GetItem, so every process sharing the table gets the first writer's bytes. Values
  // written as a base64 string read back too. Blocks until the client answers: never call
  // it on the client's callback thread.
  Result<std::string> LoadOrCreateSecret(std::string_view name) override;

 private:
  DynamoDbClient& client_;
  const std::string table_;
};

}  // namespace pcustomer
