#include "pcustomer/store/dynamodb/search_entries.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pcustomer/validation/search_text.hpp"

namespace pcustomer::dynamodb {
namespace {

Customer Lead(std::string name, std::string phone, int age = 30) {
  Customer lead;
  lead.id = "CUSTOMER#1795545750000001";
  lead.full_name = std::move(name);
  lead.phone = std::move(phone);
  lead.age = age;
  return lead;
}

std::vector<std::string> Ids(const std::vector<Item>& keys) {
  std::vector<std::string> ids;
  for (const Item& key : keys) {
    ids.push_back(StringAttribute(key, "type").value_or("?") + " " +
                  StringAttribute(key, "id").value_or("?"));
  }
  return ids;
}

TEST(SearchEntries, OnePerDistinctFoldedWordAndPerPhoneSuffix) {
  const std::string id = "#CUSTOMER#1795545750000001";
  EXPECT_EQ(Ids(EntryKeys(Lead("Đặng Thu Thu", "0912345678"))),
            (std::vector<std::string>{
                "pcustomer_name_word dang" + id, "pcustomer_name_word thu" + id,
                "pcustomer_phone_digits 0912345678" + id, "pcustomer_phone_digits 912345678" + id,
                "pcustomer_phone_digits 12345678" + id, "pcustomer_phone_digits 2345678" + id,
                "pcustomer_phone_digits 345678" + id, "pcustomer_phone_digits 45678" + id,
                "pcustomer_phone_digits 5678" + id, "pcustomer_phone_digits 678" + id}));
  // A phone the reference left in another form has no digit entries.
  EXPECT_EQ(EntryKeys(Lead("An Bình", "+84 91")).size(), 2u);
}

TEST(SearchEntries, ChangesNameOnlyTheEntriesThatDiffer) {
  const Customer before = Lead("Lê Thị Lan", "0912345678");
  Customer after = before;
  after.full_name = "Lê Thị Mai";
  EntryChanges changes = ChangedEntries(before, after);
  EXPECT_EQ(Ids(changes.added),
            (std::vector<std::string>{"pcustomer_name_word mai#CUSTOMER#1795545750000001"}));
  EXPECT_EQ(Ids(changes.removed),
            (std::vector<std::string>{"pcustomer_name_word lan#CUSTOMER#1795545750000001"}));
  after.phone = "0912345679";
  changes = ChangedEntries(before, after);
  EXPECT_EQ(changes.added.size(), 1u + 8u);  // every suffix ends differently
  EXPECT_EQ(changes.removed.size(), 1u + 8u);
  EXPECT_TRUE(ChangedEntries(before, before).added.empty());
  EXPECT_TRUE(ChangedEntries(before, before).removed.empty());
}

TEST(SearchEntries, SortKeysOrderAsTheSearchOrders) {
  Customer young = Lead("Đỗ Quỳnh", "0912345678", 9);
  Customer old = Lead("Dương Thu", "0912345679", 42);
  EXPECT_EQ(AgeKey(young), "009#CUSTOMER#1795545750000001");
  EXPECT_LT(AgeKey(young), AgeKey(old));
  // Đ after D (vi collation), then the id.
  EXPECT_LT(NameKey(old), NameKey(young));
  EXPECT_EQ(NameKey(old), VietnameseSortKey("Dương Thu") + std::string(1, '\0') + old.id);
  Customer same = old;
  same.id = "CUSTOMER#1795545750000002";
  EXPECT_LT(NameKey(old), NameKey(same));
  const Item keys = SortKeys(old);
  EXPECT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys.at("updatedKey"), AttributeValue::S(old.updated_at + "#" + old.id));
  EXPECT_EQ(keys.at("ageKey"), AttributeValue::S(AgeKey(old)));
  EXPECT_EQ(keys.at("nameKey"), AttributeValue::B(NameKey(old)));
}

}  // namespace
}  // namespace pcustomer::dynamodb
