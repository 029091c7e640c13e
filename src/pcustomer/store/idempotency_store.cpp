#include "pcustomer/store/idempotency_store.hpp"

#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {

std::string EncodeKeptHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string text;
  for (const auto& [name, value] : headers) {
    text += name;
    text += ": ";
    text += value;
    text += '\n';
  }
  return text;
}

std::vector<std::pair<std::string, std::string>> DecodeKeptHeaders(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> headers;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const size_t colon = line.find(": ");
    if (colon == std::string_view::npos) continue;
    headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
  }
  return headers;
}

std::string NewClaimToken() { return HexEncode(RandomBytes(16)); }

}  // namespace pcustomer
