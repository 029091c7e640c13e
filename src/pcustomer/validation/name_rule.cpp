#include "pcustomer/validation/name_rule.hpp"

#include <unicode/utf8.h>

#include <cstdint>

#include "pcustomer/validation/text_normalization.hpp"
#include "pcustomer/validation/vietnamese_alphabet.hpp"

namespace pcustomer {

bool IsVietnameseFullName(std::string_view nfc_text) {
  // A code point takes at most U8_MAX_LENGTH bytes, so longer text cannot fit; this also
  // bounds the work spent on huge input.
  if (nfc_text.size() > kFullNameMaxLength * U8_MAX_LENGTH) return false;
  const auto* bytes = reinterpret_cast<const uint8_t*>(nfc_text.data());
  const auto length = static_cast<int32_t>(nfc_text.size());
  int32_t offset = 0;
  size_t code_points = 0;
  size_t words = 0;
  bool at_word_start = true;
  while (offset < length) {
    UChar32 c = 0;
    U8_NEXT(bytes, offset, length, c);
    if (c < 0 || ++code_points > kFullNameMaxLength) return false;
    const auto letter = static_cast<char32_t>(c);
    if (at_word_start) {
      if (!IsVietnameseUpperLetter(letter)) return false;
      ++words;
      at_word_start = false;
    } else if (c == ' ') {
      at_word_start = true;
    } else if (!IsVietnameseLowerLetter(letter)) {
      return false;
    }
  }
  // A trailing space leaves a word unfinished: the text must end inside a word.
  return words >= 2 && !at_word_start;
}

std::optional<std::string> NormalizeVietnameseFullName(std::string_view text) {
  std::optional<std::string> normalized = NormalizeInputText(text);
  if (!normalized || !IsVietnameseFullName(*normalized)) return std::nullopt;
  return normalized;
}

}  // namespace pcustomer
