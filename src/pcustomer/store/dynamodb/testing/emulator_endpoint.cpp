#include "pcustomer/store/dynamodb/testing/emulator_endpoint.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <future>

#include "pcustomer/aws/credentials.hpp"
#include "pcustomer/aws/dynamodb_http_client.hpp"
#include "pcustomer/aws/endpoint.hpp"
#include "pcustomer/aws/http_client.hpp"
#include "pcustomer/store/dynamodb/dynamodb_table.hpp"

namespace pcustomer::dynamodb::testing {

struct EmulatorEndpoint::Parts {
  std::unique_ptr<HttpClient> transport;
  std::unique_ptr<StaticCredentialsProvider> credentials;
  std::unique_ptr<DynamoDbHttpClient> client;
};

EmulatorEndpoint& EmulatorEndpoint::Get() {
  // Never destroyed: the client's event loop may still be finishing calls at exit.
  static EmulatorEndpoint* endpoint = new EmulatorEndpoint();
  return *endpoint;
}

EmulatorEndpoint::EmulatorEndpoint() {
  const char* url = std::getenv("AWS_ENDPOINT_URL_DYNAMODB");
  if (url == nullptr || *url == '\0') {
    problem_ =
        "AWS_ENDPOINT_URL_DYNAMODB is not set: run through tests/dynamodb/with-dynamodb-local.mjs";
    return;
  }
  auto endpoint = ResolveEndpoint(kDynamoDbService, "us-east-1", ProcessEnvironment());
  if (!endpoint.ok()) {
    problem_ = endpoint.error().message;
    return;
  }
  parts_ = std::make_shared<Parts>();
  parts_->transport = std::make_unique<HttpClient>();
  parts_->credentials = std::make_unique<StaticCredentialsProvider>(
      AwsCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}, {}}, "test");
  DynamoDbHttpClientOptions options;
  options.endpoint = *endpoint;
  options.region = "us-east-1";
  // The emulator shares the machine with other tests: a slow answer there is load, not what
  // these tests check (the client's deadlines and retries have tests of their own), so an
  // attempt may take long before it counts as lost.
  options.attempt_timeout = std::chrono::seconds(30);
  parts_->client =
      std::make_unique<DynamoDbHttpClient>(options, *parts_->transport, *parts_->credentials);
  client_ = parts_->client.get();
}

Result<std::string> EmulatorEndpoint::CreateFreshTable(std::string_view prefix) {
  if (!available()) return Error::Unavailable(problem_);
  const auto stamp = std::chrono::system_clock::now().time_since_epoch().count() % 1'000'000;
  std::string table = std::string(prefix) + "_" + std::to_string(getpid()) + "_" +
                      std::to_string(stamp) + "_" + std::to_string(++tables_made_);
  TableWaitOptions wait;
  wait.poll_interval = std::chrono::milliseconds(50);
  auto setup = CreateTable(*client_, table, wait);
  if (!setup.ok()) return setup.error();
  return table;
}

void EmulatorEndpoint::DeleteTable(const std::string& table) {
  if (available()) (void)Call("DeleteTable", "{\"TableName\":\"" + table + "\"}");
}

DynamoDbResult EmulatorEndpoint::Call(std::string_view operation, std::string request_json) {
  if (!available()) return DynamoDbCallError::Unavailable(problem_);
  std::promise<DynamoDbResult> promise;
  std::future<DynamoDbResult> future = promise.get_future();
  client_->Call(operation, std::move(request_json),
                [&promise](DynamoDbResult answer) { promise.set_value(std::move(answer)); });
  return future.get();
}

}  // namespace pcustomer::dynamodb::testing
