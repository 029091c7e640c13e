// How a lead is written with its index entries when the endpoint has no TransactWriteItems
// (dynalite, ScyllaDB Alternator): step by step, new entries first and obsolete ones last;
// the store asks for a transaction once and remembers the answer.
#include "pcustomer/store/dynamodb/lead_writes.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"
#include "pcustomer/store/dynamodb/search_entries.hpp"
#include "pcustomer/store/dynamodb/testing/fake_dynamodb.hpp"
#include "pcustomer/store/testing/store_calls.hpp"

namespace pcustomer::dynamodb {
namespace {

using testing::FakeDynamoDb;

class LeadWritesWithoutTransactions : public ::testing::Test {
 protected:
  LeadWritesWithoutTransactions() {
    fake_.AddServiceIndexes();
    fake_.Schedule("TransactWriteItems", FakeDynamoDb::Fault::kFailBefore,
                   DynamoDbCallError::UnknownOperation("UnknownOperationException"));
  }

  std::vector<std::string> EntryIds(const std::string& type) {
    std::vector<std::string> ids;
    for (const Item& item : fake_.Partition(type))
      ids.push_back(StringAttribute(item, "id").value_or("?"));
    return ids;
  }

  FakeDynamoDb fake_;
  DynamoDbCustomerStore store_{fake_, "pcustomers"};
};

TEST_F(LeadWritesWithoutTransactions, CreateUpdateAndDeleteKeepTheEntriesInStep) {
  auto first = test::CreateNow(store_, test::Lead(1));
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = test::CreateNow(store_, {"Lê Thị Lan", test::Lead(2).phone, 40, "book"});
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(fake_.calls("TransactWriteItems"), 1);  // asked once only
  EXPECT_EQ(EntryIds(kNameWordType).size(), 3u + 3u);
  EXPECT_EQ(EntryIds(kPhoneDigitsType).size(), 8u + 8u);
  EXPECT_TRUE(fake_.GetRaw("potential_customer", second->id)->contains("nameKey"));

  CustomerPatch patch;
  patch.full_name = "Lê Thị Mai";
  ASSERT_TRUE(test::UpdateNow(store_, second->id, patch).ok());
  EXPECT_TRUE(fake_.GetRaw(kNameWordType, "mai#" + second->id).has_value());
  EXPECT_FALSE(fake_.GetRaw(kNameWordType, "lan#" + second->id).has_value());

  ASSERT_TRUE(test::TrashNow(store_, second->id).ok());
  EXPECT_EQ(EntryIds(kNameWordType).size(), 3u);
  EXPECT_EQ(EntryIds(kPhoneDigitsType).size(), 8u);
  EXPECT_EQ(fake_.calls("TransactWriteItems"), 1);
}

// An entry write that fails stops the write before the lead: no lead without its entries.
TEST_F(LeadWritesWithoutTransactions, AFailedEntryWriteLeavesNoLeadBehind) {
  ASSERT_TRUE(test::CreateNow(store_, test::Lead(1)).ok());  // learns: no transactions
  fake_.ScheduleFor("PutItem", kPhoneDigitsType, FakeDynamoDb::Fault::kFailBefore);
  auto created = test::CreateNow(store_, test::Lead(2));
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(fake_.Partition("potential_customer").size(), 1u);
}

}  // namespace
}  // namespace pcustomer::dynamodb
