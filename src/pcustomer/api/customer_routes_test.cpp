// The /pcustomers routes through Router::Dispatch on real stores: create, read, update and
// delete, their validation, conflicts and misses. The listing is in
// customer_routes_paging_test.cpp; who may call which route in customer_routes_access_test.cpp.

#include "pcustomer/api/customer_routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "pcustomer/api/testing/customer_calls.hpp"
#include "pcustomer/validation/customer_validation.hpp"

namespace pcustomer {
namespace {

using test::CustomerAnswer;
using test::CustomerOf;
using test::CustomerPath;
using test::ErrorAnswer;
using test::ErrorOf;
using test::HeaderOf;
using test::LeadBody;
using test::Phone;

const std::string kNameFormat(kFullNameFormatMessage);
const std::string kPhoneFormat(kPhoneFormatMessage);
const std::string kProductFormat(kProductCodeFormatMessage);
const std::string kAgeRange(kAgeRangeMessage);
const std::string kAgeType(kAgeTypeMessage);
const std::string kPhoneTaken = "Phone number is already used by another potential customer";

ErrorAnswer Invalid(std::vector<Reason> reasons) {
  return {400, "BAD_REQUEST", "Validation failed", std::move(reasons)};
}
ErrorAnswer NotFound() { return {404, "NOT_FOUND", "Potential customer not found", {}}; }
ErrorAnswer PhoneTaken(const std::string& holder) {
  return {409, "CONFLICT", kPhoneTaken, {{"phone", holder}}};
}

class CustomerRoutesTest : public test::CustomerRoutesHarness {
 protected:
  // How many customers the listing holds.
  int CountCustomers() {
    Response listed = AsWriter("GET", "/pcustomers?limit=100");
    EXPECT_EQ(listed.status, 200) << listed.body;
    rapidjson::Document page = test::Json(listed);
    const rapidjson::Value* data = test::Find(page, {"data"});
    return data != nullptr && data->IsArray() ? static_cast<int>(data->Size()) : -1;
  }
};

TEST_F(CustomerRoutesTest, CreateAnswers201WithTheStoredCustomerAndItsLocation) {
  Response created = AsWriter("POST", "/pcustomers", LeadBody("0912345678"));
  ASSERT_EQ(created.status, 201) << created.body;
  CustomerAnswer customer = CustomerOf(created);
  EXPECT_TRUE(std::regex_match(customer.id, std::regex("CUSTOMER#[0-9]+"))) << customer.id;
  EXPECT_EQ(customer.type, "potential_customer");
  EXPECT_EQ(customer.full_name, "Nguyễn Văn An");
  EXPECT_EQ(customer.phone, "0912345678");
  EXPECT_EQ(customer.age, 30);
  EXPECT_EQ(customer.product_code, "household_tool");
  EXPECT_TRUE(
      std::regex_match(customer.create_at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << customer.create_at;
  EXPECT_EQ(HeaderOf(created, "Location"), CustomerPath(customer.id));
  EXPECT_EQ(HeaderOf(created, "Location").find('#'), std::string::npos)
      << "the id's # must be encoded";

  Response read = AsWriter("GET", HeaderOf(created, "Location"));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(CustomerOf(read), customer);
}

TEST_F(CustomerRoutesTest, TheReferencesSingularPathCreatesToo) {
  Response created = AsWriter("POST", "/pcustomer", LeadBody(Phone(1)));
  ASSERT_EQ(created.status, 201) << created.body;
  CustomerAnswer customer = CustomerOf(created);
  EXPECT_EQ(customer.phone, Phone(1));
  EXPECT_EQ(CustomerOf(AsWriter("GET", CustomerPath(customer.id))), customer);
}

TEST_F(CustomerRoutesTest, IdsIncreaseWithCreation) {
  std::string previous;
  for (int n = 0; n < 5; ++n) {
    std::string id = Create(Phone(n)).id;
    EXPECT_GT(id, previous);
    previous = id;
  }
}

TEST_F(CustomerRoutesTest, CreateStoresNormalisedInput) {
  // Decomposed letters (NFD), surrounding blanks, and the phone as +84 with separators.
  const std::string nfd_name = "  Nguye\xCC\x82\xCC\x83n Va\xCC\x86n An ";
  Response created =
      AsWriter("POST", "/pcustomers", LeadBody("+84 91-234.5678", nfd_name, "30.0", " car "));
  ASSERT_EQ(created.status, 201) << created.body;
  CustomerAnswer customer = CustomerOf(created);
  EXPECT_EQ(customer.full_name, "Nguyễn Văn An");
  EXPECT_EQ(customer.phone, "0912345678");
  EXPECT_EQ(customer.age, 30);
  EXPECT_EQ(customer.product_code, "car");
  EXPECT_EQ(CustomerOf(AsWriter("GET", CustomerPath(customer.id))), customer);
}

TEST_F(CustomerRoutesTest, CreateReportsEveryBadFieldAtOnceAndStoresNothing) {
  Response refused =
      AsWriter("POST", "/pcustomers",
               R"({"fullName": "An 2", "phone": "123", "age": 17, "productCode": "Bad Code",
                                  "id": "CUSTOMER#1", "note": "x"})");
  EXPECT_EQ(ErrorOf(refused), Invalid({{"fullName", kNameFormat},
                                       {"phone", kPhoneFormat},
                                       {"age", kAgeRange},
                                       {"productCode", kProductFormat},
                                       {"id", "\"id\" is not allowed"},
                                       {"note", "\"note\" is not allowed"}}));
  EXPECT_EQ(CountCustomers(), 0);
}

TEST_F(CustomerRoutesTest, CreateNamesEveryMissingField) {
  EXPECT_EQ(ErrorOf(AsWriter("POST", "/pcustomers", "{}")),
            Invalid({{"fullName", "fullName is required"},
                     {"phone", "phone is required"},
                     {"age", "age is required"},
                     {"productCode", "productCode is required"}}));
  EXPECT_EQ(ErrorOf(AsWriter("POST", "/pcustomers", R"({"fullName": "Nguyễn Văn An", "age": 30})")),
            Invalid({{"phone", "phone is required"}, {"productCode", "productCode is required"}}));
}

TEST_F(CustomerRoutesTest, AgeMustBeAJsonIntegerInRange) {
  for (const char* age : {"\"30\"", "30.5", "true", "null", "[30]"}) {
    EXPECT_EQ(ErrorOf(AsWriter("POST", "/pcustomers", LeadBody(Phone(1), "Nguyễn Văn An", age))),
              Invalid({{"age", kAgeType}}))
        << age;
  }
  for (const char* age : {"17", "91", "-30", "0"}) {
    EXPECT_EQ(ErrorOf(AsWriter("POST", "/pcustomers", LeadBody(Phone(1), "Nguyễn Văn An", age))),
              Invalid({{"age", kAgeRange}}))
        << age;
  }
  for (const char* age : {"18", "90"}) {
    EXPECT_EQ(AsWriter("POST", "/pcustomers", LeadBody(Phone(std::stoi(age)), "Nguyễn Văn An", age))
                  .status,
              201)
        << age;
  }
}

TEST_F(CustomerRoutesTest, BodiesThatAreNotAJsonObjectAre400) {
  EXPECT_EQ(ErrorOf(AsWriter("POST", "/pcustomers", "[]")),
            (ErrorAnswer{400, "BAD_REQUEST", "Request body must be a JSON object", {}}));
  EXPECT_EQ(ErrorOf(AsWriter("POST", "/pcustomers", "")),
            (ErrorAnswer{400, "BAD_REQUEST", "Request body is required", {}}));
  ErrorAnswer malformed = ErrorOf(AsWriter("POST", "/pcustomers", R"({"fullName": )"));
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.code, "BAD_REQUEST");
  EXPECT_THAT(malformed.message, ::testing::StartsWith("Malformed JSON: "));
  ErrorAnswer two_values = ErrorOf(AsWriter("POST", "/pcustomers", LeadBody(Phone(1)) + " {}"));
  EXPECT_EQ(two_values.status, 400);
  EXPECT_THAT(two_values.message, ::testing::HasSubstr("more than one value"));
  EXPECT_EQ(CountCustomers(), 0);
}

TEST_F(CustomerRoutesTest, ABodyThatIsNotJsonIs415BeforeItIsRead) {
  for (const char* type :
       {"", "text/plain", "application/x-www-form-urlencoded", "application/jsonx"}) {
    Request request =
        test::WithToken(test::Call("POST", "/pcustomers", LeadBody(Phone(1))), writer_token_);
    request.content_type = type;
    EXPECT_EQ(
        ErrorOf(Send(request)),
        (ErrorAnswer{415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json", {}}))
        << "'" << type << "'";
  }
  Request with_charset =
      test::WithToken(test::Call("POST", "/pcustomers", LeadBody(Phone(2))), writer_token_);
  with_charset.content_type = "application/json; charset=utf-8";
  EXPECT_EQ(Send(with_charset).status, 201);
  EXPECT_EQ(CountCustomers(), 1);
}

TEST_F(CustomerRoutesTest, ATakenPhoneIs409NamingItsHolderInAnyWriting) {
  CustomerAnswer holder = Create("0912345678");
  for (const char* phone : {"0912345678", "84912345678", "+84 912 345 678", "0912.345.678"}) {
    EXPECT_EQ(ErrorOf(AsWriter("POST", "/pcustomers", LeadBody(phone, "Trần Thị Bích"))),
              PhoneTaken(holder.id))
        << phone;
  }
  EXPECT_EQ(ErrorOf(AsWriter("POST", "/pcustomer", LeadBody("0912345678"))), PhoneTaken(holder.id));
  EXPECT_EQ(CountCustomers(), 1);
}

TEST_F(CustomerRoutesTest, GetAnswersTheCustomerOr404) {
  CustomerAnswer customer = Create(Phone(1));
  EXPECT_EQ(CustomerOf(AsWriter("GET", CustomerPath(customer.id))), customer);
  // Percent-encoded letters decode like any other.
  std::string spelled = "/pcustomers/%43USTOMER%23" + customer.id.substr(9);
  EXPECT_EQ(CustomerOf(AsWriter("GET", spelled)), customer);
  for (const std::string& path :
       {CustomerPath("CUSTOMER#1"), CustomerPath(customer.id + "0"),
        std::string("/pcustomers/not-an-id"), std::string("/pcustomers/%20")}) {
    EXPECT_EQ(ErrorOf(AsWriter("GET", path)), NotFound()) << path;
  }
}

TEST_F(CustomerRoutesTest, PathsOutsideTheRoutesAre404RouteNotFound) {
  const ErrorAnswer no_route{404, "NOT_FOUND", "Route not found", {}};
  for (const char* path : {"/pcustomers/", "/pcustomers/CUSTOMER%231/x", "/pcustomers/%zz",
                           "/pcustomers/%00", "/pcustomerss", "/PCUSTOMERS"}) {
    EXPECT_EQ(ErrorOf(AsWriter("GET", path)), no_route) << path;
  }
}

TEST_F(CustomerRoutesTest, HeadRunsTheGetRoute) {
  CustomerAnswer customer = Create(Phone(1));
  Response head = AsWriter("HEAD", CustomerPath(customer.id));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(CustomerOf(head), customer) << "the server, not the router, drops the body";
  EXPECT_EQ(ErrorOf(AsWriter("HEAD", CustomerPath("CUSTOMER#1"))), NotFound());
}

TEST_F(CustomerRoutesTest, WrongMethodsAre405WithTheAllowedOnes) {
  struct Case {
    const char* method;
    const char* path;
    const char* allow;
  };
  for (const Case& c : {Case{"PUT", "/pcustomers", "POST, GET, HEAD"},
                        Case{"DELETE", "/pcustomers", "POST, GET, HEAD"},
                        Case{"PUT", "/pcustomers/CUSTOMER%231", "GET, PATCH, DELETE, HEAD"},
                        Case{"POST", "/pcustomers/CUSTOMER%231", "GET, PATCH, DELETE, HEAD"},
                        Case{"GET", "/pcustomer", "POST"}, Case{"HEAD", "/pcustomer", "POST"}}) {
    Response refused = AsWriter(c.method, c.path);
    EXPECT_EQ(ErrorOf(refused),
              (ErrorAnswer{405,
                           "METHOD_NOT_ALLOWED",
                           std::string("Method ") + c.method + " is not allowed here",
                           {}}))
        << c.method << " " << c.path;
    EXPECT_EQ(HeaderOf(refused, "Allow"), c.allow) << c.method << " " << c.path;
  }
}

TEST_F(CustomerRoutesTest, PatchChangesOnlyTheFieldsSentAndKeepsIdTypeAndCreateAt) {
  CustomerAnswer before = Create(Phone(1));
  Response patched =
      AsWriter("PATCH", CustomerPath(before.id), R"({"age": 31, "productCode": "credit_card"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  CustomerAnswer expected = before;
  expected.age = 31;
  expected.product_code = "credit_card";
  // The next version, changed now: not before its creation.
  EXPECT_EQ(before.version, 1);
  EXPECT_EQ(before.updated_at, before.create_at);
  expected.version = 2;
  expected.updated_at = CustomerOf(patched).updated_at;
  EXPECT_GE(expected.updated_at, before.create_at);
  EXPECT_EQ(CustomerOf(patched), expected);
  EXPECT_EQ(CustomerOf(AsWriter("GET", CustomerPath(before.id))), expected);

  // Normalised as on create.
  Response renamed = AsWriter("PATCH", CustomerPath(before.id),
                              R"({"fullName": " Trần Thị Bích ", "phone": "+84 91 999 0001"})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  expected.full_name = "Trần Thị Bích";
  expected.phone = "0919990001";
  expected.version = 3;
  expected.updated_at = CustomerOf(renamed).updated_at;
  EXPECT_EQ(CustomerOf(renamed), expected);
}

TEST_F(CustomerRoutesTest, PatchRefusesBadFieldsAndServerSetKeysAndChangesNothing) {
  CustomerAnswer before = Create(Phone(1));
  EXPECT_EQ(ErrorOf(AsWriter("PATCH", CustomerPath(before.id),
                             R"({"age": 12, "phone": "12", "fullName": 7})")),
            Invalid({{"fullName", "fullName must be a string"},
                     {"phone", kPhoneFormat},
                     {"age", kAgeRange}}));
  EXPECT_EQ(ErrorOf(AsWriter(
                "PATCH", CustomerPath(before.id),
                R"({"id": "CUSTOMER#2", "type": "x", "createAt": "2020-01-01T00:00:00.000Z"})")),
            Invalid({{"id", "\"id\" is not allowed"},
                     {"type", "\"type\" is not allowed"},
                     {"createAt", "\"createAt\" is not allowed"}}));
  EXPECT_EQ(ErrorOf(AsWriter("PATCH", CustomerPath(before.id), R"({"age": 40, "age": 41})")),
            Invalid({{"age", "\"age\" is duplicated"}}));
  EXPECT_EQ(
      ErrorOf(AsWriter("PATCH", CustomerPath(before.id), "{}")),
      (ErrorAnswer{
          400, "BAD_REQUEST", "Validation failed", {{"body", std::string(kEmptyPatchMessage)}}}));
  EXPECT_EQ(CustomerOf(AsWriter("GET", CustomerPath(before.id))), before);
}

TEST_F(CustomerRoutesTest, PatchOfAMissingIdIs404AndCreatesNothing) {
  EXPECT_EQ(ErrorOf(AsWriter("PATCH", CustomerPath("CUSTOMER#1"), R"({"age": 31})")), NotFound());
  EXPECT_EQ(ErrorOf(AsWriter("PATCH", CustomerPath("CUSTOMER#1"), LeadBody(Phone(1)))), NotFound());
  EXPECT_EQ(CountCustomers(), 0);
}

TEST_F(CustomerRoutesTest, PatchToAnotherCustomersPhoneIs409ButItsOwnPhoneIsFine) {
  CustomerAnswer first = Create(Phone(1));
  CustomerAnswer second = Create(Phone(2));
  EXPECT_EQ(
      ErrorOf(AsWriter("PATCH", CustomerPath(second.id), R"({"phone": ")" + Phone(1) + R"("})")),
      PhoneTaken(first.id));
  EXPECT_EQ(CustomerOf(AsWriter("GET", CustomerPath(second.id))), second);
  Response same =
      AsWriter("PATCH", CustomerPath(second.id), R"({"phone": ")" + Phone(2) + R"(", "age": 44})");
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(CustomerOf(same).age, 44);
}

TEST_F(CustomerRoutesTest, PatchIsAJsonRoute) {
  CustomerAnswer before = Create(Phone(1));
  Request request = test::WithToken(test::Call("PATCH", CustomerPath(before.id), R"({"age": 31})"),
                                    writer_token_);
  request.content_type = "text/plain";
  EXPECT_EQ(Send(request).status, 415);
  EXPECT_EQ(CustomerOf(AsWriter("GET", CustomerPath(before.id))), before);
}

TEST_F(CustomerRoutesTest, DeleteAnswersTrueThenTheCustomerIsGone) {
  CustomerAnswer customer = Create(Phone(1));
  CustomerAnswer other = Create(Phone(2));
  Response deleted = AsWriter("DELETE", CustomerPath(customer.id));
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body, R"({"data":true})");
  EXPECT_EQ(ErrorOf(AsWriter("GET", CustomerPath(customer.id))), NotFound());
  EXPECT_EQ(ErrorOf(AsWriter("PATCH", CustomerPath(customer.id), R"({"age": 31})")), NotFound());
  EXPECT_EQ(ErrorOf(AsWriter("DELETE", CustomerPath(customer.id))), NotFound());
  EXPECT_EQ(CustomerOf(AsWriter("GET", CustomerPath(other.id))), other);
  EXPECT_EQ(CountCustomers(), 1);
}

TEST_F(CustomerRoutesTest, ADeletedCustomersPhoneCanBeUsedAgain) {
  CustomerAnswer customer = Create(Phone(1));
  ASSERT_EQ(AsWriter("DELETE", CustomerPath(customer.id)).status, 200);
  CustomerAnswer again = Create(Phone(1));
  EXPECT_NE(again.id, customer.id);
  EXPECT_EQ(again.phone, Phone(1));
}

}  // namespace
}  // namespace pcustomer
