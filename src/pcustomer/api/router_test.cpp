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
  for (const char* path : {"/", "/itemsx", "/items/", "/items/a/b", "", "/items/%zz", "/items/%00"}) {
    EXPECT_EQ(f.Send("GET", path).status, 404) << path;
  }
}

TEST(Router, AnswersMethodNotAllowedWithAllow) {
  Fixture f;
  Response response = f.Send("PUT", "/items/1");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(AllowOf(response), "GET, DELETE");
  EXPECT_EQ(AllowOf(f.Send("PATCH", "/items")), "GET, POST");
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
