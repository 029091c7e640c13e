#pragma once

#include <memory>

#include "pcustomer/app/config.hpp"
#include "pcustomer/aws/credentials.hpp"
#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/aws/endpoint.hpp"
#include "pcustomer/aws/http_client.hpp"
#include "pcustomer/store/customer_store.hpp"
#include "pcustomer/store/idempotency_store.hpp"
#include "pcustomer/store/secret_store.hpp"
#include "pcustomer/store/user_store.hpp"

namespace pcustomer {

// The AWS plumbing of a process: one HTTP client (its own event loop), credentials, and a
// DynamoDB client when the store is DynamoDB. Members are destroyed in reverse order, so
// every user goes before what it uses.
struct AwsRuntime {
  std::unique_ptr<HttpClient> http;
  std::unique_ptr<AwsCredentialsProvider> credentials;
  std::unique_ptr<DynamoDbClient> dynamodb;
};

// The stores `config` names: SQLite in the data directory, or the DynamoDB table.
struct Stores {
  std::shared_ptr<AwsRuntime> aws;  // first: destroyed after the stores that use it
  std::unique_ptr<CustomerStore> customers;
  std::unique_ptr<UserStore> users;
  std::unique_ptr<SecretStore> secrets;
  std::unique_ptr<IdempotencyStore> idempotency;
};

// AWS settings as the SDKs read them: recognised variables from .env and the environment
// first, then the rest of the process environment (HOME, AWS_CONFIG_FILE, ...).
EnvLookup AwsEnvironment(const Config& config);

// The HTTP client and, for PCUSTOMER_STORE=dynamodb, credentials and the DynamoDB client.
Result<std::shared_ptr<AwsRuntime>> OpenAwsRuntime(const Config& config);

Result<Stores> OpenStores(const Config& config);

}  // namespace pcustomer
