#include "pcustomer/api/docs_routes.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <regex>
#include <set>
#include <string>

#include "pcustomer/api/auth_routes.hpp"
#include "pcustomer/api/customer_routes.hpp"
#include "pcustomer/api/static_assets.hpp"
#include "pcustomer/api/system_routes.hpp"
#include "pcustomer/api/trash_routes.hpp"

namespace pcustomer {
namespace {

// The routes are listed here, never called: every operation just reports itself unavailable.
class UnusedStore final : public CustomerStore {
 public:
  void Create(NewCustomer, Actor, Done<Customer> done) override { done(Unused()); }
  void CreateBatch(std::vector<NewCustomer>, BatchMode, Actor,
                   Done<std::vector<BatchItemResult>> done) override {
    done(Unused());
  }
  void Get(std::string, Done<Customer> done) override { done(Unused()); }
  void Update(std::string, CustomerPatch, ExpectedVersion, Actor, Done<Customer> done) override {
    done(Unused());
  }
  void Trash(std::string, ExpectedVersion, Actor, Done<Ok> done) override { done(Unused()); }
  void ListTrash(TrashPageRequest, Done<TrashPage> done) override { done(Unused()); }
  void Restore(std::string, ExpectedVersion, Actor, Done<Customer> done) override {
    done(Unused());
  }
  void Erase(std::string, Done<Ok> done) override { done(Unused()); }
  void EraseTrashedBefore(std::string, int, Done<int> done) override { done(Unused()); }
  void List(PageRequest, Done<CustomerPage> done) override { done(Unused()); }
  void Search(SearchRequest, Done<SearchPage> done) override { done(Unused()); }
  void History(HistoryRequest, Done<HistoryPage> done) override { done(Unused()); }
  void AddNote(std::string, std::string, Actor, Done<HistoryEntry> done) override {
    done(Unused());
  }
  void Counts(std::string, Done<LeadCounts> done) override { done(Unused()); }
  void FindByPhone(std::string, Done<std::optional<Customer>> done) override { done(Unused()); }
  void CheckReady(Done<Ok> done) override { done(Unused()); }

 private:
  static Error Unused() { return Error::Unavailable("not used in this test"); }
};

class UnusedIdentity final : public IdentityProvider {
 public:
  void SignIn(std::string, std::string, std::string, Done<AuthTokens> done) override {
    done(Unused());
  }
  void Refresh(std::string, std::optional<std::string>, Done<AuthTokens> done) override {
    done(Unused());
  }
  void SignOut(std::string, Done<Ok> done) override { done(Unused()); }
  void Authenticate(std::string, Done<Principal> done) override { done(Unused()); }
  std::optional<std::string> PublicJwks() const override { return std::nullopt; }
  void LookUpUser(std::string, Done<std::optional<DirectoryUser>> done) override { done(Unused()); }
  void TeamMembers(std::string, Done<std::vector<std::string>> done) override { done(Unused()); }

