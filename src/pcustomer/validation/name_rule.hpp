#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pcustomer {

// Counted in code points of the NFC form.
inline constexpr size_t kFullNameMaxLength = 100;

// True when `nfc_text` (already NFC and trimmed) is a Vietnamese full name: at least two words
// separated by single ASCII spaces, each word one upper-case letter of the Vietnamese
// alphabet followed by zero or more lower-case ones, at most kFullNameMaxLength code points.
bool IsVietnameseFullName(std::string_view nfc_text);

// The stored form (NFC, trimmed) of a client's full name, or none when it breaks the rule
// above. Accepts decomposed (NFD) input. Thread-safe.
std::optional<std::string> NormalizeVietnameseFullName(std::string_view text);

}  // namespace pcustomer
