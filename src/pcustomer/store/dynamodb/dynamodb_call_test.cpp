#include "pcustomer/store/dynamodb/dynamodb_call.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "pcustomer/store/dynamodb/dynamodb_table.hpp"
#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"
#include "pcustomer/store/dynamodb/testing/table_endpoints.hpp"

namespace pcustomer::dynamodb {
namespace {

using testing::FakeDynamoDb;
using TransactResult = Result<Ok, DynamoDbCallError>;

constexpr const char* kLeads = "potential_customer";

Item Key(std::string type, std::string id) {
  return {{"type", AttributeValue::S(std::move(type))}, {"id", AttributeValue::S(std::move(id))}};
}

Item Lead(const std::string& id, const std::string& name) {
  Item item = Key(kLeads, id);
  item["fullName"] = AttributeValue::S(name);
  return item;
}

TransactItem Put(const std::string& table, Item item, bool only_new) {
  TransactItem put{TransactAction::kPut, {}};
  put.request.table = table;
  put.request.item = std::move(item);
  if (only_new) put.request.condition = "attribute_not_exists(" + put.request.Name("id") + ")";
  return put;
}

TransactItem Rename(const std::string& table, const std::string& id, const std::string& name) {
  TransactItem update{TransactAction::kUpdate, {}};
  update.request.table = table;
  update.request.key = Key(kLeads, id);
  update.request.update = "SET " + update.request.Name("fullName") + " = " +
                          update.request.Value("name", AttributeValue::S(name));
  return update;
}

TransactItem Exists(const std::string& table, const std::string& id) {
  TransactItem check{TransactAction::kConditionCheck, {}};
  check.request.table = table;
  check.request.key = Key(kLeads, id);
  check.request.condition = "attribute_exists(" + check.request.Name("id") + ")";
  return check;
}

TransactItem Remove(const std::string& table, const std::string& id) {
  TransactItem remove{TransactAction::kDelete, {}};
  remove.request.table = table;
  remove.request.key = Key(kLeads, id);
  return remove;
}

Task<TransactResult> Transacted(DynamoDbClient& client, TransactWriteRequest request) {
  co_return co_await TransactWrite(client, request);
}

TransactResult Transact(DynamoDbClient& client, TransactWriteRequest request) {
  Result<TransactResult> done = Wait(Transacted(client, std::move(request)));
  if (!done.ok()) return DynamoDbCallError::Internal(done.error().message);
  return std::move(done).value();
}

Task<CallResult> Called(DynamoDbClient& client, std::string operation, Request request) {
  co_return co_await Call(client, operation, request);
}

CallResult CallNow(DynamoDbClient& client, std::string operation, Request request) {
  Result<CallResult> done = Wait(Called(client, std::move(operation), std::move(request)));
  if (!done.ok()) return DynamoDbCallError::Internal(done.error().message);
  return std::move(done).value();
}

std::vector<std::string> Ids(const std::vector<Item>& items) {
  std::vector<std::string> ids;
  for (const Item& item : items) ids.push_back(StringAttribute(item, "id").value_or("?"));
  return ids;
}

// A Query of the leads on `index`.
Request IndexQuery(const std::string& table, const GlobalIndex& index) {
  Request request;
  request.table = table;
  request.index_name = std::string(index.name);
  request.key_condition =
      request.Name("type") + " = " + request.Value("type", AttributeValue::S(kLeads));
  return request;
}

TableWaitOptions Fast() {
  TableWaitOptions options;
  options.poll_interval = std::chrono::milliseconds(20);
  options.timeout = std::chrono::milliseconds(30'000);
  return options;
}

// The same cases on the fake and on DynamoDB Local, in a table made by CreateTable (with its
// indexes): the fake's transactions, batch reads and index queries answer as DynamoDB's do.
template <class Endpoint>
class DynamoDbCallContract : public ::testing::Test {
 public:
  void SetUp() override {
    ASSERT_TRUE(endpoint_.available()) << endpoint_.problem();
    table_ = endpoint_.NewTableName();
    auto setup = CreateTable(endpoint_.client(), table_, Fast());
    ASSERT_TRUE(setup.ok()) << setup.error().message;
  }

 protected:
  DynamoDbClient& client() { return endpoint_.client(); }
  void PutNow(Item item) {
    Request request;
    request.table = table_;
    request.item = std::move(item);
    CallResult put = CallNow(client(), "PutItem", request);
    ASSERT_TRUE(put.ok()) << put.error().message;
  }
  std::optional<Item> GetNow(const std::string& id) {
    Result<std::optional<Item>> got = Wait(GetItem(client(), table_, Key(kLeads, id)));
    EXPECT_TRUE(got.ok()) << got.error().message;
    return got.ok() ? *got : std::nullopt;
  }

  Endpoint endpoint_;
  std::string table_;
};
TYPED_TEST_SUITE(DynamoDbCallContract, testing::Endpoints, testing::EndpointNames);

TYPED_TEST(DynamoDbCallContract, ATransactionIsAllOrNothingWithOneReasonPerItem) {
  const std::string& table = this->table_;
  this->PutNow(Lead("CUSTOMER#A", "An"));
  this->PutNow(Lead("CUSTOMER#E", "Em"));
  TransactWriteRequest failing;
  failing.items = {Put(table, Lead("CUSTOMER#B", "Bình"), true),
                   Put(table, Lead("CUSTOMER#A", "Again"), true),
                   Rename(table, "CUSTOMER#C", "Chi"), Exists(table, "CUSTOMER#D")};
  TransactResult cancelled = Transact(this->client(), failing);
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().kind, DynamoDbFailure::kConditionFailed) << cancelled.error().message;
  EXPECT_EQ(cancelled.error().cancellation_codes,
            (std::vector<std::string>{"None", "ConditionalCheckFailed", "None",
                                      "ConditionalCheckFailed"}));
  EXPECT_FALSE(this->GetNow("CUSTOMER#B").has_value());
  EXPECT_FALSE(this->GetNow("CUSTOMER#C").has_value());
  EXPECT_EQ(StringAttribute(*this->GetNow("CUSTOMER#A"), "fullName"), "An");

  TransactWriteRequest holding;
  holding.items = {Put(table, Lead("CUSTOMER#B", "Bình"), true), Rename(table, "CUSTOMER#A", "Ân"),
                   Remove(table, "CUSTOMER#X"), Exists(table, "CUSTOMER#E")};
  holding.client_request_token = "t-" + table;  // at most 36 characters
  TransactResult applied = Transact(this->client(), holding);
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(StringAttribute(*this->GetNow("CUSTOMER#B"), "fullName"), "Bình");
  EXPECT_EQ(StringAttribute(*this->GetNow("CUSTOMER#A"), "fullName"), "Ân");
}

TYPED_TEST(DynamoDbCallContract, TwoItemsOfATransactionOnOneKeyAreRefused) {
  const std::string& table = this->table_;
  TransactWriteRequest twice;
  twice.items = {Put(table, Lead("CUSTOMER#A", "An"), false), Exists(table, "CUSTOMER#A")};
  TransactResult refused = Transact(this->client(), twice);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, DynamoDbFailure::kValidation) << refused.error().message;
  EXPECT_FALSE(this->GetNow("CUSTOMER#A").has_value());
}

TYPED_TEST(DynamoDbCallContract, BatchGetAllAnswersTheItemsFoundInCallsOfAHundredKeys) {
  const std::string& table = this->table_;
  // 150 leads in two transactions of the largest size, then 101 items refused unsent.
  TransactWriteRequest first;
  TransactWriteRequest second;
  std::set<std::string> ids;
  for (int i = 0; i < 150; ++i) {
    const std::string id = "CUSTOMER#" + std::to_string(1000 + i);
    ids.insert(id);
    (i < 100 ? first : second).items.push_back(Put(table, Lead(id, "Lead"), true));
  }
  ASSERT_TRUE(Transact(this->client(), first).ok());
  ASSERT_TRUE(Transact(this->client(), second).ok());
  TransactWriteRequest too_many = first;
  too_many.items.push_back(Put(table, Lead("CUSTOMER#X", "Lead"), true));
  TransactResult refused = Transact(this->client(), too_many);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, DynamoDbFailure::kInternal);

