// The trash through the routes (CONTRACT.md section 8): DELETE moves a lead there, GET /trash
// lists it with who and when, restore brings it back (If-Match, 409 on a taken phone), and
// only admins erase; read permission lists, write permission restores.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pcustomer/api/testing/customer_calls.hpp"
#include "pcustomer/api/url.hpp"

namespace pcustomer {
namespace {

using test::CustomerAnswer;
using test::CustomerOf;
using test::CustomerPath;
using test::ErrorOf;
using test::HeaderOf;
using test::Json;
using test::Phone;
using test::StringAt;

std::string TrashPath(const std::string& id, const std::string& rest = {}) {
  return "/trash/" + PercentEncodePathSegment(id) + rest;
}

class TrashRoutesTest : public test::CustomerRoutesHarness {
 protected:
  Response Restore(const std::string& id, std::string if_match = {}) {
    Request request = test::WithToken(test::Call("POST", TrashPath(id, "/restore")), writer_token_);
    request.if_match = std::move(if_match);
    return Send(std::move(request));
  }
};

TEST_F(TrashRoutesTest, ADeletedLeadIsListedInTheTrashWithWhoAndWhen) {
  const CustomerAnswer lead = Create(Phone(1));
  Response deleted = AsWriter("DELETE", CustomerPath(lead.id));
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.body, R"({"data":true})");
  EXPECT_EQ(ErrorOf(AsWriter("GET", CustomerPath(lead.id))).status, 404);
  Response trash = AsWriter("GET", "/trash");
  ASSERT_EQ(trash.status, 200) << trash.body;
  const rapidjson::Document json = Json(trash);
  ASSERT_EQ(json["data"].Size(), 1u);
  const rapidjson::Value& item = json["data"][0];
  EXPECT_EQ(StringAt(item, {"id"}), lead.id);
  EXPECT_EQ(StringAt(item, {"deletedBy"}), "sales.admin");
  EXPECT_EQ(StringAt(item, {"deletedAt"}), StringAt(item, {"updatedAt"}));
  EXPECT_EQ(item["version"].GetInt64(), 2);
  EXPECT_TRUE(json["meta"]["lastKey"].IsNull());
  // Its phone is free.
  EXPECT_EQ(AsWriter("POST", "/pcustomers", test::LeadBody(Phone(1))).status, 201);
}

TEST_F(TrashRoutesTest, ARestoreComesBackAtTheNextVersionUnlessItsPhoneWasTaken) {
  const CustomerAnswer lead = Create(Phone(1));
  ASSERT_EQ(AsWriter("DELETE", CustomerPath(lead.id)).status, 200);
  EXPECT_EQ(ErrorOf(Restore(lead.id, "\"1\"")).status, 412);
  const CustomerAnswer holder = Create(Phone(1), "Trần Thị Bích");
  const auto taken = ErrorOf(Restore(lead.id));
  EXPECT_EQ(taken.status, 409);
  ASSERT_EQ(taken.reasons.size(), 1u);
  EXPECT_EQ(taken.reasons[0].desc, holder.id);
  ASSERT_EQ(AsWriter("DELETE", CustomerPath(holder.id)).status, 200);
  Response restored = Restore(lead.id, "\"2\"");
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_EQ(HeaderOf(restored, "ETag"), "\"3\"");
  EXPECT_EQ(CustomerOf(restored).version, 3);
  EXPECT_EQ(AsWriter("GET", CustomerPath(lead.id)).status, 200);
  EXPECT_EQ(ErrorOf(Restore(lead.id)).status, 404);
}

TEST_F(TrashRoutesTest, OnlyAnAdminErasesAndOnlyWhatIsInTheTrash) {
  const CustomerAnswer lead = Create(Phone(1));
  const std::string employee = AccessTokenOf("sales.emp", "employee", "sales");
  const std::string marketing = AccessTokenOf("mkt.emp", "employee", "marketing");
  EXPECT_EQ(ErrorOf(AsWriter("DELETE", TrashPath(lead.id))).status, 404);  // not deleted
  ASSERT_EQ(AsWriter("DELETE", CustomerPath(lead.id)).status, 200);
  EXPECT_EQ(SendWithToken(marketing, "GET", "/trash").status, 200);
  EXPECT_EQ(ErrorOf(SendWithToken(marketing, "POST", TrashPath(lead.id, "/restore"))).status, 403);
  EXPECT_EQ(ErrorOf(SendWithToken(employee, "DELETE", TrashPath(lead.id))).status, 403);
  Response erased = AsWriter("DELETE", TrashPath(lead.id));
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_EQ(ErrorOf(AsWriter("DELETE", TrashPath(lead.id))).status, 404);
  EXPECT_EQ(ErrorOf(Restore(lead.id)).status, 404);
  EXPECT_EQ(ErrorOf(AsWriter("GET", CustomerPath(lead.id) + "/history")).status, 404);
}

TEST_F(TrashRoutesTest, PagesFollowTheirCursorAndOtherCursorsAre400) {
  std::vector<std::string> deleted;
  for (int n = 1; n <= 5; ++n) {
    const CustomerAnswer lead = Create(Phone(n));
    ASSERT_EQ(AsWriter("DELETE", CustomerPath(lead.id)).status, 200);
    deleted.insert(deleted.begin(), lead.id);
  }
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    Response answer =
        AsWriter("GET", "/trash?limit=2" + (cursor.empty() ? "" : "&startKey=" + cursor));
    ASSERT_EQ(answer.status, 200) << answer.body;
    const rapidjson::Document json = Json(answer);
    for (const auto& item : json["data"].GetArray()) seen.emplace_back(item["id"].GetString());
    if (json["meta"]["lastKey"].IsNull()) break;
    cursor = json["meta"]["lastKey"].GetString();
    EXPECT_EQ(ErrorOf(AsWriter("GET", "/pcustomers?startKey=" + cursor)).status, 400);
  }
  EXPECT_EQ(seen, deleted);
  for (const char* query : {"?limit=0", "?limit=abc", "?q=x", "?startKey=zz", "?limit=1&limit=2"}) {
    EXPECT_EQ(ErrorOf(AsWriter("GET", std::string("/trash") + query)).status, 400) << query;
  }
}

}  // namespace
}  // namespace pcustomer
