// GET /pcustomers through Router::Dispatch on real stores: pages, limits and cursors.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "pcustomer/api/cursor.hpp"
#include "pcustomer/api/customer_routes.hpp"
#include "pcustomer/api/testing/customer_calls.hpp"

namespace pcustomer {
namespace {

using test::CustomerAnswer;
using test::CustomerPath;
using test::ErrorAnswer;
using test::ErrorOf;
using test::Phone;

// A listing answer as a client reads it.
struct Page {
  std::vector<CustomerAnswer> items;
  int size = -1;
  int limit = -1;
  std::optional<std::string> last_key;  // none for null
};

Page PageOf(const Response& response) {
  Page page;
  EXPECT_EQ(response.status, 200) << response.body;
  rapidjson::Document document = test::Json(response);
  const rapidjson::Value* data = test::Find(document, {"data"});
  const rapidjson::Value* meta = test::Find(document, {"meta"});
  const rapidjson::Value* size = test::Find(document, {"meta", "size"});
  const rapidjson::Value* limit = test::Find(document, {"meta", "limit"});
  const rapidjson::Value* last_key = test::Find(document, {"meta", "lastKey"});
  const bool shaped = document.IsObject() && document.MemberCount() == 2 && data != nullptr &&
                      data->IsArray() && size != nullptr && meta->MemberCount() == 3 &&
                      size->IsInt() && limit != nullptr && limit->IsInt() && last_key != nullptr &&
                      (last_key->IsString() || last_key->IsNull());
  EXPECT_TRUE(shaped) << "not a page: " << response.body;
  if (!shaped) return page;
  for (const rapidjson::Value& item : data->GetArray())
    page.items.push_back(test::ReadCustomer(item));
  page.size = size->GetInt();
  page.limit = limit->GetInt();
  if (last_key->IsString()) page.last_key = last_key->GetString();
  return page;
}

std::vector<std::string> IdsOf(const std::vector<CustomerAnswer>& customers) {
  std::vector<std::string> ids;
  for (const CustomerAnswer& customer : customers) ids.push_back(customer.id);
  return ids;
}

ErrorAnswer BadLimit(const std::string& desc) {
  return {400, "BAD_REQUEST", "Invalid limit", {{"limit", desc}}};
}
ErrorAnswer BadStartKey(const std::string& desc) {
  return {400, "BAD_REQUEST", "Invalid startKey", {{"startKey", desc}}};
}
const std::string kLimitRange = "limit must be an integer from 1 to 100";
const std::string kNotOurCursor = "startKey is not a cursor issued by this service";

class CustomerPagingTest : public test::CustomerRoutesHarness {
 protected:
  // Creates `count` customers; answers their ids in creation order.
  std::vector<std::string> CreateMany(int count) {
    std::vector<std::string> ids;
    for (int n = 0; n < count; ++n) ids.push_back(Create(Phone(n)).id);
    return ids;
  }

  Page List(const std::string& query = "") {
    return PageOf(AsWriter("GET", query.empty() ? "/pcustomers" : "/pcustomers?" + query));
  }

