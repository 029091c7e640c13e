# Web assets compiled into the binary: the OpenAPI document, Swagger UI (from the npm package
# swagger-ui-dist, which scripts/setup.sh installs with `npm ci`) and the /app/ page. The
# binary then serves them with no files beside it and no download at run time.
#
# This file has two modes. Included from CMakeLists.txt (after the layers) it declares the
# library pc_web_assets, whose one source is generated at build time; run as a script
# (cmake -P, see the custom command below) it writes that source: one byte array per file
# and a table of {url path, content type, bytes}.

# ---- script mode: write the generated source -------------------------------------------------
if(CMAKE_SCRIPT_MODE_FILE)
  # MANIFEST lines: "<url path>|<kind>|<file>" (a kind, not a content type: a ';' in a line
  # would split it as a CMake list). The HTML pages reference assets as
  # "...?v=@ASSET_VERSION@"; the version is a digest of every file, so a browser that cached
  # an asset for long (they are served as immutable) fetches it again after any change.
  file(STRINGS "${MANIFEST}" entries)
  set(digests "")
  foreach(entry IN LISTS entries)
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 2 source)
    file(SHA256 "${source}" digest)
    string(APPEND digests "${digest}")
  endforeach()
  string(SHA256 version "${digests}")
  string(SUBSTRING "${version}" 0 12 version)

  set(content_type_html "text/html; charset=utf-8")
  set(content_type_js "text/javascript; charset=utf-8")
  set(content_type_css "text/css; charset=utf-8")
  set(content_type_json "application/json")
  set(content_type_text "text/plain; charset=utf-8")
  string(REPEAT "[0-9a-f]" 64 line_of_hex)  # 32 bytes per line of the generated source
  set(arrays "")
  set(table "")
  set(index 0)
  foreach(entry IN LISTS entries)
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 0 url_path)
    list(GET fields 1 kind)
    set(content_type "${content_type_${kind}}")
    list(GET fields 2 source)
    if(source MATCHES "\\.html$")
      file(READ "${source}" text)
      string(REPLACE "@ASSET_VERSION@" "${version}" text "${text}")
      string(HEX "${text}" hex)
    else()
      file(READ "${source}" hex HEX)
    endif()
    string(LENGTH "${hex}" hex_length)
    math(EXPR size "${hex_length} / 2")
    string(REGEX REPLACE "(${line_of_hex})" "\\1\n" hex "${hex}")
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
    # A trailing 0 keeps the array non-empty; `size` excludes it.
    string(APPEND arrays "constexpr unsigned char kAsset${index}[] = {\n${bytes}0};\n\n")
    string(APPEND table "    {\"${url_path}\", \"${content_type}\", Bytes(kAsset${index}, ${size})},\n")
    math(EXPR index "${index} + 1")
  endforeach()

  file(WRITE "${OUTPUT}.tmp" "\
// Web assets compiled into the binary. The sources are listed in cmake/web_assets.cmake;
// edit those, not this file.
#include \"pcustomer/api/static_assets.hpp\"

namespace pcustomer {
namespace {

std::string_view Bytes(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

${arrays}}  // namespace

std::span<const StaticAsset> EmbeddedAssets() {
  static const StaticAsset kAssets[] = {
${table}  };
  return kAssets;
}

std::string_view EmbeddedAssetVersion() { return \"${version}\"; }

}  // namespace pcustomer
")
  # Only a changed source is rewritten, so an unchanged one is not compiled again.
  file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
  file(REMOVE "${OUTPUT}.tmp")
  return()
endif()

# ---- configure mode: the library and the rule that generates its source ----------------------
set(PC_SWAGGER_UI_DIR "${PROJECT_SOURCE_DIR}/node_modules/swagger-ui-dist")
if(NOT EXISTS "${PC_SWAGGER_UI_DIR}/swagger-ui-bundle.js")
  message(FATAL_ERROR "swagger-ui-dist is missing from node_modules: run ./scripts/setup.sh "
                      "(or `npm ci`) before configuring; `make build` does it.")
endif()

set(PC_WEB_ASSETS
  "/openapi.json|json|${PROJECT_SOURCE_DIR}/docs/openapi.json"
  "/docs|html|${PROJECT_SOURCE_DIR}/web/docs/index.html"
  "/docs/assets/docs.js|js|${PROJECT_SOURCE_DIR}/web/docs/docs.js"
  "/docs/assets/docs.css|css|${PROJECT_SOURCE_DIR}/web/docs/docs.css"
  "/docs/assets/swagger-ui.css|css|${PC_SWAGGER_UI_DIR}/swagger-ui.css"
  "/docs/assets/swagger-ui-bundle.js|js|${PC_SWAGGER_UI_DIR}/swagger-ui-bundle.js"
  "/docs/assets/swagger-ui-bundle.js.LICENSE.txt|text|${PC_SWAGGER_UI_DIR}/swagger-ui-bundle.js.LICENSE.txt"
  "/docs/assets/swagger-ui-LICENSE.txt|text|${PC_SWAGGER_UI_DIR}/LICENSE"
  "/app/|html|${PROJECT_SOURCE_DIR}/web/app/index.html"
  "/app/assets/app.css|css|${PROJECT_SOURCE_DIR}/web/app/app.css"
  "/app/assets/i18n.js|js|${PROJECT_SOURCE_DIR}/web/app/i18n.js"
  "/app/assets/api.js|js|${PROJECT_SOURCE_DIR}/web/app/api.js"
  "/app/assets/list.js|js|${PROJECT_SOURCE_DIR}/web/app/list.js"
  "/app/assets/search.js|js|${PROJECT_SOURCE_DIR}/web/app/search.js"
  "/app/assets/dialogs.js|js|${PROJECT_SOURCE_DIR}/web/app/dialogs.js"
  "/app/assets/conflict.js|js|${PROJECT_SOURCE_DIR}/web/app/conflict.js"
  "/app/assets/history.js|js|${PROJECT_SOURCE_DIR}/web/app/history.js"
  "/app/assets/trash.js|js|${PROJECT_SOURCE_DIR}/web/app/trash.js"
  "/app/assets/app.js|js|${PROJECT_SOURCE_DIR}/web/app/app.js"
)
set(pc_web_manifest "${CMAKE_BINARY_DIR}/generated/web_assets.manifest")
set(pc_web_source "${CMAKE_BINARY_DIR}/generated/pcustomer/web_assets.cpp")
set(pc_web_inputs "")
set(pc_web_lines "")
foreach(entry IN LISTS PC_WEB_ASSETS)
  string(REPLACE "|" ";" fields "${entry}")
  list(GET fields 2 source)
  list(APPEND pc_web_inputs "${source}")
  string(APPEND pc_web_lines "${entry}\n")
endforeach()
file(CONFIGURE OUTPUT "${pc_web_manifest}" CONTENT "${pc_web_lines}")

add_custom_command(
  OUTPUT "${pc_web_source}"
  COMMAND "${CMAKE_COMMAND}" -DMANIFEST=${pc_web_manifest} -DOUTPUT=${pc_web_source}
          -P "${CMAKE_CURRENT_LIST_FILE}"
  DEPENDS ${pc_web_inputs} "${pc_web_manifest}" "${CMAKE_CURRENT_LIST_FILE}"
  COMMENT "Embedding web assets"
  VERBATIM)

add_library(pc_web_assets STATIC "${pc_web_source}")
target_include_directories(pc_web_assets PUBLIC "${PROJECT_SOURCE_DIR}/src")
# The api layer serves the assets (src/pcustomer/api/docs_routes.cpp).
target_link_libraries(pc_api PUBLIC pc_web_assets)
