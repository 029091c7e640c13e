#pragma once

#include <string_view>

namespace pcustomer {

// The letters of the Vietnamese alphabet as the reference name rule lists them (precomposed,
// NFC), including F J W Z for foreign-origin names. Position i of each list holds the same
// letter in upper and lower case.
inline constexpr std::u32string_view kVietnameseUpperLetters =
    U"AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬBCDĐEÈẺẼÉẸÊỀỂỄẾỆFGHIÌỈĨÍỊJKLMNOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢ"
    U"PQRSTUÙỦŨÚỤƯỪỬỮỨỰVWXYỲỶỸÝỴZ";
inline constexpr std::u32string_view kVietnameseLowerLetters =
    U"aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệfghiìỉĩíịjklmnoòỏõóọôồổỗốộơờởỡớợ"
    U"pqrstuùủũúụưừửữứựvwxyỳỷỹýỵz";

bool IsVietnameseUpperLetter(char32_t c);
bool IsVietnameseLowerLetter(char32_t c);

}  // namespace pcustomer
