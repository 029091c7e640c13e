// Who may call the /pcustomers routes, through Router::Dispatch with TokenAuthorizer over the
// local identity provider: no or bad tokens are 401, the role/team policy answers 403, and
// the router's checks run in their fixed order (route, method, content type, caller).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pcustomer/api/customer_routes.hpp"
#include "pcustomer/api/testing/customer_calls.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

using test::CustomerPath;
using test::ErrorAnswer;
using test::ErrorOf;
using test::HeaderOf;
using test::LeadBody;
using test::Phone;

struct RouteCall {
  std::string method;
  std::string target;
  std::string body;
  bool writes = false;
};

// Every customer route, on the customer `id`; the phones `free_phone` and the one after it
// are free for the two creates.
std::vector<RouteCall> EveryCustomerRoute(const std::string& id, int free_phone) {
  return {
      {"GET", "/pcustomers", "", false},
      {"HEAD", "/pcustomers", "", false},
      {"GET", CustomerPath(id), "", false},
      {"POST", "/pcustomers", LeadBody(Phone(free_phone)), true},
      {"POST", "/pcustomer", LeadBody(Phone(free_phone + 1)), true},
      {"PATCH", CustomerPath(id), R"({"age": 45})", true},
      {"DELETE", CustomerPath(id), "", true},
  };
}

ErrorAnswer Unauthorized(std::string message) {
  return {401, "UNAUTHORIZED", std::move(message), {}};
}
ErrorAnswer Forbidden(std::vector<Reason> reasons) {
  return {403, "FORBIDDEN", "You are not allowed to do this", std::move(reasons)};
}

class CustomerAccessTest : public test::CustomerRoutesHarness {
 protected:
  void SetUp() override {
    CustomerRoutesHarness::SetUp();
    if (HasFatalFailure()) return;
    customer_id_ = Create(Phone(1)).id;
    ASSERT_FALSE(customer_id_.empty());
  }

  Response Call(const RouteCall& route, const std::string& authorization) {
    Request request = test::Call(route.method, route.target, route.body);
    request.authorization = authorization;
    return Send(std::move(request));
  }

  // How many customers there are, read with the writer's token.
  size_t CountCustomers() {
    rapidjson::Document page = test::Json(AsWriter("GET", "/pcustomers?limit=100"));
    const rapidjson::Value* data = test::Find(page, {"data"});
    return data != nullptr && data->IsArray() ? data->Size() : 0;
  }

  std::string customer_id_;
};

TEST_F(CustomerAccessTest, EveryRouteWantsABearerToken) {
  for (const RouteCall& route : EveryCustomerRoute(customer_id_, 2)) {
    for (const std::string& authorization : std::vector<std::string>{
             "", "Bearer", "Bearer ", "Bearer    ",
             "Basic c2FsZXM6cGFzcw==", "Token " + writer_token_, writer_token_}) {
      Response refused = Call(route, authorization);
      EXPECT_EQ(ErrorOf(refused), Unauthorized("A bearer access token is required"))
          << route.method << " " << route.target << " with '" << authorization << "'";
      EXPECT_EQ(HeaderOf(refused, "WWW-Authenticate"), "Bearer");
    }
  }
  EXPECT_EQ(CountCustomers(), 1u);
}

TEST_F(CustomerAccessTest, TheSchemeIsCaseInsensitiveAndBlanksAroundTheTokenDoNotCount) {
  for (const std::string& authorization :
       {"bearer " + writer_token_, "BEARER " + writer_token_, "Bearer   " + writer_token_ + "  "}) {
    EXPECT_EQ(Call({"GET", CustomerPath(customer_id_), "", false}, authorization).status, 200)
        << authorization;
  }
}

TEST_F(CustomerAccessTest, TokensThatDoNotVerifyAre401) {
  // One signature character changed: inside the signature, where every bit of a base64url
  // character counts (the last one also carries padding bits, which the decoder checks).
  std::string tampered = writer_token_;
  char& signature_char = tampered[tampered.rfind('.') + 10];
  signature_char = signature_char == 'A' ? 'B' : 'A';
  // Claims rewritten under the original signature: another team.
  const size_t payload_start = writer_token_.find('.') + 1;
  const size_t payload_end = writer_token_.rfind('.');
  std::string claims =
      Base64UrlDecode(writer_token_.substr(payload_start, payload_end - payload_start))
          .value_or("");
  const size_t team = claims.find("\"sales\"");
  ASSERT_NE(team, std::string::npos) << claims;
  claims.replace(team, 7, "\"admin\"");
  const std::string forged = writer_token_.substr(0, payload_start) + Base64UrlEncode(claims) +
                             writer_token_.substr(payload_end);
  for (const std::string& token :
       {std::string("abc"), std::string("a.b.c"), tampered, forged,
        writer_token_.substr(0, writer_token_.rfind('.')), writer_token_ + "." + writer_token_}) {
    for (const RouteCall& route : EveryCustomerRoute(customer_id_, 2)) {
      Response refused = Call(route, "Bearer " + token);
      ErrorAnswer error = ErrorOf(refused);
      EXPECT_EQ(error.status, 401) << route.method << " " << route.target << " " << token;
      EXPECT_EQ(error.code, "UNAUTHORIZED");
      EXPECT_EQ(HeaderOf(refused, "WWW-Authenticate"), "Bearer");
    }
  }
  for (const std::string& token : {tampered, forged}) {
    EXPECT_EQ(ErrorOf(Call({"GET", "/pcustomers", "", false}, "Bearer " + token)),
              Unauthorized("Token signature is invalid"))
        << token;
  }
  EXPECT_EQ(CountCustomers(), 1u);
}

