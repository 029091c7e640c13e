#pragma once

#include <string_view>

#include "pcustomer/api/router.hpp"

namespace pcustomer {

// The routes that serve files compiled into the binary, all public:
//   GET /openapi.json                 the OpenAPI 3.1 document of every route
//   GET /docs, GET /api-docs          Swagger UI (the reference's two paths)
//   GET /docs/assets/{file}           its scripts and styles
//   GET /app                          redirects to /app/
//   GET /app/                         the lead manager page
//   GET /app/assets/{file}            its scripts and styles
// Pages carry a strict Content-Security-Policy (scripts and styles from this origin only;
// Swagger UI also needs inline styles) and refuse framing; assets may be cached for long
// because the pages name them with a version.
void RegisterDocsRoutes(Router& router);

// The embedded OpenAPI document (JSON text).
std::string_view OpenApiDocument();

// The Content-Security-Policy of /app/ and of Swagger UI.
inline constexpr std::string_view kAppContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
inline constexpr std::string_view kDocsContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

}  // namespace pcustomer
