#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pcustomer {

// The form in which names are indexed and searched, one function for the stores and the
// queries alike: case folded, every combining mark removed (tone marks and the breve,
// circumflex and horn of ă â ê ô ơ ư), and đ/Đ made d, which no Unicode decomposition does
// (đ is a letter of its own, not d plus a mark). NFD input folds as its NFC form does.
// "Đặng Thị Thủy" -> "dang thi thuy". Ill-formed UTF-8 folds its bad bytes to U+FFFD.
// Thread-safe.
std::string FoldForSearch(std::string_view text);

// The folded words of `text`: FoldForSearch, split at every code point that is neither a
// letter nor a digit, empty pieces dropped. "Đặng  Thu-Thảo" -> {"dang", "thu", "thao"}.
std::vector<std::string> SearchWords(std::string_view text);

// Bytes whose order (unsigned, byte by byte, as SQLite compares BLOBs and DynamoDB binary
// keys) is the Vietnamese alphabetical order of `text`: ICU's `vi` collation, so Đ sorts
// after D, Ă and Â after A, and tones after the plain letter. Never holds a 0 byte; equal for
// canonically equivalent input. Thread-safe.
std::string VietnameseSortKey(std::string_view text);

}  // namespace pcustomer
