#pragma once

// Test support for the customer routes: a harness signed in as a writer, create bodies and
// readers of the customer envelope. Header-only, included by tests only.

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/api/testing/route_harness.hpp"
#include "pcustomer/api/url.hpp"

namespace pcustomer::test {

// A valid mobile number of its own for each `n` (0 to 9,999,999), in the national form.
inline std::string Phone(int n) {
  char phone[16];
  std::snprintf(phone, sizeof phone, "091%07d", n);
  return phone;
}

// A create body (fields in the contract's order). Text goes in as given, so a case can send
// untrimmed or decomposed text.
inline std::string LeadBody(const std::string& phone,
                            const std::string& full_name = "Nguyễn Văn An",
                            const std::string& age = "30",
                            const std::string& product_code = "household_tool") {
  return R"({"fullName": ")" + full_name + R"(", "phone": ")" + phone + R"(", "age": )" + age +
         R"(, "productCode": ")" + product_code + R"("})";
}

// The path of the customer with `id`, encoded as a client must ("CUSTOMER%23...").
inline std::string CustomerPath(std::string_view id) {
  return "/pcustomers/" + PercentEncodePathSegment(id);
}

// A customer as the routes render it.
struct CustomerAnswer {
  std::string id;
  std::string type;
  std::string full_name;
  std::string phone;
  int age = 0;
  std::string product_code;
  std::string create_at;
  int64_t version = 0;
  std::string updated_at;
  std::string status;
  std::optional<std::string> owner_id;
  std::string source;
  std::optional<std::string> email;
  bool operator==(const CustomerAnswer&) const = default;
};

inline void PrintTo(const CustomerAnswer& c, std::ostream* os) {
  *os << "{" << c.id << ", " << c.type << ", " << c.full_name << ", " << c.phone << ", " << c.age
      << ", " << c.product_code << ", " << c.create_at << ", v" << c.version << ", " << c.updated_at
      << ", " << c.status << ", " << c.owner_id.value_or("null") << ", " << c.source << ", "
      << c.email.value_or("null") << "}";
}

// `value` read as a customer object: exactly the contract's thirteen members, in the order the
// encoder writes them.
inline CustomerAnswer ReadCustomer(const rapidjson::Value& value) {
  CustomerAnswer customer;
  static const std::vector<std::string> kMembers = {
      "id",      "type",   "fullName", "phone",    "age",     "productCode", "status",
      "ownerId", "source", "email",    "createAt", "version", "updatedAt"};
  std::vector<std::string> members;
  if (value.IsObject()) {
    for (const auto& member : value.GetObject()) members.emplace_back(member.name.GetString());
  }
  EXPECT_EQ(members, kMembers);
  if (members != kMembers) return customer;
  const bool typed =
      value["id"].IsString() && value["type"].IsString() && value["fullName"].IsString() &&
      value["phone"].IsString() && value["age"].IsInt() && value["productCode"].IsString() &&
      value["createAt"].IsString() && value["version"].IsInt64() && value["updatedAt"].IsString() &&
      value["status"].IsString() && (value["ownerId"].IsString() || value["ownerId"].IsNull()) &&
      value["source"].IsString() && (value["email"].IsString() || value["email"].IsNull());
  EXPECT_TRUE(typed) << "a member has the wrong JSON type";
  if (!typed) return customer;
  customer.id = value["id"].GetString();
  customer.type = value["type"].GetString();
  customer.full_name = value["fullName"].GetString();
  customer.phone = value["phone"].GetString();
  customer.age = value["age"].GetInt();
  customer.product_code = value["productCode"].GetString();
  customer.create_at = value["createAt"].GetString();
  customer.version = value["version"].GetInt64();
  customer.updated_at = value["updatedAt"].GetString();
  customer.status = value["status"].GetString();
  if (value["ownerId"].IsString()) customer.owner_id = value["ownerId"].GetString();
  customer.source = value["source"].GetString();
  if (value["email"].IsString()) customer.email = value["email"].GetString();
  return customer;
}

// The customer of a {"data": customer} answer.
inline CustomerAnswer CustomerOf(const Response& response) {
  rapidjson::Document document = Json(response);
  const bool enveloped =
      document.IsObject() && document.MemberCount() == 1 && document.HasMember("data");
  EXPECT_TRUE(enveloped) << response.status << " " << response.body;
  if (!enveloped) return {};
  return ReadCustomer(document["data"]);
}

// Signed in, before each test, as an admin of team sales: allowed every customer route.
class CustomerRoutesHarness : public RouteHarness {
 protected:
  void SetUp() override {
    RouteHarness::SetUp();
    if (HasFatalFailure()) return;
    writer_token_ = AccessTokenOf("sales.admin", "admin", "sales");
    ASSERT_FALSE(writer_token_.empty());
  }

  Response AsWriter(std::string method, std::string_view target, std::string body = {}) {
    return SendWithToken(writer_token_, std::move(method), target, std::move(body));
  }

  // Creates a customer with a valid body around `phone`; answers it as created.
  CustomerAnswer Create(const std::string& phone, const std::string& full_name = "Nguyễn Văn An") {
    Response created = AsWriter("POST", "/pcustomers", LeadBody(phone, full_name));
    EXPECT_EQ(created.status, 201) << created.body;
    return CustomerOf(created);
  }

  std::string writer_token_;
};

}  // namespace pcustomer::test
