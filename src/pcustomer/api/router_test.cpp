#include "pcustomer/api/router.hpp"

#include <gtest/gtest.h>

namespace pcustomer {
namespace {

// Refuses everything that needs a permission, to see the router ask.
class DenyAll final : public Authorizer {
 public:
  void Authorize(const Request&, Permission permission, Done<Principal> done) override {
    asked.push_back(permission);
    done(Error::Unauthorized("no token"));
  }
  std::vector<Permission> asked;
};

struct Fixture {
  DenyAll authorizer;
  Router router{authorizer};
  std::vector<std::string> params;

  Fixture() {
    auto echo = [this](Request request, Principal, Reply reply) {
      params = request.path_params;
      reply(Response{200, "{}", "application/json", {}});
    };
    router.Add({"GET", "/items", Permission::kPublic, false, echo});
    router.Add({"POST", "/items", Permission::kPublic, true, echo});
    router.Add({"GET", "/items/{id}", Permission::kPublic, false, echo});
    router.Add({"DELETE", "/items/{id}", Permission::kWriteCustomers, false, echo});
  }

  Response Send(std::string method, std::string path, std::string content_type = "") {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.content_type = std::move(content_type);
    Response answer;
    bool answered = false;
    router.Dispatch(std::move(request), [&](Response response) {
      answer = std::move(response);
      answered = true;
    });
    EXPECT_TRUE(answered);
    return answer;
  }
};

std::string AllowOf(const Response& response) {
  for (const auto& [name, value] : response.headers) {
    if (name == "Allow") return value;
  }
  return "";
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Fixture f;
  EXPECT_EQ(f.Send("GET", "/items").status, 200);
  EXPECT_EQ(f.Send("GET", "/items/CUSTOMER%231").status, 200);
  EXPECT_EQ(f.params, std::vector<std::string>{"CUSTOMER#1"});
}

TEST(Router, AnswersNotFoundForUnknownPaths) {
  Fixture f;
  for (const char* path :
       {"/", "/itemsx", "/items/", "/items/a/b", "", "/items/%zz", "/items/%00"}) {
    EXPECT_EQ(f.Send("GET", path).status, 404) << path;
  }
}

TEST(Router, AnswersMethodNotAllowedWithAllow) {
  Fixture f;
  Response response = f.Send("PUT", "/items/1");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(AllowOf(response), "GET, DELETE, HEAD");
  EXPECT_EQ(AllowOf(f.Send("PATCH", "/items")), "GET, POST, HEAD");
}

TEST(Router, APathNamedLiterallyBelongsToItsOwnRoutesOnly) {
  Fixture f;
  f.router.Add(
      {"POST", "/items/batch", Permission::kPublic, false, [](Request, Principal, Reply reply) {
         reply(Response{201, "{}", "", {}});
       }});
  EXPECT_EQ(f.Send("POST", "/items/batch").status, 201);
  // Not an item called "batch": the route naming it answers only POST.
  Response get = f.Send("GET", "/items/batch");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(AllowOf(get), "POST");
  EXPECT_EQ(f.Send("GET", "/items/batch2").status, 200);
  EXPECT_EQ(f.params, std::vector<std::string>{"batch2"});
}

TEST(Router, HeadRunsTheGetRouteAsGet) {
  Fixture f;
  std::string seen_method;
  f.router.Add(
      {"GET", "/method", Permission::kPublic, false, [&](Request request, Principal, Reply reply) {
         seen_method = request.method;
         reply(Response{200, "{}", "application/json", {}});
       }});
  f.router.Add(
      {"POST", "/post-only", Permission::kPublic, false, [](Request, Principal, Reply reply) {
         reply(Response{200, "{}", "application/json", {}});
       }});
  EXPECT_EQ(f.Send("HEAD", "/method").status, 200);
  EXPECT_EQ(seen_method, "GET");
  EXPECT_EQ(f.Send("HEAD", "/items/CUSTOMER%231").status, 200);
  EXPECT_EQ(f.params, std::vector<std::string>{"CUSTOMER#1"});
  Response refused = f.Send("HEAD", "/post-only");
  EXPECT_EQ(refused.status, 405);
  EXPECT_EQ(AllowOf(refused), "POST");
  EXPECT_EQ(f.Send("HEAD", "/nowhere").status, 404);
}

TEST(Router, ChecksTheContentTypeOfJsonRoutes) {
  Fixture f;
  EXPECT_EQ(f.Send("POST", "/items", "text/plain").status, 415);
  EXPECT_EQ(f.Send("POST", "/items", "").status, 415);
  EXPECT_EQ(f.Send("POST", "/items", "application/json").status, 200);
  EXPECT_EQ(f.Send("POST", "/items", "Application/JSON; charset=utf-8").status, 200);
}

TEST(Router, AsksTheAuthorizerForProtectedRoutesOnly) {
  Fixture f;
  EXPECT_EQ(f.Send("GET", "/items/1").status, 200);
  EXPECT_TRUE(f.authorizer.asked.empty());
  Response denied = f.Send("DELETE", "/items/1");
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(f.authorizer.asked, std::vector<Permission>{Permission::kWriteCustomers});
}

TEST(IsJsonContentType, AcceptsOnlyApplicationJson) {
  EXPECT_TRUE(IsJsonContentType("application/json"));
  EXPECT_TRUE(IsJsonContentType(" application/json ;charset=UTF-8"));
  EXPECT_FALSE(IsJsonContentType("application/jsonx"));
  EXPECT_FALSE(IsJsonContentType("text/json"));
}

}  // namespace
}  // namespace pcustomer
