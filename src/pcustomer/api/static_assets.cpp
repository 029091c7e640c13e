#include "pcustomer/api/static_assets.hpp"

namespace pcustomer {

const StaticAsset* FindEmbeddedAsset(std::string_view path) {
  // A dozen entries: a linear scan costs less than building an index.
  for (const StaticAsset& asset : EmbeddedAssets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

}  // namespace pcustomer
