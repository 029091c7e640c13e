// The indexes each main search shape uses, pinned through EXPLAIN QUERY PLAN: a search must
// never read the whole customers table to find its matches or to order them. What the
// searches answer is the contract suite's business (store/customer_search_contract_test.cpp).

#include "pcustomer/store/sqlite/search_queries.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

#include "pcustomer/store/sqlite/customer_queries.hpp"
#include "pcustomer/store/sqlite/schema.hpp"
#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"
#include "pcustomer/store/testing/store_calls.hpp"
#include "pcustomer/validation/search_text.hpp"

namespace pcustomer {
namespace {

class SearchPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteOptions options;
    options.data_dir = dir_.path();
    auto store = SqliteCustomerStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.error().message;
    // Enough rows that a plan reading them all would be a real cost (SQLite plans without
    // statistics here, as in the field, where nobody runs ANALYZE).
    for (int i = 0; i < 50; ++i) ASSERT_TRUE(test::CreateNow(**store, test::Lead(i)).ok());
    auto db = sqlite::Connection::Open(SqliteCustomerStore::DatabasePath(dir_.path()).string(),
                                       SQLITE_OPEN_READONLY, 1000);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_.emplace(std::move(db).value());
  }

  // The plan of `request`, one step per line.
  std::string Plan(const SearchRequest& request) {
    auto plan = sqlite::SearchPagePlan(*db_, request);
    EXPECT_TRUE(plan.ok()) << plan.error().message;
    std::string text;
    if (plan.ok()) {
      for (const std::string& step : *plan) text += step + "\n";
    }
    return text;
  }

  test::TempDirectory dir_;
  std::optional<sqlite::Connection> db_;
};

// The last lead of a page, as far as the sorts read it.
Customer Last() {
  Customer last;
  last.id = "CUSTOMER#1";
  last.full_name = "Nguyễn Văn An";
  last.age = 30;
  return last;
}

SearchRequest Sorted(CustomerSortField field, bool descending = false) {
  SearchRequest request;
  request.sort = {field, descending};
  return request;
}

// A full scan of customers shows as "SCAN customers" without an index.
void ExpectNoTableScan(const std::string& plan) {
  EXPECT_EQ(plan.find("SCAN customers\n"), std::string::npos) << plan;
}

// A `q` search walks the matches of its FTS5 table in creation order (no sorting, so the
// first page stops after `limit` matches) and reads each lead by its primary key.
void ExpectDrivenBy(const std::string& table, const std::string& plan) {
  EXPECT_NE(plan.find("SCAN " + table + " VIRTUAL TABLE INDEX"), std::string::npos) << plan;
  EXPECT_NE(plan.find("SEARCH customers USING PRIMARY KEY (id=?)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("USE TEMP B-TREE"), std::string::npos) << plan;
  ExpectNoTableScan(plan);
}

TEST_F(SearchPlanTest, NameWordsAreFoundThroughTheNameSearchTable) {
  SearchRequest request;
  request.filter.name_prefixes = {"nguyen", "van"};
  ExpectDrivenBy("customer_name_search", Plan(request));
  request.sort.descending = true;
  request.after = Last();
  ExpectDrivenBy("customer_name_search", Plan(request));
}

TEST_F(SearchPlanTest, PhoneDigitsAreFoundThroughThePhoneSearchTable) {
  SearchRequest request;
  request.filter.phone_digits = "345678";
  ExpectDrivenBy("customer_phone_search", Plan(request));
  request.filter.phone_digits = "345";
  request.after = Last();
  ExpectDrivenBy("customer_phone_search", Plan(request));
}

TEST_F(SearchPlanTest, EachSortWalksAnIndexInsteadOfSorting) {
  const std::vector<std::pair<CustomerSortField, std::string>> sorts = {
      {CustomerSortField::kFullName, "customers_by_name"},
      {CustomerSortField::kAge, "customers_by_age"},
  };
  for (const auto& [field, index] : sorts) {
    for (bool descending : {false, true}) {
      const std::string plan = Plan(Sorted(field, descending));
      EXPECT_NE(plan.find("USING INDEX " + index), std::string::npos) << plan;
      EXPECT_EQ(plan.find("USE TEMP B-TREE"), std::string::npos) << plan;
    }
  }
  for (bool descending : {false, true}) {
    const std::string plan = Plan(Sorted(CustomerSortField::kCreateAt, descending));
    EXPECT_EQ(plan.find("USE TEMP B-TREE"), std::string::npos) << plan;
  }
}

TEST_F(SearchPlanTest, ALaterPageStartsInsideTheIndex) {
  SearchRequest request = Sorted(CustomerSortField::kFullName);
  request.after = Last();
  EXPECT_NE(Plan(request).find("USING INDEX customers_by_name ((name_key,id)>(?,?))"),
            std::string::npos)
      << Plan(request);
  request = Sorted(CustomerSortField::kAge, true);
  request.after = Last();
  EXPECT_NE(Plan(request).find("USING INDEX customers_by_age ((age,id)<(?,?))"), std::string::npos)
      << Plan(request);
}

TEST_F(SearchPlanTest, EachFilterUsesItsIndex) {
  SearchRequest product;
  product.filter.product_codes = {"book"};
  EXPECT_NE(Plan(product).find("USING INDEX customers_by_product (product_code=?)"),
            std::string::npos)
      << Plan(product);
  SearchRequest ages;
  ages.filter.age_min = 30;
  ages.filter.age_max = 40;
  ages.sort = {CustomerSortField::kAge, false};
  EXPECT_NE(Plan(ages).find("USING INDEX customers_by_age (age>? AND age<?)"), std::string::npos)
      << Plan(ages);
  SearchRequest created;
  created.filter.created_from = "2026-11-01T00:00:00.000Z";
  created.filter.created_to = "2026-12-01T00:00:00.000Z";
  // Ids carry their createAt: the primary key answers the range.
  EXPECT_NE(Plan(created).find("SEARCH customers USING PRIMARY KEY (id>? AND id<?)"),
            std::string::npos)
      << Plan(created);
}

// The words of any `q` reach FTS5 as quoted strings: none of them is read as query syntax
// (a syntax error would be a 503 for a bad request), whether short (prefix index) or long
// (vocabulary).
TEST_F(SearchPlanTest, NoWordIsReadAsFtsQuerySyntax) {
  const std::vector<std::string> texts = {
      "\"",
      "\"\"",
      "a\"b",
      "OR",
      "and",
      "NOT",
      "NEAR",
      "near(",
      "*",
      "^x",
      "x:y",
      "(",
      ")",
      "-a",
      "+b",
      "{words}",
      "\"nguyen\" OR \"a\"*",
      "漢字",
      "한국어",
      "😀x",
      "اَلْعَرَبِيَّةُ",
      "가",
      "x\u0301",
      "\u00e9t\u00e9",
      "nguyễn\"vă",
  };
  for (const std::string& text : texts) {
    SearchRequest request;
    request.filter.name_prefixes = SearchWords(text);
    if (request.filter.name_prefixes.empty()) continue;
    request.with_total = true;
    auto page = sqlite::SelectSearchPage(*db_, request);
    EXPECT_TRUE(page.ok()) << text << ": " << page.error().message;
  }
}

}  // namespace
}  // namespace pcustomer
