#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"

// BatchGetItem as plain values, written and read like the item operations
// (dynamodb_json.hpp): up to kMaxBatchGetKeys keys over one or more tables per call.
namespace pcustomer::dynamodb {

// DynamoDB's limit on the keys of one BatchGetItem.
inline constexpr size_t kMaxBatchGetKeys = 100;

// What to read from one table (DynamoDB's KeysAndAttributes): the keys, whether to read
// consistently, and which attributes (every one when `projection` is empty).
struct KeysAndAttributes {
  std::vector<Item> keys;
  bool consistent_read = false;
  std::string projection;
  std::map<std::string, std::string> names;  // "#id" -> "id", for `projection`

  // Registers "#<attribute>" for `attribute` and answers it, as Request::Name.
  std::string Name(std::string_view attribute);

  bool operator==(const KeysAndAttributes&) const = default;
};

struct BatchGetRequest {
  std::map<std::string, KeysAndAttributes> tables;  // table name -> what to read there

  bool operator==(const BatchGetRequest&) const = default;
};

// What a BatchGetItem answers: the items found, per table and in no particular order (a key
// without an item is simply absent), and the keys DynamoDB did not get to (its 16 MB answer
// limit, throttling of some partitions), to ask again.
struct BatchGetResponse {
  std::map<std::string, std::vector<Item>> responses;
  std::map<std::string, KeysAndAttributes> unprocessed_keys;

  bool operator==(const BatchGetResponse&) const = default;
};

std::string ToJson(const BatchGetRequest& request);
// kBadRequest when malformed or with a field the model does not have (for the test fake).
Result<BatchGetRequest> ParseBatchGetRequest(std::string_view json);

std::string ToJson(const BatchGetResponse& response);
// kUnavailable when `json` is not a BatchGetItem answer, as ParseResponse.
Result<BatchGetResponse> ParseBatchGetResponse(std::string_view json);

}  // namespace pcustomer::dynamodb
