#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace pcustomer {

// A file compiled into the binary (cmake/web_assets.cmake lists them): the OpenAPI
// document, Swagger UI and the /app/ page.
struct StaticAsset {
  std::string_view path;          // the URL path it is served at, e.g. "/app/assets/app.js"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view body;
};

// Every embedded asset; the storage is static, so the views never dangle.
std::span<const StaticAsset> EmbeddedAssets();

// A digest of every embedded file: the HTML pages add it to their asset URLs ("?v=...").
std::string_view EmbeddedAssetVersion();

// The asset served at `path`, or nullptr.
const StaticAsset* FindEmbeddedAsset(std::string_view path);

}  // namespace pcustomer
