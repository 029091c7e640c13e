#pragma once

// A DynamoDbClient in front of another that records every call: the operation, the request
// document and the answer document. For tests that check what the store asks DynamoDB, on
// the fake and on the emulator alike.

#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pcustomer/aws/dynamodb_client.hpp"

namespace pcustomer::dynamodb::testing {

class RecordingClient final : public DynamoDbClient {
 public:
  struct Recorded {
    std::string operation;
    std::string request;
    std::string answer;  // empty for a failed call
  };

  explicit RecordingClient(DynamoDbClient& inner) : inner_(inner) {}

  void Call(std::string_view operation, std::string request_json, DynamoDbDone done) override {
    Recorded call{std::string(operation), request_json, ""};
    inner_.Call(
        operation, std::move(request_json),
        [this, call = std::move(call), done = std::move(done)](DynamoDbResult answer) mutable {
          if (answer.ok()) call.answer = *answer;
          {
            std::lock_guard lock(mutex_);
            calls_.push_back(std::move(call));
          }
          done(std::move(answer));
        });
  }

  std::vector<Recorded> TakeCalls() {
    std::lock_guard lock(mutex_);
    return std::exchange(calls_, {});
  }

 private:
  DynamoDbClient& inner_;
  std::mutex mutex_;
  std::vector<Recorded> calls_;
};

}  // namespace pcustomer::dynamodb::testing
