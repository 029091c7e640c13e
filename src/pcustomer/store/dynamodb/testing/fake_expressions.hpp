#pragma once

// The expression language of the test fake of DynamoDB (fake_dynamodb.hpp): conditions, key
// conditions, filters and updates, parsed and evaluated against an item. Tests only.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pcustomer/aws/dynamodb_call_error.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"

namespace pcustomer::dynamodb::testing {

// A ValidationException as DynamoDbClient reports it.
DynamoDbCallError Validation(std::string message);

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

// One action of an update: SET path = operand, REMOVE path (no operand), or ADD path operand
// (a number added to the attribute, 0 when missing).
struct UpdateAction {
  std::string path;
  std::optional<Operand> operand;
  bool add = false;
};

// The parsed expressions of a request, with placeholders checked.
struct Parsed {
  std::unique_ptr<Node> condition, key_condition, filter;
  std::vector<UpdateAction> update;
};

// Parses every expression of `request`. Like DynamoDB it refuses undefined and unused
// placeholders; stricter than DynamoDB, it refuses attribute names written without one.
Result<Parsed, DynamoDbCallError> ParseExpressions(const Request& request);

// Whether `node` holds for `item`.
bool Evaluate(const Node& node, const Item& item, const Request& request);

// The value an operand stands for: the item's attribute or the request's value; none for a
// missing attribute.
std::optional<AttributeValue> Resolve(const Operand& operand, const Item& item,
                                      const Request& request);

// -1, 0, 1; none when the values cannot be ordered against each other.
std::optional<int> Compare(const AttributeValue& a, const AttributeValue& b);

}  // namespace pcustomer::dynamodb::testing