  KeysAndAttributes read;
  read.consistent_read = true;
  for (const std::string& id : ids) read.keys.push_back(Key(kLeads, id));
  for (int i = 0; i < 10; ++i)
    read.keys.push_back(Key(kLeads, "CUSTOMER#missing" + std::to_string(i)));
  read.keys.push_back(Key(kLeads, "CUSTOMER#1000"));  // asked once
  read.projection = read.Name("id") + ", " + read.Name("fullName");
  Result<std::vector<Item>> found = Wait(BatchGetAll(this->client(), table, read));
  ASSERT_TRUE(found.ok()) << found.error().Described();
  std::vector<std::string> got = Ids(*found);
  EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), ids);
  EXPECT_EQ(got.size(), ids.size());
}

TYPED_TEST(DynamoDbCallContract, AnIndexQueryFollowsItsSortKeyAndHoldsOnlyItemsWithBothKeys) {
  const std::string& table = this->table_;
  // Binary sort keys order as unsigned bytes: 0x00 < 0x7f < 0x80 < 0xff.
  const std::vector<std::pair<std::string, std::string>> names{
      {"CUSTOMER#1", std::string("\x80"
                                 "a",
                                 2)},
      {"CUSTOMER#2", std::string("\x00"
                                 "z",
                                 2)},
      {"CUSTOMER#3", std::string("\xff", 1)},
      {"CUSTOMER#4", std::string("\x7f", 1)},
      {"CUSTOMER#5", std::string("\x80", 1)}};
  for (const auto& [id, key] : names) {
    Item item = Lead(id, "Lead");
    item["nameKey"] = AttributeValue::B(key + std::string(1, '\0') + id);
    this->PutNow(item);
  }
  this->PutNow(Lead("CUSTOMER#6", "No key"));  // not in the index (sparse)
  Item claim = Key("potential_customer_phone", "PHONE#0912345678");
  claim["nameKey"] = AttributeValue::B("\x01");
  this->PutNow(claim);  // in the index, under another partition value

  Result<QueryResult> all = Wait(QueryAll(this->client(), IndexQuery(table, kNameIndex)));
  ASSERT_TRUE(all.ok()) << all.error().Described();
  const std::vector<std::string> order{"CUSTOMER#2", "CUSTOMER#4", "CUSTOMER#5", "CUSTOMER#1",
                                       "CUSTOMER#3"};
  EXPECT_EQ(Ids(all->items), order);

  // Pages of two: LastEvaluatedKey holds the index's keys and the table's.
  Request paged = IndexQuery(table, kNameIndex);
  paged.limit = 2;
  CallResult page = CallNow(this->client(), "Query", paged);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_TRUE(page->last_evaluated_key.has_value());
  EXPECT_EQ(*page->last_evaluated_key,
            (Item{{"type", AttributeValue::S(kLeads)},
                  {"id", AttributeValue::S("CUSTOMER#4")},
                  {"nameKey", AttributeValue::B("\x7f" + std::string(1, '\0') + "CUSTOMER#4")}}));
  Result<QueryResult> pages = Wait(QueryAll(this->client(), paged));
  ASSERT_TRUE(pages.ok()) << pages.error().Described();
  EXPECT_EQ(Ids(pages->items), order);

  Request backwards = IndexQuery(table, kNameIndex);
  backwards.scan_index_forward = false;
  backwards.limit = 3;
  Result<QueryResult> reversed = Wait(QueryAll(this->client(), backwards));
  ASSERT_TRUE(reversed.ok()) << reversed.error().Described();
  EXPECT_EQ(Ids(reversed->items), std::vector<std::string>(order.rbegin(), order.rend()));

  // A start key without the index's keys, and consistent reads, are refused on an index.
  Request bad_start = IndexQuery(table, kNameIndex);
  bad_start.exclusive_start_key = Key(kLeads, "CUSTOMER#4");
  CallResult refused = CallNow(this->client(), "Query", bad_start);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, DynamoDbFailure::kValidation);
  Request consistent = IndexQuery(table, kNameIndex);
  consistent.consistent_read = true;
  refused = CallNow(this->client(), "Query", consistent);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, DynamoDbFailure::kValidation);
}

