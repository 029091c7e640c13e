#include "pcustomer/validation/search_text.hpp"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <memory>
#include <stdexcept>

namespace pcustomer {
namespace {

icu::UnicodeString FromUtf8(std::string_view text) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

const icu::Normalizer2& Nfd() {
  static const icu::Normalizer2* const nfd = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* instance = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU has no NFD data");
    return instance;
  }();
  return *nfd;
}

// The folded code points of `text` (see FoldForSearch), to UTF-16.
icu::UnicodeString Folded(std::string_view text) {
  icu::UnicodeString source = FromUtf8(text);
  source.foldCase();
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString decomposed = Nfd().normalize(source, status);
  if (U_FAILURE(status)) return source;
  icu::UnicodeString folded;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    if (c == 0x0111) c = u'd';  // đ (Đ is đ after case folding)
    folded.append(c);
  }
  return folded;
}

// ICU's collators are not thread-safe to share for sort keys; each thread clones one made
// once for `vi` (the clone shares the rules and costs little).
const icu::Collator& ThreadCollator() {
  static const std::unique_ptr<icu::Collator> prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> collator(
        icu::Collator::createInstance(icu::Locale("vi"), status));
    if (U_FAILURE(status) || !collator) throw std::runtime_error("ICU has no vi collation");
    // Canonically equivalent input (NFD from some clients) must sort as its NFC form.
    collator->setAttribute(UCOL_NORMALIZATION_MODE, UCOL_ON, status);
    return collator;
  }();
  thread_local const std::unique_ptr<icu::Collator> collator(prototype->clone());
  return *collator;
}

}  // namespace

std::string FoldForSearch(std::string_view text) {
  std::string out;
  Folded(text).toUTF8String(out);
  return out;
}

std::vector<std::string> SearchWords(std::string_view text) {
  const icu::UnicodeString folded = Folded(text);
  std::vector<std::string> words;
  icu::UnicodeString word;
  auto flush = [&] {
    if (word.isEmpty()) return;
    words.emplace_back();
    word.toUTF8String(words.back());
    word.remove();
  };
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (u_isalnum(c)) {
      word.append(c);
    } else {
      flush();
    }
  }
  flush();
  return words;
}

std::string VietnameseSortKey(std::string_view text) {
  const icu::UnicodeString source = FromUtf8(text);
  const icu::Collator& collator = ThreadCollator();
  uint8_t stack[256];
  int32_t size = collator.getSortKey(source, stack, sizeof stack);
  std::string bytes;
  if (size <= static_cast<int32_t>(sizeof stack)) {
    bytes.assign(reinterpret_cast<const char*>(stack), static_cast<size_t>(size));
  } else {
    bytes.resize(static_cast<size_t>(size));
    collator.getSortKey(source, reinterpret_cast<uint8_t*>(bytes.data()), size);
  }
  // The key ends with a 0 byte that carries no order.
  if (!bytes.empty() && bytes.back() == '\0') bytes.pop_back();
  return bytes;
}

}  // namespace pcustomer