 private:
  static Error Unused() { return Error::Unavailable("not used in this test"); }
};

// "METHOD /pattern" of every route the server answers: the router as RunServe
// (app/serve_command.cpp) builds it. A route added there must be added here too.
std::set<std::string> ServedRoutes() {
  OpenAccess authorizer;
  UnusedStore store;
  UnusedIdentity identity;
  Router router(authorizer);
  RegisterSystemRoutes(router, store);
  RegisterAuthRoutes(router, identity);
  CustomerRoutes customers(store, CursorCodec(std::string(32, 'k')));
  customers.Register(router);
  TrashRoutes trash(store, CursorCodec(std::string(32, 'k')));
  trash.Register(router);
  RegisterDocsRoutes(router);
  // RunServe adds the metrics route itself: it reads the server, which needs the router.
  router.Add({"GET", "/metrics", Permission::kPublic, false, nullptr});

  std::set<std::string> routes;
  for (const Route& route : router.routes()) {
    routes.insert(route.method + " " + route.pattern);
    // The router answers HEAD on every GET route by itself.
    if (route.method == "GET") routes.insert("HEAD " + route.pattern);
  }
  return routes;
}

rapidjson::Document ParsedDocument() {
  rapidjson::Document document;
  std::string_view text = OpenApiDocument();
  document.Parse(text.data(), text.size());
  EXPECT_FALSE(document.HasParseError()) << "the embedded openapi.json is not JSON";
  return document;
}

std::set<std::string> DocumentedRoutes() {
  rapidjson::Document document = ParsedDocument();
  std::set<std::string> routes;
  if (!document.IsObject() || !document.HasMember("paths")) return routes;
  for (const auto& [path, item] : document["paths"].GetObject()) {
    for (const char* method :
         {"get", "put", "post", "delete", "options", "head", "patch", "trace"}) {
      if (!item.HasMember(method)) continue;
      std::string upper(method);
      for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
      routes.insert(upper + " " + path.GetString());
    }
  }
  return routes;
}

Response Get(const Router& router, std::string path) {
  Request request;
  request.method = "GET";
  request.path = std::move(path);
  Response answer;
  router.Dispatch(std::move(request),
                  [&answer](Response response) { answer = std::move(response); });
  return answer;
}

std::string HeaderOf(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

struct DocsOnly {
  OpenAccess authorizer;
  Router router{authorizer};
  DocsOnly() { RegisterDocsRoutes(router); }
};

TEST(DocsRoutes, TheDocumentListsExactlyTheRoutesTheServerServes) {
  EXPECT_EQ(DocumentedRoutes(), ServedRoutes());
}

TEST(DocsRoutes, TheDocumentIsOpenApi31ServedRelativeToItsOrigin) {
  rapidjson::Document document = ParsedDocument();
  ASSERT_TRUE(document.IsObject());
  EXPECT_EQ(std::string(document["openapi"].GetString()).substr(0, 4), "3.1.");
  ASSERT_TRUE(document["servers"].IsArray());
  ASSERT_EQ(document["servers"].Size(), 1u);
  EXPECT_STREQ(document["servers"][0]["url"].GetString(), "/");
  EXPECT_TRUE(document["components"]["securitySchemes"].HasMember("bearerAuth"));
}

TEST(DocsRoutes, PagesCarryTheirContentSecurityPolicyAndRefuseFraming) {
  DocsOnly docs;
  for (const char* path : {"/docs", "/api-docs", "/app/"}) {
    Response page = Get(docs.router, path);
    EXPECT_EQ(page.status, 200) << path;
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8") << path;
    EXPECT_EQ(HeaderOf(page, "Content-Security-Policy"),
              std::string(path) == "/app/" ? kAppContentSecurityPolicy : kDocsContentSecurityPolicy)
        << path;
    EXPECT_EQ(HeaderOf(page, "X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(HeaderOf(page, "Referrer-Policy"), "no-referrer") << path;
    EXPECT_EQ(HeaderOf(page, "Cache-Control"), "no-cache") << path;
  }
  // Swagger UI differs only by inline styles, which its components set.
  EXPECT_EQ(kAppContentSecurityPolicy.find("unsafe-inline"), std::string_view::npos);
  std::string docs_policy(kDocsContentSecurityPolicy);
  docs_policy.replace(docs_policy.find(" 'unsafe-inline'"),
                      std::string_view(" 'unsafe-inline'").size(), "");
  EXPECT_EQ(docs_policy, kAppContentSecurityPolicy);
}

TEST(DocsRoutes, EveryAssetAPageNamesIsEmbeddedAndVersioned) {
  DocsOnly docs;
  const std::regex asset_url(R"re((?:src|href)="(/(?:docs|app)/assets/[^"?]+)\?v=([0-9a-f]+)")re");
  for (const char* path : {"/docs", "/app/"}) {
    std::string html = Get(docs.router, path).body;
    int named = 0;
    for (std::sregex_iterator it(html.begin(), html.end(), asset_url), end; it != end;
         ++it, ++named) {
      std::string asset_path = (*it)[1];
      EXPECT_EQ((*it)[2], std::string(EmbeddedAssetVersion())) << asset_path;
      Response asset = Get(docs.router, asset_path);
      EXPECT_EQ(asset.status, 200) << asset_path;
      EXPECT_FALSE(asset.body.empty()) << asset_path;
      EXPECT_EQ(HeaderOf(asset, "Cache-Control"), "public, max-age=31536000, immutable")
          << asset_path;
    }
    EXPECT_GE(named, 3) << path;
  }
}

TEST(DocsRoutes, OpenApiDocumentIsServedAsJson) {
  DocsOnly docs;
  Response document = Get(docs.router, "/openapi.json");
  EXPECT_EQ(document.status, 200);
  EXPECT_EQ(document.content_type, "application/json");
  EXPECT_EQ(document.body, OpenApiDocument());
}

TEST(DocsRoutes, AppRedirectsToTheFolderAndUnknownAssetsAreNotFound) {
  DocsOnly docs;
  Response redirect = Get(docs.router, "/app");
  EXPECT_EQ(redirect.status, 301);
  EXPECT_EQ(HeaderOf(redirect, "Location"), "/app/");
  for (const char* path :
       {"/app/assets/missing.js", "/docs/assets/..%2Fapp%2F", "/app/assets/app.js%00"}) {
    EXPECT_EQ(Get(docs.router, path).status, 404) << path;
  }
}

}  // namespace
}  // namespace pcustomer