TYPED_TEST(DynamoDbCallContract, TheAgeIndexSortsItsStringsAndRefusesOtherTypes) {
  const std::string& table = this->table_;
  for (const auto& [id, key] :
       std::vector<std::pair<std::string, std::string>>{{"CUSTOMER#1", "045#CUSTOMER#1"},
                                                        {"CUSTOMER#2", "019#CUSTOMER#2"},
                                                        {"CUSTOMER#3", "101#CUSTOMER#3"}}) {
    Item item = Lead(id, "Lead");
    item["ageKey"] = AttributeValue::S(key);
    this->PutNow(item);
  }
  Request over_thirty = IndexQuery(table, kAgeIndex);
  over_thirty.key_condition += " AND " + over_thirty.Name("ageKey") +
                               " >= " + over_thirty.Value("from", AttributeValue::S("030"));
  Result<QueryResult> found = Wait(QueryAll(this->client(), over_thirty));
  ASSERT_TRUE(found.ok()) << found.error().Described();
  EXPECT_EQ(Ids(found->items), (std::vector<std::string>{"CUSTOMER#1", "CUSTOMER#3"}));

  Request wrong_type;
  wrong_type.table = table;
  wrong_type.item = Lead("CUSTOMER#4", "Lead");
  (*wrong_type.item)["ageKey"] = AttributeValue::N(40);
  CallResult refused = CallNow(this->client(), "PutItem", wrong_type);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, DynamoDbFailure::kValidation);
  EXPECT_FALSE(this->GetNow("CUSTOMER#4").has_value());
}

