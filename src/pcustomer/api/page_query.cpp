#include "pcustomer/api/page_query.hpp"

#include <optional>
#include <set>
#include <utility>

#include "pcustomer/api/url.hpp"
#include "pcustomer/util/numbers.hpp"

namespace pcustomer {
namespace {

constexpr int kMaxLimit = 100;
// A parameter name longer than this is shortened in the reason.
constexpr size_t kMaxNameShown = 64;

Error BadParameter(std::string_view name, std::string desc) {
  return Error::BadRequest("Invalid " + std::string(name), {{std::string(name), std::move(desc)}});
}

}  // namespace

Result<PageQuery> ParsePageQuery(std::string_view raw_query, std::string_view route) {
  auto params = ParseQuery(raw_query);
  if (!params) return Error::BadRequest("Malformed query string");
  PageQuery query;
  std::set<std::string, std::less<>> seen;
  for (auto& [name, value] : *params) {
    if (name != "limit" && name != "startKey") {
      return BadParameter(
          name.size() <= kMaxNameShown ? name : name.substr(0, kMaxNameShown) + "...",
          "not a parameter of " + std::string(route));
    }
    if (!seen.insert(name).second) return BadParameter(name, name + " is given twice");
    if (name == "limit") {
      std::optional<int> limit = ParseIntegerInRange(value, 1, kMaxLimit);
      if (!limit) return BadParameter(name, "limit must be an integer from 1 to 100");
      query.limit = *limit;
    } else {
      query.start_key = std::move(value);
    }
  }
  return query;
}

}  // namespace pcustomer
