#include "pcustomer/api/entity_tags.hpp"

#include <string>

#include "pcustomer/util/numbers.hpp"

namespace pcustomer {
namespace {

bool IsOptionalWhiteSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && IsOptionalWhiteSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsOptionalWhiteSpace(text.back())) text.remove_suffix(1);
  return text;
}

// etagc: "!" / %x23-7E / obs-text (RFC 9110 section 8.8.3).
bool IsTagCharacter(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte == 0x21 || (byte >= 0x23 && byte <= 0x7e) || byte >= 0x80;
}

// Reads one entity tag from the front of `text`: [W/] DQUOTE *etagc DQUOTE.
std::optional<EntityTagList::Tag> TakeTag(std::string_view& text) {
  EntityTagList::Tag tag;
  if (text.starts_with("W/")) {
    tag.weak = true;
    text.remove_prefix(2);
  }
  if (text.empty() || text.front() != '"') return std::nullopt;
  const size_t close = text.find('"', 1);
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view opaque = text.substr(1, close - 1);
  for (char c : opaque) {
    if (!IsTagCharacter(c)) return std::nullopt;
  }
  text.remove_prefix(close + 1);
  // Versions start at 1 and are written without leading zeros.
  if (!opaque.empty() && opaque.front() != '0') {
    tag.version = ParseIntegerInRange<int64_t>(opaque, 1, 999'999'999'999'999'999);
  }
  return tag;
}

Error BadList(std::string_view header) {
  return Error::BadRequest(std::string(header) + " must be \"*\" or a list of entity tags",
                           {{std::string(header), "not an entity tag list"}});
}

}  // namespace

Result<EntityTagList> ParseEntityTags(std::string_view value, std::string_view header) {
  EntityTagList list;
  value = Trimmed(value);
  if (value.empty()) return list;
  if (value == "*") {
    list.any = true;
    return list;
  }
  // #entity-tag: elements separated by commas and optional white space; empty elements are
  // allowed (RFC 9110 section 5.6.1), a comma inside a tag's quotes is part of the tag.
  while (!value.empty()) {
    if (value.front() == ',' || IsOptionalWhiteSpace(value.front())) {
      value.remove_prefix(1);
      continue;
    }
    std::optional<EntityTagList::Tag> tag = TakeTag(value);
    if (!tag) return BadList(header);
    list.tags.push_back(*tag);
    while (!value.empty() && IsOptionalWhiteSpace(value.front())) value.remove_prefix(1);
    if (!value.empty() && value.front() != ',') return BadList(header);
  }
  if (list.tags.empty()) return BadList(header);
  return list;
}

Result<ExpectedVersion> ExpectedVersionOf(std::string_view if_match) {
  Result<EntityTagList> list = ParseEntityTags(if_match, "If-Match");
  if (!list.ok()) return std::move(list).error();
  if (list->any || list->tags.empty()) return ExpectedVersion{};
  ExpectedVersion expected;
  for (const EntityTagList::Tag& tag : list->tags) {
    // Strong comparison: a weak tag matches nothing.
    if (tag.weak || !tag.version) continue;
    if (expected && *expected != *tag.version) {
      return Error::BadRequest("If-Match must name one version",
                               {{"If-Match", "more than one version"}});
    }
    expected = tag.version;
  }
  return expected ? expected : ExpectedVersion{0};
}

bool NoneMatchHolds(std::string_view if_none_match, int64_t version) {
  Result<EntityTagList> list = ParseEntityTags(if_none_match, "If-None-Match");
  if (!list.ok()) return false;
  if (list->any) return true;
  for (const EntityTagList::Tag& tag : list->tags) {
    if (tag.version == version) return true;
  }
  return false;
}

}  // namespace pcustomer
