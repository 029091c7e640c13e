#include "pcustomer/store/dynamodb/dynamodb_secret_store.hpp"

#include <optional>
#include <utility>

#include "pcustomer/store/dynamodb/coroutine.hpp"
#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"
#include "pcustomer/util/crypto.hpp"

namespace pcustomer {
namespace {

using dynamodb::AttributeValue;
using dynamodb::CallResult;
using dynamodb::Item;
using dynamodb::Key;
using dynamodb::Task;

constexpr size_t kSecretBytes = 32;
constexpr const char* kSecretValue = "value";

// Stores a new secret `name` unless one is there, then reads what is stored.
Task<std::optional<Item>> PutSecretAndRead(DynamoDbClient& client, std::string table,
                                           std::string name) {
  dynamodb::Request put;
  put.table = table;
  Item item = Key(kSecretType, name);
  item[kSecretValue] = AttributeValue::B(RandomBytes(kSecretBytes));
  put.item = std::move(item);
  put.condition = "attribute_not_exists(" + put.Name(dynamodb::kIdAttribute) + ")";
  CallResult answer = co_await dynamodb::Call(client, "PutItem", put);
  if (!answer.ok()) {
    switch (answer.error().kind) {
      case DynamoDbFailure::kConditionFailed:  // another process stored it first, or our own
      case DynamoDbFailure::kOutcomeUnknown:   // earlier attempt did: read what is there
        break;
      default:
        co_return dynamodb::StoreError(answer.error());
    }
  }
  co_return co_await dynamodb::GetItem(client, std::move(table), Key(kSecretType, name));
}

}  // namespace

DynamoDbSecretStore::DynamoDbSecretStore(DynamoDbClient& client, std::string table)
    : client_(client), table_(std::move(table)) {}

Result<std::string> DynamoDbSecretStore::LoadOrCreateSecret(std::string_view name) {
  if (name.empty()) return Error::Internal("a secret needs a name");
  Result<std::optional<Item>> stored =
      dynamodb::Wait(PutSecretAndRead(client_, table_, std::string(name)));
  if (!stored.ok()) return std::move(stored).error();
  if (!stored->has_value()) return Error::Internal("the secret vanished after it was stored");
  const auto value = (*stored)->find(kSecretValue);
  std::optional<std::string> bytes;
  if (value != (*stored)->end()) {
    if (value->second.type == AttributeValue::Type::kBinary) bytes = value->second.text;
    if (value->second.is_string()) bytes = dynamodb::Base64Decode(value->second.text);
  }
  if (!bytes || bytes->size() != kSecretBytes) {
    return Error::Internal("The stored secret " + std::string(name) + " has the wrong form");
  }
  return std::move(*bytes);
}

}  // namespace pcustomer
