#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/result.hpp"

// The conditional request headers of CONTRACT.md section 8 (RFC 9110 section 13.1): a lead's
// ETag is its version in double quotes ("7"). An ETag this service never issues (another
// form, or a weak tag under If-Match, which compares strongly) is valid syntax that matches
// no version.
namespace pcustomer {

// A parsed If-Match or If-None-Match: "*", or a list of entity tags.
struct EntityTagList {
  bool any = false;  // "*"
  struct Tag {
    bool weak = false;
    std::optional<int64_t> version;  // none: not a tag of this service
  };
  std::vector<Tag> tags;
};

// Parses a header value; an empty value is an empty list (the header is absent). kBadRequest
// naming `header` when it is neither "*" nor a comma-separated list of entity tags.
Result<EntityTagList> ParseEntityTags(std::string_view value, std::string_view header);

// The version a write must find for If-Match `value` to hold: none when there is no
// condition (absent, or "*": the lead must merely exist, which the write checks anyway),
// version 0 (which no lead has) when no tag can match. kBadRequest for bad syntax, or for
// more than one version (a write is conditioned on one).
Result<ExpectedVersion> ExpectedVersionOf(std::string_view if_match);

// Whether If-None-Match `value` matches a lead at `version` (weak comparison): then a GET
// answers 304. A bad value matches nothing (RFC 9110 lets a server ignore it).
bool NoneMatchHolds(std::string_view if_none_match, int64_t version);

}  // namespace pcustomer
