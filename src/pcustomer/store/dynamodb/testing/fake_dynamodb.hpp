#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"
#include "pcustomer/store/dynamodb/dynamodb_table.hpp"
#include "pcustomer/store/dynamodb/testing/fake_expressions.hpp"

// An in-memory DynamoDB behind the DynamoDbClient interface, for tests only (under testing/,
// so the store library never contains it). It answers GetItem, PutItem, UpdateItem, DeleteItem,
// Query (of the table or of a global secondary index), TransactWriteItems, BatchGetItem,
// DescribeTable, CreateTable, UpdateTable (adding one global secondary index) and
// UpdateTimeToLive on tables keyed by `type` (HASH) and `id` (RANGE), with the expression
// forms the stores use: comparisons, BETWEEN, AND/OR/NOT, parentheses, attribute_exists,
// attribute_not_exists, begins_with; SET and REMOVE updates. Like DynamoDB it refuses
// undefined and unused placeholders; stricter than DynamoDB, it refuses attribute names
// written without a placeholder. Projections are not applied (every attribute comes back).
// Errors follow the DynamoDbClient contract; a cancelled transaction is DynamoDB's own
// TransactionCanceledException answer read by the real client's DynamoDbErrorFor. Callbacks
// run on the calling thread, after the lock is released.
namespace pcustomer::dynamodb::testing {

class FakeDynamoDb final : public DynamoDbClient {
 public:
  // What a scheduled fault does to the next call of its operation.
  enum class Fault {
    kFailBefore,  // answers the error; nothing is applied
    kFailAfter,   // applies the call, then answers the error (an ambiguous failure)
    kReplay,      // applies the call, then applies it again and answers that second result
                  // (the client retried after the first answer was lost)
  };

  // A global secondary index: partition key `partition` (S) and sort key `sort` of type
  // `sort_type` (S or B; both order as unsigned bytes), projection ALL. It holds exactly the
  // items that have both attributes (sparse); items with equal index keys come in table key
  // order, which DynamoDB does not promise.
  struct IndexState {
    std::string name;
    std::string partition;
    std::string sort;
    std::string sort_type = "S";
    std::string status = "ACTIVE";
    // DescribeTable answers "CREATING" this many more times after UpdateTable added it.
    int creating_polls = 0;
  };

  struct TableState {
    // (attribute, KeyType) in schema order and the attribute types of the definitions.
    std::vector<std::pair<std::string, std::string>> key_schema{{"type", "HASH"}, {"id", "RANGE"}};
    std::map<std::string, std::string> attribute_types{{"type", "S"}, {"id", "S"}};
    std::string status = "ACTIVE";
    // DescribeTable answers "CREATING" this many more times after CreateTable.
    int creating_polls = 0;
    std::string ttl_attribute;
    std::vector<IndexState> indexes;
    std::map<std::pair<std::string, std::string>, Item> items;

    const IndexState* FindIndex(std::string_view name) const {
      for (const IndexState& index : indexes) {
        if (index.name == name) return &index;
      }
      return nullptr;
    }
  };

  // A fake with one empty table named `table` (none when empty).
  explicit FakeDynamoDb(std::string table = "pcustomers") {
    if (!table.empty()) tables_[table] = TableState{};
  }

  void Call(std::string_view operation, std::string request_json, DynamoDbDone done) override;

  // The next call of `operation` for which `match` holds (any when empty) meets `fault`,
  // once; faults apply in the order scheduled.
  void Schedule(std::string operation, Fault fault, DynamoDbCallError error = ConnectionReset(),
                std::function<bool(const Request&)> match = {}) {
    std::lock_guard lock(mutex_);
    faults_.push_back({std::move(operation), fault, std::move(error), std::move(match)});
  }
  // As Schedule, for calls whose Item or Key has partition value `type` (for
  // TransactWriteItems: one of whose items does).
  void ScheduleFor(std::string operation, std::string type, Fault fault,
                   DynamoDbCallError error = ConnectionReset()) {
    Schedule(std::move(operation), fault, std::move(error), [type](const Request& request) {
      const std::optional<Item>& item = request.item ? request.item : request.key;
      return item && StringAttribute(*item, "type") == type;
    });
  }

  // The global secondary indexes `pcustomer dynamodb create-table` makes (kGlobalIndexes),
  // on `table`.
  void AddServiceIndexes(const std::string& table = "pcustomers") {
    for (const GlobalIndex& index : kGlobalIndexes) {
      AddIndex(std::string(index.name), std::string(index.partition_key),
               std::string(index.sort_key), std::string(index.sort_type), table);
    }
  }

  // Declares a global secondary index on `table` (see IndexState), ACTIVE at once, with the
  // attribute definitions it needs.
  void AddIndex(std::string name, std::string partition, std::string sort,
                std::string sort_type = "S", const std::string& table = "pcustomers") {
    std::lock_guard lock(mutex_);
    TableState& state = tables_[table];
    state.attribute_types[partition] = "S";
    state.attribute_types[sort] = sort_type;
    state.indexes.push_back({std::move(name), std::move(partition), std::move(sort),
                             std::move(sort_type), "ACTIVE", 0});
  }

  // At most `count` keys answered per BatchGetItem, the rest in UnprocessedKeys, as DynamoDB
  // stops at 16 MB (0 = no cap).
  void set_max_batch_get_keys(int count) {
    std::lock_guard lock(mutex_);
    max_batch_get_keys_ = count;
  }

