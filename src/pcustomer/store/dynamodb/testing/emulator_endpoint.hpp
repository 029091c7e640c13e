#pragma once

// Test support: the DynamoDB emulator that AWS_ENDPOINT_URL_DYNAMODB names (DynamoDB Local
// or dynalite, started by tests/dynamodb/with-dynamodb-local.mjs or with-dynalite.mjs),
// reached through the real client (SigV4 over HTTP) with dummy credentials. Tests only.

#include <memory>
#include <string>
#include <string_view>

#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer::dynamodb::testing {

class EmulatorEndpoint {
 public:
  // The endpoint of this process, set up on first use.
  static EmulatorEndpoint& Get();

  // False when AWS_ENDPOINT_URL_DYNAMODB is not set or names no usable endpoint; problem()
  // says which, so that a test can fail with it (never touch real AWS by accident).
  bool available() const { return client_ != nullptr; }
  const std::string& problem() const { return problem_; }
  DynamoDbClient& client() { return *client_; }

  // A new table in the service's layout, under a name no other table of this run has.
  Result<std::string> CreateFreshTable(std::string_view prefix);
  // Removes a table made by CreateFreshTable; failures are ignored (the emulator is gone
  // at the end of the run anyway).
  void DeleteTable(const std::string& table);
  // One raw call, waiting for its answer.
  DynamoDbResult Call(std::string_view operation, std::string request_json);

 private:
  EmulatorEndpoint();
  struct Parts;
  std::shared_ptr<Parts> parts_;
  DynamoDbClient* client_ = nullptr;
  std::string problem_;
  int tables_made_ = 0;
};

}  // namespace pcustomer::dynamodb::testing
