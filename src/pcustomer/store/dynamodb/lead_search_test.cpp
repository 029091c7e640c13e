// What the DynamoDB store reads to search (CONTRACT.md section 7: a `q` search reads index
// entries for the matches, never the whole table) and the backfill of the search index, on
// the fake and on DynamoDB Local through a client that records every call.
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <string>
#include <vector>

#include "pcustomer/store/dynamodb/dynamodb_batch_get.hpp"
#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"
#include "pcustomer/store/dynamodb/testing/emulator_endpoint.hpp"
#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"
#include "pcustomer/store/dynamodb/testing/recording_client.hpp"
#include "pcustomer/store/testing/store_calls.hpp"

namespace pcustomer::dynamodb {
namespace {

using testing::RecordingClient;

class OnFake {
 public:
  OnFake() { fake_.AddServiceIndexes(); }
  DynamoDbClient* client() { return &fake_; }
  std::string table() const { return "pcustomers"; }

 private:
  testing::FakeDynamoDb fake_;
};

class OnDynamoDbLocal {
 public:
  OnDynamoDbLocal() {
    auto table = endpoint().CreateFreshTable("pcustomers_reads");
    if (table.ok()) table_ = *table;
  }
  ~OnDynamoDbLocal() {
    if (!table_.empty()) endpoint().DeleteTable(table_);
  }
  DynamoDbClient* client() { return table_.empty() ? nullptr : &endpoint().client(); }
  std::string table() const { return table_; }

 private:
  static testing::EmulatorEndpoint& endpoint() { return testing::EmulatorEndpoint::Get(); }
  std::string table_;
};

struct BackendNames {
  template <class Backend>
  static std::string GetName(int) {
    return std::is_same_v<Backend, OnFake> ? "FakeDynamoDb" : "DynamoDbLocal";
  }
};

// Reference items and leads for the cases: lead n gets kNames[n % 5] and phone 09123400nn.
constexpr const char* kNames[] = {"Đặng Thu Thảo", "Nguyễn Văn An", "Lê Thị Lan", "Trần Anh",
                                  "Phạm Thủy"};

template <class Backend>
class DynamoDbSearchReads : public ::testing::Test {
 public:
  void SetUp() override {
    ASSERT_NE(backend_.client(), nullptr) << "DynamoDB Local is not reachable";
    recording_ = std::make_unique<RecordingClient>(*backend_.client());
    store_ = std::make_unique<DynamoDbCustomerStore>(*recording_, backend_.table());
  }

  std::vector<Customer> CreateLeads(int count) {
    std::vector<Customer> leads;
    for (int n = 0; n < count; ++n) {
      char phone[24];
      std::snprintf(phone, sizeof phone, "09123400%02d", n);
      auto lead = test::CreateNow(*store_, {kNames[n % 5], phone, 20 + n, "book"});
      EXPECT_TRUE(lead.ok()) << lead.error().message;
      if (lead.ok()) leads.push_back(*lead);
    }
    (void)recording_->TakeCalls();
    return leads;
  }

  Result<SearchPage> Search(SearchRequest request) {
    return test::Await<SearchPage>(
        [&](Done<SearchPage> done) { store_->Search(std::move(request), done); });
  }

  // The items the recorded calls answered: every Query's Count and every BatchGetItem's
  // items; each call's operation and index (or the partition value it asked for).
  struct Reads {
    int64_t query_items = 0;
    int64_t batch_items = 0;
    std::vector<std::string> queries;  // "<index or partition>"
  };
  Reads TakeReads() {
    Reads reads;
    for (const RecordingClient::Recorded& call : recording_->TakeCalls()) {
      if (call.operation == "Query") {
        auto request = ParseRequest(call.request);
        auto answer = ParseResponse(call.answer);
        EXPECT_TRUE(request.ok() && answer.ok()) << call.request;
        if (!request.ok() || !answer.ok()) continue;
        reads.query_items += answer->count.value_or(0);
        std::string source = request->index_name;
        if (auto pk = request->values.find(":pk"); source.empty() && pk != request->values.end())
          source = pk->second.text;
        reads.queries.push_back(source);
      } else if (call.operation == "BatchGetItem") {
        auto answer = ParseBatchGetResponse(call.answer);
        EXPECT_TRUE(answer.ok()) << call.answer;
        if (!answer.ok()) continue;
        for (const auto& [table, items] : answer->responses) reads.batch_items += std::ssize(items);
      } else {
        ADD_FAILURE() << "a search wrote or read with " << call.operation;
      }
    }
    return reads;
  }

