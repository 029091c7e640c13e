#include "pcustomer/validation/text_normalization.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstdlib>

namespace pcustomer {
namespace {

// ICU owns the instance and documents it as immutable, so one pointer serves every thread.
const icu::Normalizer2& NfcNormalizer() {
  static const icu::Normalizer2* const normalizer = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* instance = icu::Normalizer2::getNFCInstance(status);
    // Only fails when ICU's data is missing, which no request can recover from.
    if (U_FAILURE(status) || instance == nullptr) std::abort();
    return instance;
  }();
  return *normalizer;
}

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool IsWellFormedUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  int32_t offset = 0;
  while (offset < length) {
    UChar32 c = 0;
    U8_NEXT(bytes, offset, length, c);
    if (c < 0) return false;
  }
  return true;
}

// The byte range of `text` without leading and trailing white space; `text` is well-formed.
std::string_view TrimWhiteSpace(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  int32_t begin = -1;
  int32_t end = 0;
  int32_t offset = 0;
  while (offset < length) {
    const int32_t start = offset;
    UChar32 c = 0;
    U8_NEXT(bytes, offset, length, c);
    if (u_isUWhiteSpace(c)) continue;
    if (begin < 0) begin = start;
    end = offset;
  }
  if (begin < 0) return {};
  return text.substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin));
}

}  // namespace

std::optional<std::string> NormalizeInputText(std::string_view text) {
  // ASCII is already NFC, and it is what most requests carry: skip ICU for it.
  if (IsAscii(text)) return std::string(TrimWhiteSpace(text));
  // ICU would pass ill-formed bytes through; refuse them here so rules see only code points.
  if (text.size() > static_cast<size_t>(INT32_MAX) || !IsWellFormedUtf8(text)) {
    return std::nullopt;
  }
  // No white space changes under NFC nor composes with a neighbour, so trimming first gives
  // the same result as normalising first and normalises fewer bytes.
  const std::string_view trimmed = TrimWhiteSpace(text);
  std::string normalized;
  normalized.reserve(trimmed.size());
  icu::StringByteSink<std::string> sink(&normalized);
  UErrorCode status = U_ZERO_ERROR;
  NfcNormalizer().normalizeUTF8(
      0, icu::StringPiece(trimmed.data(), static_cast<int32_t>(trimmed.size())), sink, nullptr,
      status);
  if (U_FAILURE(status)) return std::nullopt;
  return normalized;
}

}  // namespace pcustomer
