#pragma once

// Test support: the two DynamoDB endpoints the table and call contracts run on, each handing
// out fresh tables. FakeEndpoint is the in-memory fake, EmulatorTables the emulator of
// emulator_endpoint.hpp (DynamoDB Local in the CTest entry customer_store_contract_dynamodb_local).
// Suites named <Contract>/FakeDynamoDb and <Contract>/DynamoDbLocal. Tests only.

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <type_traits>
#include <vector>

#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/store/dynamodb/testing/emulator_endpoint.hpp"
#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"

namespace pcustomer::dynamodb::testing {

// The reference's own table: type HASH, id RANGE, nothing else.
inline std::string PlainTableRequest(const std::string& table) {
  return R"({"TableName":")" + table +
         R"(","AttributeDefinitions":[{"AttributeName":"type","AttributeType":"S"},)"
         R"({"AttributeName":"id","AttributeType":"S"}],)"
         R"("KeySchema":[{"AttributeName":"type","KeyType":"HASH"},)"
         R"({"AttributeName":"id","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"})";
}

class FakeEndpoint {
 public:
  FakeEndpoint() : fake_("") {}
  bool available() const { return true; }
  const std::string& problem() const { return problem_; }
  DynamoDbClient& client() { return fake_; }
  FakeDynamoDb& fake() { return fake_; }
  // A table name no other table of this endpoint has (the table is not made).
  std::string NewTableName() { return "pcustomers_" + std::to_string(++tables_); }
  DynamoDbResult Call(std::string_view operation, std::string request_json) {
    DynamoDbResult answer = std::string();
    fake_.Call(operation, std::move(request_json),
               [&answer](DynamoDbResult result) { answer = std::move(result); });
    return answer;
  }

 private:
  FakeDynamoDb fake_;
  std::string problem_;
  int tables_ = 0;
};

class EmulatorTables {
 public:
  EmulatorTables() = default;
  EmulatorTables(const EmulatorTables&) = delete;
  EmulatorTables& operator=(const EmulatorTables&) = delete;
  ~EmulatorTables() {
    for (const std::string& table : made_) endpoint().DeleteTable(table);
  }
  bool available() const { return endpoint().available(); }
  const std::string& problem() const { return endpoint().problem(); }
  DynamoDbClient& client() { return endpoint().client(); }
  // A table name no other table of this run has; deleted at the end of the test if made.
  std::string NewTableName() {
    static int tables = 0;
    std::string name =
        "pcustomers_tables_" + std::to_string(getpid()) + "_" + std::to_string(++tables);
    made_.push_back(name);
    return name;
  }
  DynamoDbResult Call(std::string_view operation, std::string request_json) {
    return endpoint().Call(operation, std::move(request_json));
  }

 private:
  static EmulatorEndpoint& endpoint() { return EmulatorEndpoint::Get(); }
  std::vector<std::string> made_;
};

using Endpoints = ::testing::Types<FakeEndpoint, EmulatorTables>;

struct EndpointNames {
  template <class Endpoint>
  static std::string GetName(int) {
    if constexpr (std::is_same_v<Endpoint, FakeEndpoint>) return "FakeDynamoDb";
    return "DynamoDbLocal";
  }
};

}  // namespace pcustomer::dynamodb::testing
