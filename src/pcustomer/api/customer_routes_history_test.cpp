// GET /pcustomers/{id}/history (CONTRACT.md section 8): the caller of each change as the token
// names it, newest first, paged with cursors bound to the lead; bad parameters are 400 and a
// missing lead 404.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pcustomer/api/testing/customer_calls.hpp"

namespace pcustomer {
namespace {

using test::CustomerAnswer;
using test::CustomerPath;
using test::ErrorOf;
using test::IntAt;
using test::Json;
using test::Phone;
using test::StringAt;

class CustomerHistoryTest : public test::CustomerRoutesHarness {
 protected:
  Response HistoryOf(const std::string& id, const std::string& query = {}) {
    return AsWriter("GET", CustomerPath(id) + "/history" + query);
  }
};

TEST_F(CustomerHistoryTest, EachChangeNamesItsCallerAndTheFieldsItChanged) {
  const CustomerAnswer lead = Create(Phone(1));
  ASSERT_EQ(AsWriter("PATCH", CustomerPath(lead.id), R"({"age": 44})").status, 200);
  Response history = HistoryOf(lead.id);
  ASSERT_EQ(history.status, 200) << history.body;
  const rapidjson::Document json = Json(history);
  ASSERT_TRUE(json["data"].IsArray());
  ASSERT_EQ(json["data"].Size(), 2u);
  const rapidjson::Value& updated = json["data"][0];
  EXPECT_EQ(IntAt(updated, {"version"}), 2);
  EXPECT_EQ(StringAt(updated, {"action"}), "updated");
  EXPECT_EQ(StringAt(updated, {"by", "username"}), "sales.admin");
  // The local identity provider's sub is the username's key.
  EXPECT_EQ(StringAt(updated, {"by", "sub"}), "sales.admin");
  EXPECT_EQ(IntAt(updated, {"changes", "age", "from"}), 30);
  EXPECT_EQ(IntAt(updated, {"changes", "age", "to"}), 44);
  EXPECT_FALSE(updated["changes"].HasMember("phone"));
  EXPECT_EQ(StringAt(json["data"][1], {"action"}), "created");
  EXPECT_TRUE(json["data"][1]["changes"]["phone"]["from"].IsNull());
  EXPECT_EQ(IntAt(json, {"meta", "size"}), 2);
  EXPECT_TRUE(json["meta"]["lastKey"].IsNull());
}

TEST_F(CustomerHistoryTest, PagesFollowTheirCursorAndACursorServesOnlyItsLead) {
  const CustomerAnswer lead = Create(Phone(1));
  const CustomerAnswer other = Create(Phone(2));
  for (int age = 31; age <= 35; ++age) {
    ASSERT_EQ(
        AsWriter("PATCH", CustomerPath(lead.id), R"({"age": )" + std::to_string(age) + "}").status,
        200);
  }
  std::vector<int64_t> versions;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    Response answer =
        HistoryOf(lead.id, "?limit=4" + (cursor.empty() ? "" : "&startKey=" + cursor));
    ASSERT_EQ(answer.status, 200) << answer.body;
    const rapidjson::Document json = Json(answer);
    for (const auto& entry : json["data"].GetArray())
      versions.push_back(entry["version"].GetInt64());
    if (json["meta"]["lastKey"].IsNull()) break;
    cursor = json["meta"]["lastKey"].GetString();
    EXPECT_EQ(ErrorOf(HistoryOf(other.id, "?startKey=" + cursor)).status, 400);
    EXPECT_EQ(ErrorOf(AsWriter("GET", "/pcustomers?startKey=" + cursor)).status, 400);
  }
  EXPECT_EQ(versions, (std::vector<int64_t>{6, 5, 4, 3, 2, 1}));
}

TEST_F(CustomerHistoryTest, BadParametersAre400AndAMissingLead404) {
  const CustomerAnswer lead = Create(Phone(1));
  for (const char* query : {"?limit=0", "?limit=101", "?limit=x", "?sort=age", "?limit=5&limit=6",
                            "?startKey=nonsense"}) {
    EXPECT_EQ(ErrorOf(HistoryOf(lead.id, query)).status, 400) << query;
  }
  EXPECT_EQ(ErrorOf(HistoryOf("CUSTOMER#1795000000000999")).status, 404);
  EXPECT_EQ(ErrorOf(HistoryOf("nope")).status, 404);
}

}  // namespace
}  // namespace pcustomer
