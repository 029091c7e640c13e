// If-Match and If-None-Match values (api/entity_tags.hpp): any header value parses or is a
// 400, never a crash, and what the two headers read from one value agrees.
// fuzz-link: pc_api

#include "pcustomer/api/entity_tags.hpp"

#include <cstdint>
#include <string>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view value = pcustomer::fuzz::AsText(data, size);
  auto list = pcustomer::ParseEntityTags(value, "If-Match");
  auto expected = pcustomer::ExpectedVersionOf(value);
  // If-Match is refused only for bad syntax or for naming two versions.
  if (!list.ok()) FUZZ_CHECK(!expected.ok());
  if (expected.ok() && expected->has_value()) {
    const int64_t version = **expected;
    FUZZ_CHECK(version >= 0);
    FUZZ_CHECK(list.ok() && !list->any && !list->tags.empty());
    // A version If-Match names strongly is one If-None-Match matches weakly too.
    if (version > 0) FUZZ_CHECK(pcustomer::NoneMatchHolds(value, version));
  }
  if (list.ok()) {
    for (const auto& tag : list->tags) {
      if (tag.version)
        FUZZ_CHECK(*tag.version >= 1 && pcustomer::NoneMatchHolds(value, *tag.version));
    }
  } else {
    FUZZ_CHECK(!pcustomer::NoneMatchHolds(value, 1));
  }
  return 0;
}
