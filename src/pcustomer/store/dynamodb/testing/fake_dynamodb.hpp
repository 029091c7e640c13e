#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"

// An in-memory DynamoDB behind the DynamoDbClient interface, for tests only (header-only, so
// the store library never contains it). It answers GetItem, PutItem, UpdateItem, DeleteItem,
// Query, DescribeTable, CreateTable and UpdateTimeToLive on tables keyed by `type` (HASH)
// and `id` (RANGE), with the expression forms the stores use: comparisons, BETWEEN,
// AND/OR/NOT, parentheses, attribute_exists, attribute_not_exists, begins_with; SET and
// REMOVE updates. Like DynamoDB it refuses undefined and unused placeholders; stricter than
// DynamoDB, it refuses attribute names written without a placeholder. Errors follow the
// DynamoDbClient contract. Callbacks run on the calling thread, after the lock is released.
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

  struct TableState {
    // (attribute, KeyType) in schema order and the attribute types of the definitions.
    std::vector<std::pair<std::string, std::string>> key_schema{{"type", "HASH"}, {"id", "RANGE"}};
    std::map<std::string, std::string> attribute_types{{"type", "S"}, {"id", "S"}};
    std::string status = "ACTIVE";
    // DescribeTable answers "CREATING" this many more times after CreateTable.
    int creating_polls = 0;
    std::string ttl_attribute;
    std::map<std::pair<std::string, std::string>, Item> items;
  };

  // A fake with one empty table named `table` (none when empty).
  explicit FakeDynamoDb(std::string table = "pcustomers") {
    if (!table.empty()) tables_[table] = TableState{};
  }

  void Call(std::string_view operation, std::string request_json, Done<std::string> done) override {
    std::optional<Result<std::string>> answer;
    std::function<void(std::string_view, const Request&)> hook;
    {
      std::unique_lock lock(mutex_);
      ++calls_[std::string(operation)];
      hook = before_call_;
    }
    if (hook) {
      if (Result<Request> parsed = ParseRequest(request_json); parsed.ok())
        hook(operation, *parsed);
    }
    {
      std::unique_lock lock(mutex_);
      std::optional<std::pair<Fault, Error>> fault;
      std::optional<Request> parsed;
      for (auto it = faults_.begin(); it != faults_.end(); ++it) {
        if (it->operation != operation) continue;
        if (it->match) {
          if (!parsed) {
            Result<Request> request = ParseRequest(request_json);
            parsed = request.ok() ? *request : Request{};
          }
          if (!it->match(*parsed)) continue;
        }
        fault.emplace(it->fault, it->error);
        faults_.erase(it);
        break;
      }
      if (fault && fault->first == Fault::kFailBefore) {
        answer.emplace(fault->second);
      } else {
        answer.emplace(Execute(operation, request_json));
        if (fault && fault->first == Fault::kFailAfter) answer.emplace(fault->second);
        if (fault && fault->first == Fault::kReplay) {
          answer.emplace(Execute(operation, request_json));
          // As the real client does: a conflict after a lost answer may be the write's own.
          if (!answer->ok() && answer->error().code == ErrorCode::kConflict) {
            Error marked = answer->error();
            marked.reasons.push_back({std::string(kOutcomeUnknownSource), std::string(kOutcomeUnknownReason)});
            answer.emplace(std::move(marked));
          }
        }
      }
    }
    done(std::move(*answer));
  }

  // The next call of `operation` for which `match` holds (any when empty) meets `fault`,
  // once; faults apply in the order scheduled.
  void Schedule(std::string operation, Fault fault,
                Error error = Error::Unavailable("Store unavailable: connection reset"),
                std::function<bool(const Request&)> match = {}) {
    std::lock_guard lock(mutex_);
    faults_.push_back({std::move(operation), fault, std::move(error), std::move(match)});
  }
  // As Schedule, for calls whose Item or Key has partition value `type`.
  void ScheduleFor(std::string operation, std::string type, Fault fault,
                   Error error = Error::Unavailable("Store unavailable: connection reset")) {
    Schedule(std::move(operation), fault, std::move(error), [type](const Request& request) {
      const std::optional<Item>& item = request.item ? request.item : request.key;
      return item && StringAttribute(*item, "type") == type;
    });
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
    Error error;
    std::function<bool(const Request&)> match;
  };

  static Error Validation(std::string message) {
    return Error::BadRequest("ValidationException: " + std::move(message));
  }
  static Error ConditionFailed() {
    return {ErrorCode::kConflict, "ConditionalCheckFailedException", {}};
  }
  // As DynamoDbHttpClient words ResourceNotFoundException.
  static Error TableMissing(const std::string& table) {
    return Error::Unavailable("DynamoDB table \"" + table + "\" not found");
  }

  // ---- expressions ----

  struct Token {
    enum Kind { kName, kValue, kWord, kSymbol, kEnd } kind = kEnd;
    std::string text;
  };

  static std::vector<Token> Tokenize(std::string_view text, std::string& error) {
    std::vector<Token> tokens;
    size_t i = 0;
    auto word_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
    };
    while (i < text.size()) {
      const char c = text[i];
      if (std::isspace(static_cast<unsigned char>(c)) != 0) {
        ++i;
      } else if (c == '#' || c == ':') {
        size_t j = i + 1;
        while (j < text.size() && word_char(text[j])) ++j;
        if (j == i + 1) {
          error = "empty placeholder";
          return {};
        }
        tokens.push_back(
            {c == '#' ? Token::kName : Token::kValue, std::string(text.substr(i, j - i))});
        i = j;
      } else if (word_char(c)) {
        size_t j = i;
        while (j < text.size() && word_char(text[j])) ++j;
        tokens.push_back({Token::kWord, std::string(text.substr(i, j - i))});
        i = j;
      } else if (c == '<' || c == '>') {
        std::string symbol(1, c);
        if (i + 1 < text.size() && (text[i + 1] == '=' || (c == '<' && text[i + 1] == '>'))) {
          symbol += text[i + 1];
        }
        tokens.push_back({Token::kSymbol, symbol});
        i += symbol.size();
      } else if (c == '=' || c == '(' || c == ')' || c == ',') {
        tokens.push_back({Token::kSymbol, std::string(1, c)});
        ++i;
      } else {
        error = std::string("unexpected character ") + c;
        return {};
      }
    }
    tokens.push_back({Token::kEnd, ""});
    return tokens;
  }

  static std::string Upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
  }

  // An operand: an attribute (by its real name) or a value placeholder.
  struct Operand {
    bool is_path = false;
    std::string text;  // the attribute name, or the ":placeholder"
  };

  struct Node {
    std::string kind;  // AND OR NOT CMP BETWEEN FUNC
    std::string op;    // comparator or function name
    std::vector<Operand> operands;
    std::vector<std::unique_ptr<Node>> children;
  };

  // A recursive-descent parser for conditions and updates, which records the placeholders it
  // meets so that unused ones can be refused.
  class Parser {
   public:
    Parser(std::vector<Token> tokens, const Request& request, std::set<std::string>& used_names,
           std::set<std::string>& used_values)
        : tokens_(std::move(tokens)),
          request_(request),
          used_names_(used_names),
          used_values_(used_values) {}

    std::unique_ptr<Node> Condition() {
      auto node = Or();
      if (ok() && Peek().kind != Token::kEnd) Fail("trailing tokens in expression");
      return node;
    }

    // SET a = v, b = w REMOVE c, d
    std::vector<std::pair<std::string, std::optional<Operand>>> Update() {
      std::vector<std::pair<std::string, std::optional<Operand>>> actions;
      while (ok() && Peek().kind != Token::kEnd) {
        const std::string clause = Upper(Next().text);
        if (clause != "SET" && clause != "REMOVE") {
          Fail("unsupported update clause " + clause);
          break;
        }
        do {
          Operand path = OperandAt();
          if (!path.is_path) Fail("update of a value");
          if (clause == "SET") {
            Expect("=");
            actions.emplace_back(path.text, OperandAt());
          } else {
            actions.emplace_back(path.text, std::nullopt);
          }
        } while (ok() && Accept(","));
      }
      return actions;
    }

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }

   private:
    const Token& Peek() const { return tokens_[position_]; }
    const Token& Next() {
      const Token& token = tokens_[position_];
      if (token.kind != Token::kEnd) ++position_;
      return token;
    }
    bool Accept(std::string_view symbol) {
      if (Peek().kind == Token::kSymbol && Peek().text == symbol) {
        ++position_;
        return true;
      }
      return false;
    }
    bool AcceptWord(std::string_view word) {
      if (Peek().kind == Token::kWord && Upper(Peek().text) == word) {
        ++position_;
        return true;
      }
      return false;
    }
    void Expect(std::string_view symbol) {
      if (!Accept(symbol)) Fail("expected " + std::string(symbol));
    }
    void Fail(std::string message) {
      if (error_.empty()) error_ = std::move(message);
    }

    Operand OperandAt() {
      const Token token = Next();
      if (token.kind == Token::kName) {
        auto found = request_.names.find(token.text);
        if (found == request_.names.end()) {
          Fail("undefined attribute name placeholder " + token.text);
          return {};
        }
        used_names_.insert(token.text);
        return {true, found->second};
      }
      if (token.kind == Token::kValue) {
        if (!request_.values.contains(token.text)) {
          Fail("undefined attribute value placeholder " + token.text);
          return {};
        }
        used_values_.insert(token.text);
        return {false, token.text};
      }
      if (token.kind == Token::kWord) {
        Fail("attribute name " + token.text + " written without a placeholder");
        return {};
      }
      Fail("expected an operand");
      return {};
    }

    std::unique_ptr<Node> Or() {
      auto left = And();
      while (ok() && AcceptWord("OR")) {
        auto node = std::make_unique<Node>();
        node->kind = "OR";
        node->children.push_back(std::move(left));
        node->children.push_back(And());
        left = std::move(node);
      }
      return left;
    }
    std::unique_ptr<Node> And() {
      auto left = Not();
      while (ok() && AcceptWord("AND")) {
        auto node = std::make_unique<Node>();
        node->kind = "AND";
        node->children.push_back(std::move(left));
        node->children.push_back(Not());
        left = std::move(node);
      }
      return left;
    }
    std::unique_ptr<Node> Not() {
      if (AcceptWord("NOT")) {
        auto node = std::make_unique<Node>();
        node->kind = "NOT";
        node->children.push_back(Not());
        return node;
      }
      return Primary();
    }
    std::unique_ptr<Node> Primary() {
      auto node = std::make_unique<Node>();
      if (Accept("(")) {
        node = Or();
        Expect(")");
        return node;
      }
      if (Peek().kind == Token::kWord) {
        const std::string function = Next().text;
        if (function != "attribute_exists" && function != "attribute_not_exists" &&
            function != "begins_with") {
          Fail("unsupported function or bare attribute name " + function);
          return node;
        }
        node->kind = "FUNC";
        node->op = function;
        Expect("(");
        do {
          node->operands.push_back(OperandAt());
        } while (ok() && Accept(","));
        Expect(")");
        const size_t arity = function == "begins_with" ? 2 : 1;
        if (ok() && (node->operands.size() != arity || !node->operands[0].is_path)) {
          Fail("bad arguments of " + function);
        }
        return node;
      }
      node->operands.push_back(OperandAt());
      if (AcceptWord("BETWEEN")) {
        node->kind = "BETWEEN";
        node->operands.push_back(OperandAt());
        if (!AcceptWord("AND")) Fail("BETWEEN without AND");
        node->operands.push_back(OperandAt());
        return node;
      }
      const Token comparator = Next();
      static const std::set<std::string> kComparators{"=", "<>", "<", "<=", ">", ">="};
      if (comparator.kind != Token::kSymbol || !kComparators.contains(comparator.text)) {
        Fail("expected a comparator");
        return node;
      }
      node->kind = "CMP";
      node->op = comparator.text;
      node->operands.push_back(OperandAt());
      return node;
    }

    std::vector<Token> tokens_;
    size_t position_ = 0;
    const Request& request_;
    std::set<std::string>& used_names_;
    std::set<std::string>& used_values_;
    std::string error_;
  };

  static std::optional<AttributeValue> Resolve(const Operand& operand, const Item& item,
                                               const Request& request) {
    if (operand.is_path) {
      auto found = item.find(operand.text);
      if (found == item.end()) return std::nullopt;
      return found->second;
    }
    return request.values.at(operand.text);
  }

  // -1, 0, 1; none when the values cannot be ordered against each other.
  static std::optional<int> Compare(const AttributeValue& a, const AttributeValue& b) {
    if (a.type != b.type) return std::nullopt;
    if (a.type == AttributeValue::Type::kNumber) {
      const long double x = std::strtold(a.text.c_str(), nullptr);
      const long double y = std::strtold(b.text.c_str(), nullptr);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    const int c = a.text.compare(b.text);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }

  static bool Evaluate(const Node& node, const Item& item, const Request& request) {
    if (node.kind == "AND") {
      return Evaluate(*node.children[0], item, request) &&
             Evaluate(*node.children[1], item, request);
    }
    if (node.kind == "OR") {
      return Evaluate(*node.children[0], item, request) ||
             Evaluate(*node.children[1], item, request);
    }
    if (node.kind == "NOT") return !Evaluate(*node.children[0], item, request);
    if (node.kind == "FUNC") {
      const bool exists = item.contains(node.operands[0].text);
      if (node.op == "attribute_exists") return exists;
      if (node.op == "attribute_not_exists") return !exists;
      auto value = Resolve(node.operands[0], item, request);
      auto prefix = Resolve(node.operands[1], item, request);
      return value && prefix && value->is_string() && prefix->is_string() &&
             value->text.starts_with(prefix->text);
    }
    auto left = Resolve(node.operands[0], item, request);
    auto right = Resolve(node.operands[1], item, request);
    if (!left || !right) return false;
    if (node.kind == "BETWEEN") {
      auto high = Resolve(node.operands[2], item, request);
      if (!high) return false;
      auto low_cmp = Compare(*left, *right);
      auto high_cmp = Compare(*left, *high);
      return low_cmp && high_cmp && *low_cmp >= 0 && *high_cmp <= 0;
    }
    if (node.op == "=") return *left == *right;
    if (node.op == "<>") return !(*left == *right);
    auto c = Compare(*left, *right);
    if (!c) return false;
    if (node.op == "<") return *c < 0;
    if (node.op == "<=") return *c <= 0;
    if (node.op == ">") return *c > 0;
    return *c >= 0;
  }

  // The parsed expressions of a request, with placeholders checked.
  struct Parsed {
    std::unique_ptr<Node> condition, key_condition, filter;
    std::vector<std::pair<std::string, std::optional<Operand>>> update;
  };

  static Result<Parsed> ParseExpressions(const Request& request) {
    Parsed parsed;
    std::set<std::string> used_names;
    std::set<std::string> used_values;
    auto parse = [&](const std::string& text, std::unique_ptr<Node>& out) -> std::optional<Error> {
      if (text.empty()) return std::nullopt;
      std::string error;
      auto tokens = Tokenize(text, error);
      if (!error.empty()) return Validation(error);
      Parser parser(std::move(tokens), request, used_names, used_values);
      out = parser.Condition();
      if (!parser.ok()) return Validation(parser.error());
      return std::nullopt;
    };
    if (auto e = parse(request.condition, parsed.condition)) return *e;
    if (auto e = parse(request.key_condition, parsed.key_condition)) return *e;
    if (auto e = parse(request.filter, parsed.filter)) return *e;
    if (!request.update.empty()) {
      std::string error;
      auto tokens = Tokenize(request.update, error);
      if (!error.empty()) return Validation(error);
      Parser parser(std::move(tokens), request, used_names, used_values);
      parsed.update = parser.Update();
      if (!parser.ok()) return Validation(parser.error());
    }
    if (!request.projection.empty()) {
      std::string error;
      for (const Token& token : Tokenize(request.projection, error)) {
        if (token.kind == Token::kName) used_names.insert(token.text);
      }
    }
    for (const auto& [placeholder, name] : request.names) {
      if (!used_names.contains(placeholder)) {
        return Validation("Value provided in ExpressionAttributeNames unused in expressions: " +
                          placeholder);
      }
    }
    for (const auto& [placeholder, value] : request.values) {
      if (!used_values.contains(placeholder)) {
        return Validation("Value provided in ExpressionAttributeValues unused in expressions: " +
                          placeholder);
      }
    }
    return parsed;
  }

  // ---- operations ----

  static std::pair<std::string, std::string> KeyOf(const Item& item) {
    auto text = [&](const char* name) {
      auto found = item.find(name);
      return found == item.end() ? std::string() : found->second.text;
    };
    return {text("type"), text("id")};
  }

  static std::optional<Error> CheckKey(const Item& item, bool exact) {
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

  Result<std::string> Execute(std::string_view operation, const std::string& json) {
    if (operation == "DescribeTable" || operation == "CreateTable" ||
        operation == "UpdateTimeToLive") {
      return ExecuteTableOperation(operation, json);
    }
    Result<Request> parsed_request = ParseRequest(json);
    if (!parsed_request.ok()) return std::move(parsed_request).error();
    const Request& request = *parsed_request;
    auto table = tables_.find(request.table);
    if (table == tables_.end() || table->second.status != "ACTIVE")
      return TableMissing(request.table);
    Result<Parsed> parsed = ParseExpressions(request);
    if (!parsed.ok()) return std::move(parsed).error();
    auto& items = table->second.items;

    if (operation == "Query") return ExecuteQuery(request, *parsed, items);

    const Item* key_source = nullptr;
    if (operation == "PutItem") {
      if (!request.item) return Validation("PutItem without Item");
      key_source = &*request.item;
      if (auto e = CheckKey(*key_source, false)) return *e;
    } else if (operation == "GetItem" || operation == "UpdateItem" || operation == "DeleteItem") {
      if (!request.key) return Validation(std::string(operation) + " without Key");
      key_source = &*request.key;
      if (auto e = CheckKey(*key_source, true)) return *e;
    } else {
      return Error::BadRequest("UnknownOperationException");
    }
    const auto key = KeyOf(*key_source);
    auto found = items.find(key);
    const Item empty;
    const Item& current = found == items.end() ? empty : found->second;

    Response response;
    if (operation == "GetItem") {
      if (found != items.end()) response.item = current;
      return ToJson(response);
    }
    if (parsed->condition && !Evaluate(*parsed->condition, current, request)) {
      return ConditionFailed();
    }
    const bool existed = found != items.end();
    const Item old = current;
    if (operation == "PutItem") {
      items[key] = *request.item;
      if (request.return_values == "ALL_OLD" && existed) response.attributes = old;
    } else if (operation == "DeleteItem") {
      if (existed) items.erase(found);
      if (request.return_values == "ALL_OLD" && existed) response.attributes = old;
    } else {
      Item updated = existed ? old : *request.key;
      for (const auto& [path, operand] : parsed->update) {
        if (path == "type" || path == "id") return Validation("Cannot update attribute " + path);
        if (!operand) {
          updated.erase(path);
          continue;
        }
        auto value = Resolve(*operand, updated, request);
        if (!value) return Validation("The provided expression refers to a missing attribute");
        updated[path] = *value;
      }
      items[key] = updated;
      if (request.return_values == "ALL_NEW") response.attributes = updated;
      if (request.return_values == "ALL_OLD" && existed) response.attributes = old;
    }
    return ToJson(response);
  }

  Result<std::string> ExecuteQuery(
      const Request& request, const Parsed& parsed,
      const std::map<std::pair<std::string, std::string>, Item>& items) {
    if (!parsed.key_condition) return Validation("Query without KeyConditionExpression");
    if (request.limit && *request.limit < 1) return Validation("Limit must be at least 1");
    const bool forward = request.scan_index_forward.value_or(true);
    std::vector<const Item*> matching;
    for (const auto& [key, item] : items) {
      if (Evaluate(*parsed.key_condition, item, request)) matching.push_back(&item);
    }
    if (!forward) std::reverse(matching.begin(), matching.end());
    size_t begin = 0;
    if (request.exclusive_start_key) {
      if (auto e = CheckKey(*request.exclusive_start_key, true)) return *e;
      const auto start = KeyOf(*request.exclusive_start_key);
      while (begin < matching.size()) {
        const auto key = KeyOf(*matching[begin]);
        if (forward ? key > start : key < start) break;
        ++begin;
      }
    }
    size_t cap = matching.size() - begin;
    bool capped = false;
    if (request.limit && static_cast<size_t>(*request.limit) <= cap) {
      cap = static_cast<size_t>(*request.limit);
      capped = true;
    }
    if (max_query_items_ > 0 && static_cast<size_t>(max_query_items_) < cap) {
      cap = static_cast<size_t>(max_query_items_);
      capped = true;
    }
    Response response;
    std::vector<Item> out;
    for (size_t i = begin; i < begin + cap; ++i) {
      if (!parsed.filter || Evaluate(*parsed.filter, *matching[i], request)) {
        out.push_back(*matching[i]);
      }
    }
    response.count = static_cast<int64_t>(out.size());
    response.scanned_count = static_cast<int64_t>(cap);
    if (request.select != "COUNT") response.items = std::move(out);
    // Like DynamoDB, a Query that stopped at its Limit names where it stopped even when
    // nothing follows.
    if (capped && cap > 0) {
      const auto key = KeyOf(*matching[begin + cap - 1]);
      response.last_evaluated_key =
          Item{{"type", AttributeValue::S(key.first)}, {"id", AttributeValue::S(key.second)}};
    }
    return ToJson(response);
  }

  Result<std::string> ExecuteTableOperation(std::string_view operation, const std::string& json) {
    rapidjson::Document document;
    document.Parse(json.data(), json.size());
    if (document.HasParseError() || !document.IsObject() || !document.HasMember("TableName") ||
        !document["TableName"].IsString()) {
      return Validation("TableName is required");
    }
    const std::string name = document["TableName"].GetString();
    if (operation == "CreateTable") {
      if (tables_.contains(name)) {
        return Error::BadRequest("ResourceInUseException: Table already exists: " + name);
      }
      TableState table;
      table.key_schema.clear();
      table.attribute_types.clear();
      for (const auto& element : document["KeySchema"].GetArray()) {
        table.key_schema.emplace_back(element["AttributeName"].GetString(),
                                      element["KeyType"].GetString());
      }
      for (const auto& definition : document["AttributeDefinitions"].GetArray()) {
        table.attribute_types[definition["AttributeName"].GetString()] =
            definition["AttributeType"].GetString();
      }
      if (!document.HasMember("BillingMode") ||
          std::string_view(document["BillingMode"].GetString()) != "PAY_PER_REQUEST") {
        return Validation("this fake only creates PAY_PER_REQUEST tables");
      }
      table.status = "CREATING";
      table.creating_polls = create_polls_;
      tables_[name] = std::move(table);
      return std::string(R"({"TableDescription":{"TableStatus":"CREATING"}})");
    }
    auto table = tables_.find(name);
    if (table == tables_.end()) return TableMissing(name);
    if (operation == "UpdateTimeToLive") {
      table->second.ttl_attribute =
          document["TimeToLiveSpecification"]["AttributeName"].GetString();
      return std::string("{}");
    }
    TableState& state = table->second;
    if (state.status == "CREATING") {
      if (state.creating_polls > 0) {
        --state.creating_polls;
      } else {
        state.status = "ACTIVE";
      }
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("Table");
    writer.StartObject();
    writer.Key("TableName");
    writer.String(name.c_str());
    writer.Key("TableStatus");
    writer.String(state.status.c_str());
    writer.Key("KeySchema");
    writer.StartArray();
    for (const auto& [attribute, type] : state.key_schema) {
      writer.StartObject();
      writer.Key("AttributeName");
      writer.String(attribute.c_str());
      writer.Key("KeyType");
      writer.String(type.c_str());
      writer.EndObject();
    }
    writer.EndArray();
    writer.Key("AttributeDefinitions");
    writer.StartArray();
    for (const auto& [attribute, type] : state.attribute_types) {
      writer.StartObject();
      writer.Key("AttributeName");
      writer.String(attribute.c_str());
      writer.Key("AttributeType");
      writer.String(type.c_str());
      writer.EndObject();
    }
    writer.EndArray();
    writer.EndObject();
    writer.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
  }

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
  int create_polls_ = 0;
};

}  // namespace pcustomer::dynamodb::testing
