// POST /pcustomers/batch through the routes (CONTRACT.md section 8): one result per item in
// order (201, 400 for an item breaking a rule, 409 for a taken phone), upsert updating by
// phone (200), and the request refused as a whole only for its shape (400) or size (413).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pcustomer/api/testing/customer_calls.hpp"

namespace pcustomer {
namespace {

using test::CustomerAnswer;
using test::ErrorOf;
using test::Json;
using test::LeadBody;
using test::Phone;
using test::StringAt;

std::string Items(const std::vector<std::string>& items, const std::string& mode = {}) {
  std::string json = "{\"items\":[";
  for (size_t i = 0; i < items.size(); ++i) json += (i ? "," : "") + items[i];
  json += "]";
  if (!mode.empty()) json += ",\"mode\":\"" + mode + "\"";
  return json + "}";
}

class CustomerBatchTest : public test::CustomerRoutesHarness {
 protected:
  std::vector<int> Statuses(const Response& response) {
    std::vector<int> statuses;
    const rapidjson::Document json = Json(response);
    if (!json.IsObject() || !json.HasMember("data")) return statuses;
    for (const auto& result : json["data"]["results"].GetArray())
      statuses.push_back(result["status"].GetInt());
    return statuses;
  }
};

TEST_F(CustomerBatchTest, EachItemGetsItsOwnResultInOrder) {
  const CustomerAnswer existing = Create(Phone(9));
  Response answer = AsWriter("POST", "/pcustomers/batch",
                             Items({LeadBody(Phone(1)), LeadBody("12345"), LeadBody(Phone(1)),
                                    LeadBody(Phone(9)), "[1]", LeadBody(Phone(2))}));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(Statuses(answer), (std::vector<int>{201, 400, 409, 409, 400, 201}));
  const rapidjson::Document json = Json(answer);
  const auto& results = json["data"]["results"];
  EXPECT_EQ(StringAt(results[1], {"error", "code"}), "BAD_REQUEST");
  EXPECT_STREQ(results[1]["error"]["details"]["reasons"][0]["source"].GetString(), "phone");
  EXPECT_EQ(StringAt(results[3], {"error", "code"}), "CONFLICT");
  EXPECT_EQ(std::string(results[3]["error"]["details"]["reasons"][0]["desc"].GetString()),
            existing.id);
  EXPECT_EQ(std::string(results[2]["error"]["details"]["reasons"][0]["desc"].GetString()),
            StringAt(results[0], {"data", "id"}));
  EXPECT_EQ(AsWriter("GET", test::CustomerPath(StringAt(results[5], {"data", "id"}))).status, 200);
}

TEST_F(CustomerBatchTest, UpsertUpdatesTheLeadHoldingThePhone) {
  const CustomerAnswer existing = Create(Phone(1));
  Response answer =
      AsWriter("POST", "/pcustomers/batch",
               Items({LeadBody(Phone(1), "Trần Thị Bích"), LeadBody(Phone(2))}, "upsert"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(Statuses(answer), (std::vector<int>{200, 201}));
  const rapidjson::Document json = Json(answer);
  EXPECT_EQ(StringAt(json["data"]["results"][0], {"data", "id"}), existing.id);
  EXPECT_EQ(StringAt(json["data"]["results"][0], {"data", "fullName"}), "Trần Thị Bích");
}

TEST_F(CustomerBatchTest, TheShapeOrTheSizeRefusesTheWholeRequest) {
  for (const char* body :
       {"[]", "{}", R"({"items": []})", R"({"items": {}})", R"({"items": [], "x": 1})",
        R"({"items": [{}], "mode": "merge"})", R"({"items": [{}], "mode": 1})"}) {
    EXPECT_EQ(ErrorOf(AsWriter("POST", "/pcustomers/batch", body)).status, 400) << body;
  }
  std::vector<std::string> many;
  for (int n = 0; n < 101; ++n) many.push_back(LeadBody(Phone(n)));
  const auto too_many = ErrorOf(AsWriter("POST", "/pcustomers/batch", Items(many)));
  EXPECT_EQ(too_many.status, 413);
  EXPECT_EQ(too_many.code, "PAYLOAD_TOO_LARGE");
  // Nothing of a refused request was written.
  EXPECT_EQ(AsWriter("POST", "/pcustomers", LeadBody(Phone(0))).status, 201);
}

}  // namespace
}  // namespace pcustomer
