#include "pcustomer/validation/product_code_rule.hpp"

#include "pcustomer/validation/text_normalization.hpp"

namespace pcustomer {

bool IsProductCode(std::string_view text) {
  if (text.empty() || text.size() > kProductCodeMaxLength) return false;
  bool after_underscore = true;  // the text must start with a letter
  for (char c : text) {
    if (c >= 'a' && c <= 'z') {
      after_underscore = false;
    } else if (c == '_' && !after_underscore) {
      after_underscore = true;
    } else {
      return false;
    }
  }
  return !after_underscore;
}

std::optional<std::string> NormalizeProductCode(std::string_view text) {
  std::optional<std::string> normalized = NormalizeInputText(text);
  if (!normalized || !IsProductCode(*normalized)) return std::nullopt;
  return normalized;
}

}  // namespace pcustomer