  // At most `count` items examined per Query, as DynamoDB stops at 1 MB (0 = no cap).
  void set_max_query_items(int count) {
    std::lock_guard lock(mutex_);
    max_query_items_ = count;
  }

  // Runs before every call is executed, without the lock held (it may use this fake).
  void set_before_call(std::function<void(std::string_view, const Request&)> hook) {
    std::lock_guard lock(mutex_);
    before_call_ = std::move(hook);
  }

  int calls(std::string_view operation) {
    std::lock_guard lock(mutex_);
    auto found = calls_.find(std::string(operation));
    return found == calls_.end() ? 0 : found->second;
  }

  // Direct access to stored items, bypassing every check (a writer that is not the store,
  // such as the reference application).
  void PutRaw(const Item& item, const std::string& table = "pcustomers") {
    std::lock_guard lock(mutex_);
    tables_[table].items[KeyOf(item)] = item;
  }
  std::optional<Item> GetRaw(const std::string& type, const std::string& id,
                             const std::string& table = "pcustomers") {
    std::lock_guard lock(mutex_);
    auto& items = tables_[table].items;
    auto found = items.find({type, id});
    if (found == items.end()) return std::nullopt;
    return found->second;
  }
  void EraseRaw(const std::string& type, const std::string& id,
                const std::string& table = "pcustomers") {
    std::lock_guard lock(mutex_);
    tables_[table].items.erase({type, id});
  }
  // Every item of partition `type`, in sort key order.
  std::vector<Item> Partition(const std::string& type, const std::string& table = "pcustomers") {
    std::lock_guard lock(mutex_);
    std::vector<Item> out;
    for (const auto& [key, item] : tables_[table].items) {
      if (key.first == type) out.push_back(item);
    }
    return out;
  }

  // Direct access to a table's description (to set up schemas that do not fit).
  template <class F>
  void WithTable(const std::string& table, F f) {
    std::lock_guard lock(mutex_);
    f(tables_[table]);
  }
  bool HasTable(const std::string& table) {
    std::lock_guard lock(mutex_);
    return tables_.contains(table);
  }
  void DropTable(const std::string& table) {
    std::lock_guard lock(mutex_);
    tables_.erase(table);
  }

 private:
  struct ScheduledFault {
    std::string operation;
    Fault fault;
    DynamoDbCallError error;
    std::function<bool(const Request&)> match;
  };

  // The fault scheduled unless another is named: the client gave up on a lost connection.
  static DynamoDbCallError ConnectionReset() {
    return DynamoDbCallError::Unavailable("Store unavailable: connection reset");
  }
  static DynamoDbCallError ConditionFailed() {
    return DynamoDbCallError::ConditionFailed("ConditionalCheckFailedException");
  }
  // As DynamoDbHttpClient reports ResourceNotFoundException.
  static DynamoDbCallError TableMissing(const std::string& table) {
    return DynamoDbCallError::TableMissing("DynamoDB table \"" + table + "\" not found");
  }

  static std::pair<std::string, std::string> KeyOf(const Item& item) {
    auto text = [&](const char* name) {
      auto found = item.find(name);
      return found == item.end() ? std::string() : found->second.text;
    };
    return {text("type"), text("id")};
  }

  static std::optional<DynamoDbCallError> CheckKey(const Item& item, bool exact) {
    for (const char* name : {"type", "id"}) {
      auto found = item.find(name);
      if (found == item.end() || !found->second.is_string()) {
        return Validation(std::string("The provided key element does not match the schema: ") +
                          name);
      }
      if (found->second.text.empty()) {
        return Validation(std::string("One or more parameter values are not valid: empty ") + name);
      }
    }
    if (exact && item.size() != 2) return Validation("The provided key has extra attributes");
    return std::nullopt;
  }

  // A write of `item` that an index of `table` refuses: a key attribute of the wrong type or
  // empty, as DynamoDB checks every index key it would store.
  static std::optional<DynamoDbCallError> CheckIndexKeys(const TableState& table, const Item& item);
  // The item that `updates` (a parsed UpdateExpression) make of `current` (`key` when the
  // item does not exist); a ValidationException for a key attribute or a missing operand.
  static Result<Item, DynamoDbCallError> Updated(const Parsed& parsed, const Request& request,
                                                 const Item* current, const Item& key);

  DynamoDbResult Execute(std::string_view operation, const std::string& json);
  DynamoDbResult ExecuteQuery(const Request& request, const Parsed& parsed,
                              const TableState& table);
  // fake_table_operations.cpp
  DynamoDbResult ExecuteTableOperation(std::string_view operation, const std::string& json);
  // fake_transactions.cpp
  DynamoDbResult ExecuteTransactWrite(const std::string& json);
  DynamoDbResult ExecuteBatchGet(const std::string& json);

 public:
  // DescribeTable answers "CREATING" this many times after each CreateTable.
  void set_create_polls(int polls) {
    std::lock_guard lock(mutex_);
    create_polls_ = polls;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, TableState> tables_;
  std::deque<ScheduledFault> faults_;
  std::map<std::string, int> calls_;
  std::function<void(std::string_view, const Request&)> before_call_;
  int max_query_items_ = 0;
  int max_batch_get_keys_ = 0;
  int create_polls_ = 0;
  // ClientRequestToken -> the transaction first sent with it (no expiry, unlike DynamoDB's
  // 10 minutes).
  std::map<std::string, std::string> transaction_tokens_;
};

}  // namespace pcustomer::dynamodb::testing