  Backend backend_;
  std::unique_ptr<RecordingClient> recording_;
  std::unique_ptr<DynamoDbCustomerStore> store_;
};

using Backends = ::testing::Types<OnFake, OnDynamoDbLocal>;
TYPED_TEST_SUITE(DynamoDbSearchReads, Backends, BackendNames);

TYPED_TEST(DynamoDbSearchReads, NameSearchReadsTheEntriesAndLeadsOfItsMatchesOnly) {
  this->CreateLeads(25);
  SearchRequest request;
  request.filter.name_prefixes = {"thu", "thao"};  // "thu" also matches "Thủy" (leads 4, 9, ...)
  request.with_total = true;
  auto page = this->Search(request);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->total, 5);  // leads 0, 5, 10, 15, 20
  const auto reads = this->TakeReads();
  // The entries of each word ("thu": 5 Thu and 5 Thủy; "thao": 5), and only the leads that
  // are in both.
  EXPECT_EQ(reads.queries,
            (std::vector<std::string>{"pcustomer_name_word", "pcustomer_name_word"}));
  EXPECT_EQ(reads.query_items, 10 + 5);
  EXPECT_EQ(reads.batch_items, 5);
}

TYPED_TEST(DynamoDbSearchReads, PhoneSearchReadsTheEntriesAndLeadsOfItsMatchesOnly) {
  const std::vector<Customer> leads = this->CreateLeads(25);
  SearchRequest request;
  request.filter.phone_digits = "340017";
  auto page = this->Search(request);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, leads[17].id);
  const auto reads = this->TakeReads();
  EXPECT_EQ(reads.queries, (std::vector<std::string>{"pcustomer_phone_digits"}));
  EXPECT_EQ(reads.query_items, 1);
  EXPECT_EQ(reads.batch_items, 1);
}

TYPED_TEST(DynamoDbSearchReads, SortedPagesWalkAnIndexAndStopPastThePage) {
  const std::vector<Customer> leads = this->CreateLeads(25);
  SearchRequest request;
  request.sort = {CustomerSortField::kAge, true};
  request.limit = 4;
  auto page = this->Search(request);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 4u);
  EXPECT_EQ(page->items[0].id, leads[24].id);  // the oldest first
  EXPECT_TRUE(page->more);
  const auto reads = this->TakeReads();
  EXPECT_EQ(reads.queries, (std::vector<std::string>{"by_age"}));
  EXPECT_EQ(reads.query_items, 5);  // the page and one more, of 25

  request.sort = {CustomerSortField::kFullName, false};
  request.after = page->items.back();
  ASSERT_TRUE(this->Search(request).ok());
  EXPECT_EQ(this->TakeReads().queries, (std::vector<std::string>{"by_name"}));
}

// Items as the reference application writes them: no sort keys, no entries.
Request ReferencePut(const std::string& table, int n) {
  Request put;
  put.table = table;
  char id[40];
  std::snprintf(id, sizeof id, "CUSTOMER#17955457500000%02d", n);
  char phone[24];
  std::snprintf(phone, sizeof phone, "0987650%03d", n);
  put.item = Item{{"type", AttributeValue::S("potential_customer")},
                  {"id", AttributeValue::S(id)},
                  {"fullName", AttributeValue::S(kNames[n % 5])},
                  {"phone", AttributeValue::S(phone)},
                  {"age", AttributeValue::N(30 + n)},
                  {"productCode", AttributeValue::S("book")},
                  {"createAt", AttributeValue::S("2026-11-24T17:00:00.123456")}};
  return put;
}

TYPED_TEST(DynamoDbSearchReads, BackfillIndexesTheItemsTheReferenceWroteOnce) {
  for (int n = 0; n < 6; ++n) {
    std::promise<DynamoDbResult> written;
    this->recording_->Call("PutItem", ToJson(ReferencePut(this->backend_.table(), n)),
                           [&](DynamoDbResult answer) { written.set_value(std::move(answer)); });
    ASSERT_TRUE(written.get_future().get().ok());
  }
  SearchRequest thao;
  thao.filter.name_prefixes = {"thao"};
  ASSERT_TRUE(this->Search(thao)->items.empty());  // not indexed yet

  auto backfill = BackfillSearchIndex(*this->recording_, this->backend_.table());
  ASSERT_TRUE(backfill.ok()) << backfill.error().message;
  EXPECT_EQ(backfill->customers, 6);
  EXPECT_EQ(backfill->indexed, 6);
  EXPECT_EQ(this->Search(thao)->items.size(), 2u);  // items 0 and 5
  SearchRequest by_name;
  by_name.sort = {CustomerSortField::kFullName, false};
  EXPECT_EQ(this->Search(by_name)->items.size(), 6u);
  SearchRequest phone;
  phone.filter.phone_digits = "650003";
  EXPECT_EQ(this->Search(phone)->items.size(), 1u);

  auto again = BackfillSearchIndex(*this->recording_, this->backend_.table());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->customers, 6);
  EXPECT_EQ(again->indexed, 0);
}

}  // namespace
}  // namespace pcustomer::dynamodb