  // Follows lastKey from the first page until it is null; answers every id seen, in order.
  std::vector<std::string> ListAll(int limit, int* pages) {
    std::vector<std::string> ids;
    std::optional<std::string> cursor;
    *pages = 0;
    do {
      std::string query = "limit=" + std::to_string(limit);
      if (cursor) query += "&startKey=" + *cursor;
      Page page = List(query);
      ++*pages;
      EXPECT_EQ(page.size, static_cast<int>(page.items.size()));
      EXPECT_LE(page.size, limit);
      for (const std::string& id : IdsOf(page.items)) ids.push_back(id);
      cursor = page.last_key;
    } while (cursor && *pages <= 100);
    return ids;
  }
};

TEST_F(CustomerPagingTest, AnEmptyStoreListsNothing) {
  Response listed = AsWriter("GET", "/pcustomers");
  EXPECT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body, R"({"data":[],"meta":{"size":0,"limit":10,"lastKey":null}})");
}

TEST_F(CustomerPagingTest, TheDefaultLimitIs10AndMetaDescribesThePage) {
  std::vector<std::string> ids = CreateMany(12);
  Page first = List();
  EXPECT_EQ(first.limit, 10);
  EXPECT_EQ(first.size, 10);
  EXPECT_EQ(IdsOf(first.items), std::vector<std::string>(ids.begin(), ids.begin() + 10));
  ASSERT_TRUE(first.last_key.has_value());
  Page rest = List("startKey=" + *first.last_key);
  EXPECT_EQ(rest.limit, 10);
  EXPECT_EQ(IdsOf(rest.items), std::vector<std::string>(ids.begin() + 10, ids.end()));
  EXPECT_FALSE(rest.last_key.has_value());
}

TEST_F(CustomerPagingTest, PagesListEveryCustomerOnceInAscendingIdOrder) {
  std::vector<std::string> ids = CreateMany(7);
  for (int limit : {1, 2, 3, 7, 100}) {
    int pages = 0;
    EXPECT_EQ(ListAll(limit, &pages), ids) << "limit " << limit;
    EXPECT_EQ(pages, (7 + limit - 1) / limit) << "limit " << limit;
  }
  // The listed objects are the stored ones.
  Page one = List("limit=1");
  ASSERT_EQ(one.items.size(), 1u);
  EXPECT_EQ(test::CustomerOf(AsWriter("GET", CustomerPath(ids[0]))), one.items[0]);
}

TEST_F(CustomerPagingTest, AFullLastPageEndsWithANullLastKey) {
  std::vector<std::string> ids = CreateMany(4);
  Page first = List("limit=2");
  ASSERT_TRUE(first.last_key.has_value());
  Page second = List("limit=2&startKey=" + *first.last_key);
  EXPECT_EQ(IdsOf(second.items), std::vector<std::string>(ids.begin() + 2, ids.end()));
  EXPECT_FALSE(second.last_key.has_value()) << "nothing follows, so no cursor";
}

TEST_F(CustomerPagingTest, ACursorIssuedForOneLimitWorksWithAnother) {
  std::vector<std::string> ids = CreateMany(5);
  Page first = List("limit=1");
  ASSERT_TRUE(first.last_key.has_value());
  Page rest = List("limit=10&startKey=" + *first.last_key);
  EXPECT_EQ(IdsOf(rest.items), std::vector<std::string>(ids.begin() + 1, ids.end()));
}

TEST_F(CustomerPagingTest, ACursorKeepsWorkingWhenItsCustomerIsDeleted) {
  std::vector<std::string> ids = CreateMany(4);
  Page first = List("limit=2");
  ASSERT_TRUE(first.last_key.has_value());
  ASSERT_EQ(AsWriter("DELETE", CustomerPath(ids[1])).status, 200);
  EXPECT_EQ(IdsOf(List("limit=2&startKey=" + *first.last_key).items),
            std::vector<std::string>(ids.begin() + 2, ids.end()));
}

TEST_F(CustomerPagingTest, ACursorKeepsWorkingForAnotherProcessWithTheSameKey) {
  std::vector<std::string> ids = CreateMany(3);
  Page first = List("limit=1");
  ASSERT_TRUE(first.last_key.has_value());
  // What a restarted server (or a second one on the same store) builds: the key comes from
  // the store, the routes are new.
  router_ = std::make_unique<Router>(*authorizer_);
  customers_ = std::make_unique<CustomerRoutes>(*stores_->customers, CursorCodec(kCursorKey));
  customers_->Register(*router_);
  EXPECT_EQ(IdsOf(List("startKey=" + *first.last_key).items),
            std::vector<std::string>(ids.begin() + 1, ids.end()));
}

TEST_F(CustomerPagingTest, AnEmptyStartKeyStartsFromTheBeginning) {
  std::vector<std::string> ids = CreateMany(2);
  EXPECT_EQ(IdsOf(List("startKey=").items), ids);
  EXPECT_EQ(IdsOf(List("limit=5&startKey=").items), ids);
}

TEST_F(CustomerPagingTest, LimitsOutsideOneToHundredAre400) {
  for (const char* limit :
       {"0", "101", "-1", "abc", "1.5", "", "1e1", " 5", "5 ", "0x10", "99999999999999999999"}) {
    EXPECT_EQ(ErrorOf(AsWriter("GET", std::string("/pcustomers?limit=") + limit)),
              BadLimit(kLimitRange))
        << "'" << limit << "'";
  }
  EXPECT_EQ(ErrorOf(AsWriter("GET", "/pcustomers?limit=2&limit=3")),
            BadLimit("limit is given twice"));
  EXPECT_EQ(List("limit=1").limit, 1);
  EXPECT_EQ(List("limit=100").limit, 100);
  EXPECT_EQ(List("limit=%37").limit, 7) << "the query is percent-decoded first";
}

TEST_F(CustomerPagingTest, CursorsThisServiceDidNotIssueAre400) {
  CreateMany(3);
  Page first = List("limit=1");
  ASSERT_TRUE(first.last_key.has_value());
  const std::string& cursor = *first.last_key;
  std::string tampered = cursor;
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  const std::string foreign = CursorCodec(std::string(32, 'x')).Encode("CUSTOMER#1");
  for (const std::string& start_key :
       {std::string("CUSTOMER%231"), std::string("garbage"), std::string("."), tampered,
        cursor.substr(0, cursor.size() - 2), foreign, std::string(600, 'a') + "." + "b"}) {
    EXPECT_EQ(ErrorOf(AsWriter("GET", "/pcustomers?startKey=" + start_key)),
              BadStartKey(kNotOurCursor))
        << start_key;
  }
  EXPECT_EQ(ErrorOf(AsWriter("GET", "/pcustomers?startKey=" + cursor + "&startKey=" + cursor)),
            BadStartKey("startKey is given twice"));
}

TEST_F(CustomerPagingTest, AMalformedQueryStringIs400) {
  EXPECT_EQ(ErrorOf(AsWriter("GET", "/pcustomers?limit=%zz")),
            (ErrorAnswer{400, "BAD_REQUEST", "Malformed query string", {}}));
  EXPECT_EQ(ErrorOf(AsWriter("GET", "/pcustomers?startKey=%00")),
            (ErrorAnswer{400, "BAD_REQUEST", "Malformed query string", {}}));
}

}  // namespace
}  // namespace pcustomer
