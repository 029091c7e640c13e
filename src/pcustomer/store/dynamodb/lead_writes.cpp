#include "pcustomer/store/dynamodb/lead_writes.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"

namespace pcustomer::dynamodb {
namespace {

constexpr int kMaxConflictRetries = 10;

const char* OperationOf(TransactAction action) {
  switch (action) {
    case TransactAction::kPut:
      return "PutItem";
    case TransactAction::kUpdate:
      return "UpdateItem";
    case TransactAction::kDelete:
      return "DeleteItem";
    case TransactAction::kConditionCheck:
      break;
  }
  return "";
}

TransactItem PutEntry(const DynamoDbCustomerStore::Context& context, Item entry) {
  TransactItem put{TransactAction::kPut, context.NewRequest()};
  put.request.item = std::move(entry);
  return put;
}

TransactItem DeleteEntry(const DynamoDbCustomerStore::Context& context, Item key) {
  TransactItem remove{TransactAction::kDelete, context.NewRequest()};
  remove.request.key = std::move(key);
  return remove;
}

// The write as one transaction (copied: `write` stays whole for the step-by-step fallback),
// the lead first, so that the first cancellation code is the lead's. Obsolete entries that
// do not fit in the transaction's 100 items are deleted after it (only extra candidates
// meanwhile).
TransactWriteRequest AsTransaction(const DynamoDbCustomerStore::Context& context,
                                   const LeadWrite& write, std::vector<Item>& removed_after) {
  TransactWriteRequest transaction;
  transaction.items.push_back(write.lead);
  if (write.claim_check) transaction.items.push_back(*write.claim_check);
  if (write.history) transaction.items.push_back(*write.history);
  for (const TransactItem& item : write.before_lead) transaction.items.push_back(item);
  for (const TransactItem& item : write.after_lead) transaction.items.push_back(item);
  for (const Item& entry : write.entries_added)
    transaction.items.push_back(PutEntry(context, entry));
  for (const Item& key : write.entries_removed) {
    if (transaction.items.size() < kMaxTransactItems) {
      transaction.items.push_back(DeleteEntry(context, key));
    } else {
      removed_after.push_back(key);
    }
  }
  return transaction;
}

// A transaction cancelled only because another one touched the same item meanwhile (a lead
// counter, lead_counters.hpp): no condition failed, and the same transaction may pass later.
bool IsOnlyConflict(const DynamoDbCallError& error) {
  const auto& codes = error.cancellation_codes;
  if (error.kind != DynamoDbFailure::kConditionFailed || codes.empty()) return false;
  bool conflict = false;
  for (const std::string& code : codes) {
    if (code == "TransactionConflict") {
      conflict = true;
    } else if (code != "None" && !code.empty()) {
      return false;
    }
  }
  return conflict;
}

// Best effort: an entry left behind costs a search one read, never a wrong answer.
boost::asio::awaitable<void> RemoveEntries(ContextPtr context, std::vector<Item> keys) {
  for (Item& key : keys) {
    (void)co_await Call(context->client, "DeleteItem",
                        DeleteEntry(*context, std::move(key)).request);
  }
}

Task<Ok, DynamoDbCallError> ApplyStepByStep(ContextPtr context, LeadWrite write) {
  for (Item& entry : write.entries_added) {
    CallResult put =
        co_await Call(context->client, "PutItem", PutEntry(*context, std::move(entry)).request);
    if (!put.ok()) co_return std::move(put).error();
  }
  for (const TransactItem& item : write.before_lead) {
    CallResult written = co_await Call(context->client, OperationOf(item.action), item.request);
    if (!written.ok()) co_return std::move(written).error();
  }
  CallResult lead =
      co_await Call(context->client, OperationOf(write.lead.action), write.lead.request);
  if (!lead.ok()) co_return std::move(lead).error();
  // The change landed: its answer stands even when what follows it does not.
  if (write.history) {
    (void)co_await Call(context->client, "PutItem", write.history->request);
  }
  for (const TransactItem& item : write.after_lead) {
    (void)co_await Call(context->client, OperationOf(item.action), item.request);
  }
  co_await RemoveEntries(context, std::move(write.entries_removed));
  co_return Ok{};
}

}  // namespace

Task<Ok, DynamoDbCallError> ApplyLeadWrite(ContextPtr context, LeadWrite write) {
  if (!context->without_transactions.load()) {
    std::vector<Item> removed_after;
    const TransactWriteRequest transaction = AsTransaction(*context, write, removed_after);
    Result<Ok, DynamoDbCallError> applied = co_await TransactWrite(context->client, transaction);
    // Concurrent writes of one counter collide; the loser's conditions all held, and the
    // winner is done by the time the same transaction is sent again.
    for (int retry = 0;
         retry < kMaxConflictRetries && !applied.ok() && IsOnlyConflict(applied.error()); ++retry) {
      applied = co_await TransactWrite(context->client, transaction);
    }
    if (applied.ok()) co_await RemoveEntries(context, std::move(removed_after));
    if (applied.ok() || applied.error().kind != DynamoDbFailure::kUnknownOperation)
      co_return applied;
    context->without_transactions.store(true);  // from now on, step by step
  }
  co_return co_await ApplyStepByStep(std::move(context), std::move(write));
}

std::string UnchangedCondition(Request& request, const Item& read) {
  std::string condition = "attribute_exists(" + request.Name(kIdField.attribute) + ")";
  ForEachCustomerField([&](const auto& field) {
    condition += " AND ";
    const std::string name = request.Name(field.attribute);
    if (auto found = read.find(field.attribute); found != read.end()) {
      condition +=
          name + " = " +
          request.Value(std::string("read_") + std::string(field.attribute), found->second);
    } else {
      condition += "attribute_not_exists(" + name + ")";
    }
  });
  // The version too: a change that wrote the same fields still moved it.
  const std::string version = request.Name(kVersionField.attribute);
  if (auto found = read.find(std::string(kVersionField.attribute)); found != read.end()) {
    condition += " AND " + version + " = " + request.Value("read_version", found->second);
  } else {
    condition += " AND attribute_not_exists(" + version + ")";
  }
  return condition;
}

}  // namespace pcustomer::dynamodb
