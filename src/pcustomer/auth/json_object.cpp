#include "pcustomer/auth/json_object.hpp"

#include <algorithm>
#include <vector>

namespace pcustomer {

bool ParseJsonObject(std::string_view text, rapidjson::Document& document) {
  constexpr unsigned kFlags =
      rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag;
  document.Parse<kFlags>(text.data(), text.size());
  if (document.HasParseError() || !document.IsObject()) return false;
  std::vector<std::string_view> names;
  names.reserve(document.MemberCount());
  for (const auto& member : document.GetObject()) {
    names.emplace_back(member.name.GetString(), member.name.GetStringLength());
  }
  std::sort(names.begin(), names.end());
  return std::adjacent_find(names.begin(), names.end()) == names.end();
}

}  // namespace pcustomer
