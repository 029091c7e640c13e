#include "pcustomer/validation/workflow_rules.hpp"

#include <algorithm>

#include "pcustomer/domain/lead_workflow.hpp"
#include "pcustomer/util/ascii.hpp"
#include "pcustomer/validation/text_normalization.hpp"

namespace pcustomer {
namespace {

constexpr bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The characters the WHATWG rule allows before the @ besides letters and digits.
constexpr std::string_view kLocalPartPunctuation = ".!#$%&'*+/=?^_`{|}~-";

bool IsLocalPart(std::string_view local) {
  return !local.empty() && std::all_of(local.begin(), local.end(), [](char c) {
    return IsAsciiAlnum(c) || kLocalPartPunctuation.find(c) != std::string_view::npos;
  });
}

// A label: letters, digits and hyphens, 1 to 63 of them, not starting or ending with '-'.
bool IsDomainLabel(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(),
                     [](char c) { return IsAsciiAlnum(c) || c == '-'; });
}

bool IsDomain(std::string_view domain) {
  while (true) {
    const size_t dot = domain.find('.');
    if (!IsDomainLabel(domain.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    domain.remove_prefix(dot + 1);
  }
}

size_t CountCodePoints(std::string_view utf8) {
  // Every code point has exactly one byte that is not a continuation byte (10xxxxxx).
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

std::optional<std::string> NormalizeNoteText(std::string_view text) {
  std::optional<std::string> note = NormalizeInputText(text);
  if (!note || note->empty() || CountCodePoints(*note) > kNoteMaxCharacters) return std::nullopt;
  return note;
}

std::optional<std::string> NormalizeLeadStatus(std::string_view text) {
  if (!IsOneOf(text, kLeadStatuses)) return std::nullopt;
  return std::string(text);
}

std::optional<std::string> NormalizeLeadSource(std::string_view text) {
  if (!IsOneOf(text, kLeadSources)) return std::nullopt;
  return std::string(text);
}

std::optional<std::string> NormalizeEmail(std::string_view text) {
  std::optional<std::string> email = NormalizeInputText(text);
  if (!email || email->empty() || email->size() > kEmailMaxLength) return std::nullopt;
  const size_t at = email->find('@');
  if (at == std::string::npos) return std::nullopt;
  const std::string_view whole = *email;
  if (!IsLocalPart(whole.substr(0, at)) || !IsDomain(whole.substr(at + 1))) return std::nullopt;
  for (char& c : *email) c = AsciiLower(c);
  return email;
}

std::optional<std::string> NormalizeOwnerId(std::string_view text) {
  std::optional<std::string> owner = NormalizeInputText(text);
  if (!owner || owner->empty() || owner->size() > kOwnerIdMaxLength) return std::nullopt;
  if (!std::all_of(owner->begin(), owner->end(), [](char c) { return c > ' ' && c < 0x7f; }))
    return std::nullopt;
  return owner;
}

}  // namespace pcustomer
