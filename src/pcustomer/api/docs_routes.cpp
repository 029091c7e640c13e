#include "pcustomer/api/docs_routes.hpp"

#include <cstdlib>
#include <string>

#include "pcustomer/api/error_response.hpp"
#include "pcustomer/api/static_assets.hpp"

namespace pcustomer {
namespace {

// Pages and the document change with every release and are small: always revalidated.
constexpr std::string_view kNoCache = "no-cache";
// Assets are named with the release's digest (?v=...) by the pages, so a cached copy never
// goes stale under its name.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";

const StaticAsset& RequireAsset(std::string_view path) {
  const StaticAsset* asset = FindEmbeddedAsset(path);
  // cmake/web_assets.cmake embeds every path named here; a missing one is a build bug that
  // the unit tests catch.
  if (asset == nullptr) std::abort();
  return *asset;
}

Response AssetResponse(const StaticAsset& asset, std::string_view cache_control,
                       std::string_view content_security_policy) {
  Response response;
  response.body = std::string(asset.body);
  response.content_type = std::string(asset.content_type);
  response.headers.emplace_back("Cache-Control", std::string(cache_control));
  response.headers.emplace_back("Content-Security-Policy", std::string(content_security_policy));
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  return response;
}

// GET <prefix>{file}: one of the embedded files under `prefix`, or 404.
Handler AssetsUnder(std::string prefix, std::string_view content_security_policy) {
  return [prefix = std::move(prefix), content_security_policy](
             const Request& request, const Principal&, const Reply& reply) {
    const StaticAsset* asset = FindEmbeddedAsset(prefix + request.path_params[0]);
    if (asset == nullptr) return reply(ErrorResponse(Error::NotFound("Asset not found")));
    reply(AssetResponse(*asset, kImmutable, content_security_policy));
  };
}

Handler Page(const StaticAsset& page, std::string_view content_security_policy) {
  return [&page, content_security_policy](const Request&, const Principal&, const Reply& reply) {
    reply(AssetResponse(page, kNoCache, content_security_policy));
  };
}

}  // namespace

std::string_view OpenApiDocument() { return RequireAsset("/openapi.json").body; }

void RegisterDocsRoutes(Router& router) {
  const StaticAsset& document = RequireAsset("/openapi.json");
  const StaticAsset& docs_page = RequireAsset("/docs");
  const StaticAsset& app_page = RequireAsset("/app/");

  router.Add({"GET", "/openapi.json", Permission::kPublic, false,
              Page(document, kAppContentSecurityPolicy)});
  router.Add(
      {"GET", "/docs", Permission::kPublic, false, Page(docs_page, kDocsContentSecurityPolicy)});
  router.Add({"GET", "/api-docs", Permission::kPublic, false,
              Page(docs_page, kDocsContentSecurityPolicy)});
  router.Add({"GET", "/docs/assets/{file}", Permission::kPublic, false,
              AssetsUnder("/docs/assets/", kDocsContentSecurityPolicy)});
  router.Add({"GET", "/app", Permission::kPublic, false,
              [](const Request&, const Principal&, const Reply& reply) {
                Response response;
                response.status = 301;
                response.content_type = "text/plain; charset=utf-8";
                response.body = "Moved to /app/\n";
                response.headers.emplace_back("Location", "/app/");
                reply(std::move(response));
              }});
  router.Add(
      {"GET", "/app/", Permission::kPublic, false, Page(app_page, kAppContentSecurityPolicy)});
  router.Add({"GET", "/app/assets/{file}", Permission::kPublic, false,
              AssetsUnder("/app/assets/", kAppContentSecurityPolicy)});
}

}  // namespace pcustomer
