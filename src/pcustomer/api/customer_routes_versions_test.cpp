// Versions through the /pcustomers routes (CONTRACT.md section 8): the ETag of every
// single-lead answer, If-Match on PATCH and DELETE (412 with the current ETag), and
// If-None-Match on GET (304 without a body).

#include <gtest/gtest.h>

#include <string>

#include "pcustomer/api/customer_routes.hpp"
#include "pcustomer/api/testing/customer_calls.hpp"

namespace pcustomer {
namespace {

using test::CustomerAnswer;
using test::CustomerOf;
using test::CustomerPath;
using test::ErrorAnswer;
using test::ErrorOf;
using test::HeaderOf;
using test::Phone;

class CustomerVersionsTest : public test::CustomerRoutesHarness {
 protected:
  // `method` on the lead `id`, as the writer, with the conditional header `name: value`.
  Response Conditional(std::string method, const std::string& id, std::string_view name,
                       std::string value, std::string body = {}) {
    Request request = test::WithToken(
        test::Call(std::move(method), CustomerPath(id), std::move(body)), writer_token_);
    (name == "If-Match" ? request.if_match : request.if_none_match) = std::move(value);
    return Send(std::move(request));
  }
};

const ErrorAnswer kChanged{
    412, "PRECONDITION_FAILED", "The potential customer has changed since that version", {}};

TEST_F(CustomerVersionsTest, EverySingleLeadAnswerCarriesItsVersionAsETag) {
  Response created = AsWriter("POST", "/pcustomers", test::LeadBody(Phone(1)));
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(HeaderOf(created, "ETag"), "\"1\"");
  const CustomerAnswer lead = CustomerOf(created);
  EXPECT_EQ(HeaderOf(AsWriter("GET", CustomerPath(lead.id)), "ETag"), "\"1\"");
  Response patched = AsWriter("PATCH", CustomerPath(lead.id), R"({"age": 44})");
  EXPECT_EQ(HeaderOf(patched, "ETag"), "\"2\"");
  EXPECT_EQ(CustomerOf(patched).version, 2);
}

TEST_F(CustomerVersionsTest, IfMatchLetsOnlyTheVersionReadWrite) {
  const CustomerAnswer lead = Create(Phone(1));
  Response first = Conditional("PATCH", lead.id, "If-Match", "\"1\"", R"({"age": 41})");
  ASSERT_EQ(first.status, 200) << first.body;
  // The same version again: someone else's change came first.
  Response second = Conditional("PATCH", lead.id, "If-Match", "\"1\"", R"({"age": 42})");
  EXPECT_EQ(ErrorOf(second), kChanged);
  EXPECT_EQ(HeaderOf(second, "ETag"), "\"2\"");
  Response deleted = Conditional("DELETE", lead.id, "If-Match", "\"1\"");
  EXPECT_EQ(ErrorOf(deleted), kChanged);
  EXPECT_EQ(CustomerOf(AsWriter("GET", CustomerPath(lead.id))).age, 41);
  // "*" asks only that the lead exists; the current version passes.
  EXPECT_EQ(Conditional("PATCH", lead.id, "If-Match", "*", R"({"age": 43})").status, 200);
  EXPECT_EQ(Conditional("DELETE", lead.id, "If-Match", "\"3\"").status, 200);
  EXPECT_EQ(AsWriter("GET", CustomerPath(lead.id)).status, 404);
}

TEST_F(CustomerVersionsTest, ABadIfMatchIsA400AndChangesNothing) {
  const CustomerAnswer lead = Create(Phone(1));
  for (const char* bad : {"1", "\"1", "\"1\", \"2\""}) {
    Response refused = Conditional("PATCH", lead.id, "If-Match", bad, R"({"age": 41})");
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_EQ(ErrorOf(refused).code, "BAD_REQUEST");
  }
  EXPECT_EQ(Conditional("DELETE", lead.id, "If-Match", "1").status, 400);
  EXPECT_EQ(CustomerOf(AsWriter("GET", CustomerPath(lead.id))), lead);
}

TEST_F(CustomerVersionsTest, IfNoneMatchOfTheCurrentVersionIsA304WithoutBody) {
  const CustomerAnswer lead = Create(Phone(1));
  Response unchanged = Conditional("GET", lead.id, "If-None-Match", "\"1\"");
  EXPECT_EQ(unchanged.status, 304);
  EXPECT_TRUE(unchanged.body.empty());
  EXPECT_EQ(HeaderOf(unchanged, "ETag"), "\"1\"");
  EXPECT_EQ(Conditional("GET", lead.id, "If-None-Match", "W/\"1\", \"7\"").status, 304);
  ASSERT_EQ(AsWriter("PATCH", CustomerPath(lead.id), R"({"age": 41})").status, 200);
  Response changed = Conditional("GET", lead.id, "If-None-Match", "\"1\"");
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(CustomerOf(changed).age, 41);
  EXPECT_EQ(Conditional("GET", "CUSTOMER#1000000000000001", "If-None-Match", "*").status, 404);
}

}  // namespace
}  // namespace pcustomer