// What only the fake can be made to do.

TEST(DynamoDbCallTest, BatchGetAllAsksAgainForUnprocessedKeys) {
  FakeDynamoDb fake;
  KeysAndAttributes read;
  std::set<std::string> ids;
  for (int i = 0; i < 30; ++i) {
    const std::string id = "CUSTOMER#" + std::to_string(i);
    fake.PutRaw(Lead(id, "Lead"));
    ids.insert(id);
    read.keys.push_back(Key(kLeads, id));
  }
  fake.set_max_batch_get_keys(7);
  Result<std::vector<Item>> found = Wait(BatchGetAll(fake, "pcustomers", read));
  ASSERT_TRUE(found.ok()) << found.error().Described();
  std::vector<std::string> got = Ids(*found);
  EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), ids);
  EXPECT_EQ(fake.calls("BatchGetItem"), 5);  // 7 + 7 + 7 + 7 + 2
}

// Answers every key of every BatchGetItem as unprocessed.
class AnswersNothing final : public DynamoDbClient {
 public:
  void Call(std::string_view, std::string request_json, DynamoDbDone done) override {
    ++calls;
    BatchGetResponse response;
    response.unprocessed_keys = ParseBatchGetRequest(request_json)->tables;
    done(ToJson(response));
  }
  int calls = 0;
};

TEST(DynamoDbCallTest, BatchGetAllGivesUpWhenNoKeyIsEverAnswered) {
  AnswersNothing client;
  KeysAndAttributes read;
  read.keys.push_back(Key(kLeads, "CUSTOMER#1"));
  Result<std::vector<Item>> found = Wait(BatchGetAll(client, "pcustomers", read, 3));
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(client.calls, 3);
}

TEST(DynamoDbCallTest, ATokenMakesARetriedTransactionItsOwnSuccess) {
  FakeDynamoDb fake;
  TransactWriteRequest create;
  create.items = {Put("pcustomers", Lead("CUSTOMER#1", "An"), true)};
  // The first answer is lost and the client sends the same transaction again.
  fake.Schedule("TransactWriteItems", FakeDynamoDb::Fault::kReplay);
  TransactResult unknown = Transact(fake, create);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, DynamoDbFailure::kOutcomeUnknown);
  EXPECT_EQ(unknown.error().cancellation_codes, std::vector<std::string>{"ConditionalCheckFailed"});

  create.items = {Put("pcustomers", Lead("CUSTOMER#2", "Bình"), true)};
  create.client_request_token = "create-CUSTOMER#2";
  fake.Schedule("TransactWriteItems", FakeDynamoDb::Fault::kReplay);
  TransactResult replayed = Transact(fake, create);
  ASSERT_TRUE(replayed.ok()) << replayed.error().message;
  EXPECT_TRUE(fake.GetRaw(kLeads, "CUSTOMER#2").has_value());

  create.items = {Put("pcustomers", Lead("CUSTOMER#3", "Chi"), true)};
  TransactResult mismatch = Transact(fake, create);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().kind, DynamoDbFailure::kValidation);
  EXPECT_FALSE(fake.GetRaw(kLeads, "CUSTOMER#3").has_value());
}

TEST(DynamoDbCallTest, TheFakeRefusesTransactionsDynamoDbRefuses) {
  FakeDynamoDb fake;
  TransactWriteRequest request;
  for (int i = 0; i < 101; ++i) {
    request.items.push_back(
        Put("pcustomers", Lead("CUSTOMER#" + std::to_string(i), "Lead"), false));
  }
  DynamoDbResult answer = std::string();
  fake.Call("TransactWriteItems", ToJson(request),
            [&answer](DynamoDbResult result) { answer = std::move(result); });
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().kind, DynamoDbFailure::kValidation);
  EXPECT_TRUE(fake.Partition(kLeads).empty());

  TransactWriteRequest unused_value;
  unused_value.items = {Put("pcustomers", Lead("CUSTOMER#1", "An"), false)};
  unused_value.items[0].request.Value("unused", AttributeValue::S("x"));
  TransactResult refused = Transact(fake, unused_value);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, DynamoDbFailure::kValidation);

  TransactWriteRequest missing_table;
  missing_table.items = {Put("other", Lead("CUSTOMER#1", "An"), false)};
  refused = Transact(fake, missing_table);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, DynamoDbFailure::kTableMissing);
}

}  // namespace
}  // namespace pcustomer::dynamodb
