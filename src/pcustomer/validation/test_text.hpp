#pragma once

// Helpers shared by this folder's tests; not part of the library.

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace pcustomer::testing {

inline std::string Utf8(char32_t c) {
  std::string out;
  icu::UnicodeString(static_cast<UChar32>(c)).toUTF8String(out);
  return out;
}

// The canonical decomposition (NFD) of UTF-8 `text`, as a client on macOS may send it.
inline std::string Nfd(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) std::abort();
  const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  std::string out;
  nfd->normalize(source, status).toUTF8String(out);
  if (U_FAILURE(status)) std::abort();
  return out;
}

inline std::string Repeat(std::string_view piece, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

}  // namespace pcustomer::testing
