#include "pcustomer/store/dynamodb/testing/fake_expressions.hpp"

#include <cctype>
#include <cstdlib>
#include <set>
#include <string_view>

namespace pcustomer::dynamodb::testing {

DynamoDbCallError Validation(std::string message) {
  return DynamoDbCallError::Validation("ValidationException: " + std::move(message));
}

namespace {

struct Token {
  enum Kind { kName, kValue, kWord, kSymbol, kEnd } kind = kEnd;
  std::string text;
};

std::vector<Token> Tokenize(std::string_view text, std::string& error) {
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

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

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

  // SET a = v, b = w REMOVE c, d ADD e v
  std::vector<UpdateAction> Update() {
    std::vector<UpdateAction> actions;
    while (ok() && Peek().kind != Token::kEnd) {
      const std::string clause = Upper(Next().text);
      if (clause != "SET" && clause != "REMOVE" && clause != "ADD") {
        Fail("unsupported update clause " + clause);
        break;
      }
      do {
        Operand path = OperandAt();
        if (!path.is_path) Fail("update of a value");
        if (clause == "SET") {
          Expect("=");
          actions.push_back({path.text, OperandAt()});
        } else if (clause == "ADD") {
          actions.push_back({path.text, OperandAt(), true});
        } else {
          actions.push_back({path.text, std::nullopt});
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
    const std::set<std::string> kComparators{"=", "<>", "<", "<=", ">", ">="};
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

}  // namespace

std::optional<AttributeValue> Resolve(const Operand& operand, const Item& item,
                                      const Request& request) {
  if (operand.is_path) {
    auto found = item.find(operand.text);
    if (found == item.end()) return std::nullopt;
    return found->second;
  }
  return request.values.at(operand.text);
}

// -1, 0, 1; none when the values cannot be ordered against each other.
std::optional<int> Compare(const AttributeValue& a, const AttributeValue& b) {
  if (a.type != b.type) return std::nullopt;
  if (a.type == AttributeValue::Type::kNumber) {
    const long double x = std::strtold(a.text.c_str(), nullptr);
    const long double y = std::strtold(b.text.c_str(), nullptr);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  const int c = a.text.compare(b.text);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool Evaluate(const Node& node, const Item& item, const Request& request) {
  if (node.kind == "AND") {
    return Evaluate(*node.children[0], item, request) && Evaluate(*node.children[1], item, request);
  }
  if (node.kind == "OR") {
    return Evaluate(*node.children[0], item, request) || Evaluate(*node.children[1], item, request);
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

Result<Parsed, DynamoDbCallError> ParseExpressions(const Request& request) {
  Parsed parsed;
  std::set<std::string> used_names;
  std::set<std::string> used_values;
  auto parse = [&](const std::string& text,
                   std::unique_ptr<Node>& out) -> std::optional<DynamoDbCallError> {
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

}  // namespace pcustomer::dynamodb::testing