TEST_F(CustomerAccessTest, AnIdTokenIsNotAnAccessToken) {
  AddUser("id.token.user", "admin", "sales");
  std::string id_token = TokenOf(SignIn("id.token.user", test::kPassword), "idToken");
  ASSERT_FALSE(id_token.empty());
  EXPECT_EQ(ErrorOf(SendWithToken(id_token, "GET", "/pcustomers")),
            Unauthorized("Token is not an access token"));
}

TEST_F(CustomerAccessTest, AnAccessTokenWorksUntilItExpires) {
  // Issued at the clock's start for 3600 s; verifiers allow 60 s of clock skew.
  AdvanceClock(3600 + 59);
  EXPECT_EQ(AsWriter("GET", CustomerPath(customer_id_)).status, 200);
  AdvanceClock(1);
  for (const RouteCall& route : EveryCustomerRoute(customer_id_, 2)) {
    EXPECT_EQ(ErrorOf(Call(route, "Bearer " + writer_token_)), Unauthorized("Token has expired"))
        << route.method << " " << route.target;
  }
}

TEST_F(CustomerAccessTest, EmployeesAndAdminsOfEitherTeamReadOnlySalesWrites) {
  struct Caller {
    const char* role;
    const char* team;
    bool writes;
  };
  int n = 10;
  for (const Caller& caller :
       {Caller{"employee", "sales", true}, Caller{"admin", "sales", true},
        Caller{"employee", "marketing", false}, Caller{"admin", "marketing", false}}) {
    const std::string who = std::string(caller.role) + "." + caller.team;
    const std::string token = AccessTokenOf(who, caller.role, caller.team);
    ASSERT_FALSE(token.empty()) << who;
    // A customer of its own for each caller, so that the delete has something to remove.
    const std::string id = Create(Phone(++n)).id;
    for (const RouteCall& route : EveryCustomerRoute(id, 100 + 2 * n)) {
      Response answer = Call(route, "Bearer " + token);
      if (!route.writes || caller.writes) {
        EXPECT_GE(answer.status, 200)
            << who << ": " << route.method << " " << route.target << " " << answer.body;
        EXPECT_LT(answer.status, 300)
            << who << ": " << route.method << " " << route.target << " " << answer.body;
      } else {
        EXPECT_EQ(
            ErrorOf(answer),
            Forbidden({{"teamCheck", std::string("Role of user is not allowed: ") + caller.team}}))
            << who << ": " << route.method << " " << route.target;
      }
    }
  }
}

TEST_F(CustomerAccessTest, OtherRolesAndTeamsAreForbiddenEverywhere) {
  struct Caller {
    const char* role;
    const char* team;
    std::vector<Reason> reasons;
  };
  for (const Caller& caller :
       {Caller{"guest", "sales", {{"roleCheck", "Role of user is not allowed: guest"}}},
        Caller{"employee", "support", {{"teamCheck", "Role of user is not allowed: support"}}},
        Caller{"",
               "",
               {{"roleCheck", "Role of user is not allowed: none"},
                {"teamCheck", "Role of user is not allowed: none"}}}}) {
    const std::string who = std::string("u.") + caller.role + "." + caller.team;
    const std::string token = AccessTokenOf(who, caller.role, caller.team);
    ASSERT_FALSE(token.empty()) << who;
    // Reading needs a team too (marketing or sales), so reads and writes fail alike.
    for (const RouteCall& route : EveryCustomerRoute(customer_id_, 2)) {
      EXPECT_EQ(ErrorOf(Call(route, "Bearer " + token)), Forbidden(caller.reasons))
          << who << ": " << route.method << " " << route.target;
    }
  }
  EXPECT_EQ(CountCustomers(), 1u);
}

TEST_F(CustomerAccessTest, RouteMethodAndContentTypeAreCheckedBeforeTheCaller) {
  EXPECT_EQ(ErrorOf(Call({"GET", "/pcustomers/a/b", "", false}, "")),
            (ErrorAnswer{404, "NOT_FOUND", "Route not found", {}}));
  Response wrong_method = Call({"PUT", CustomerPath(customer_id_), "{}", false}, "");
  EXPECT_EQ(ErrorOf(wrong_method).status, 405);
  EXPECT_EQ(HeaderOf(wrong_method, "WWW-Authenticate"), "");
  Request not_json = test::Call("POST", "/pcustomers", LeadBody(Phone(2)));
  not_json.content_type = "text/plain";
  EXPECT_EQ(ErrorOf(Send(not_json)).status, 415);
  // The body is read only for a caller who may write.
  EXPECT_EQ(ErrorOf(Call({"POST", "/pcustomers", "{not json", true}, "")).status, 401);
  const std::string reader = AccessTokenOf("marketing.reader", "employee", "marketing");
  EXPECT_EQ(ErrorOf(Call({"POST", "/pcustomers", "{not json", true}, "Bearer " + reader)).status,
            403);
  EXPECT_EQ(
      ErrorOf(Call({"POST", "/pcustomers", "{not json", true}, "Bearer " + writer_token_)).status,
      400);
}

}  // namespace
}  // namespace pcustomer
