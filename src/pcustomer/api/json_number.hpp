#pragma once

#include <cstdint>
#include <string_view>

namespace pcustomer {

// A JSON number judged by the digits as written rather than by the nearest double:
// "18", "18.0", "1.8e1" and "180e-1" are the integer 18, while "17.9999999999999999" is not
// an integer although it rounds to 18.0.
struct JsonNumber {
  bool is_integer = false;  // written value is whole and fits in int64
  int64_t integer = 0;      // when is_integer
  double value = 0;         // otherwise: the nearest double, never a whole one when the
                            // written value had a fraction (so "not an integer" survives)
};

// `text` must match the JSON number grammar (RFC 8259 section 6), as a parser passes it on.
JsonNumber ReadJsonNumber(std::string_view text);

}  // namespace pcustomer
