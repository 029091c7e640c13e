#pragma once

#include <string>
#include <string_view>

namespace pcustomer {

// Well-formed UTF-8 as RFC 3629 defines it: shortest forms only, no surrogates (U+D800 to
// U+DFFF), nothing above U+10FFFF. JSON parsers that decode "\udfff" into bytes produce
// exactly the sequences this refuses.
bool IsWellFormedUtf8(std::string_view text);

// `text` with every ill-formed sequence replaced by U+FFFD, for echoing what a client sent.
std::string ToWellFormedUtf8(std::string_view text);

}  // namespace pcustomer
