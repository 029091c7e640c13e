#include "pcustomer/validation/vietnamese_alphabet.hpp"

#include <algorithm>
#include <array>

namespace pcustomer {
namespace {

static_assert(kVietnameseUpperLetters.size() == kVietnameseLowerLetters.size());

template <size_t kSize>
constexpr std::array<char32_t, kSize> Sorted(std::u32string_view letters) {
  std::array<char32_t, kSize> sorted{};
  std::copy(letters.begin(), letters.end(), sorted.begin());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

// Sorted at compile time so a lookup is a binary search over 93 code points, no allocation.
constexpr auto kSortedUpper = Sorted<kVietnameseUpperLetters.size()>(kVietnameseUpperLetters);
constexpr auto kSortedLower = Sorted<kVietnameseLowerLetters.size()>(kVietnameseLowerLetters);

}  // namespace

bool IsVietnameseUpperLetter(char32_t c) {
  if (c < 0x80) return c >= U'A' && c <= U'Z';
  return std::binary_search(kSortedUpper.begin(), kSortedUpper.end(), c);
}

bool IsVietnameseLowerLetter(char32_t c) {
  if (c < 0x80) return c >= U'a' && c <= U'z';
  return std::binary_search(kSortedLower.begin(), kSortedLower.end(), c);
}

}  // namespace pcustomer
