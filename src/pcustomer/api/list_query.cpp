#include "pcustomer/api/list_query.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "pcustomer/api/url.hpp"
#include "pcustomer/util/ascii.hpp"
#include "pcustomer/util/clock.hpp"
#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"
#include "pcustomer/util/numbers.hpp"
#include "pcustomer/validation/customer_validation.hpp"
#include "pcustomer/validation/phone_rule.hpp"
#include "pcustomer/validation/product_code_rule.hpp"
#include "pcustomer/validation/search_text.hpp"
#include "pcustomer/validation/workflow_rules.hpp"

namespace pcustomer {
namespace {

constexpr int kDefaultLimit = 10;
constexpr int kMaxLimit = 100;
// Ages a lead can have are 18..90; bounds outside are accepted as long as they are sane.
constexpr int kMaxAgeBound = 1000;
constexpr size_t kMinPhoneDigits = 3;

Error BadParameter(std::string_view name, std::string desc) {
  return Error::BadRequest("Invalid " + std::string(name), {{std::string(name), std::move(desc)}});
}

// The parameters and whether each may repeat.
const std::map<std::string, bool, std::less<>>& KnownParameters() {
  static const std::map<std::string, bool, std::less<>> known = {
      {"q", false},           {"productCode", true}, {"ageMin", false}, {"ageMax", false},
      {"createdFrom", false}, {"createdTo", false},  {"sort", false},   {"withTotal", false},
      {"limit", false},       {"startKey", false},   {"status", true},  {"source", true},
      {"ownerId", false},     {"unassigned", false}, {"email", false},
  };
  return known;
}

std::optional<CustomerSort> ParseSort(std::string_view text) {
  CustomerSort sort;
  if (text.starts_with('-')) {
    sort.descending = true;
    text.remove_prefix(1);
  }
  if (text == "createAt") {
    sort.field = CustomerSortField::kCreateAt;
  } else if (text == "fullName") {
    sort.field = CustomerSortField::kFullName;
  } else if (text == "age") {
    sort.field = CustomerSortField::kAge;
  } else if (text == "updatedAt") {
    sort.field = CustomerSortField::kUpdatedAt;
  } else {
    return std::nullopt;
  }
  return sort;
}

bool IsPhoneSearchCharacter(char c) {
  return (c >= '0' && c <= '9') || c == ' ' || c == '.' || c == '-' || c == '+' || c == '(' ||
         c == ')';
}

std::string SortName(const CustomerSort& sort) {
  std::string name = sort.descending ? "-" : "";
  switch (sort.field) {
    case CustomerSortField::kFullName:
      return name + "fullName";
    case CustomerSortField::kAge:
      return name + "age";
    case CustomerSortField::kUpdatedAt:
      return name + "updatedAt";
    case CustomerSortField::kCreateAt:
      break;
  }
  return name + "createAt";
}

// The filter and sort written out in one canonical form (product codes sorted: their order
// does not change the query), hashed.
std::string Fingerprint(const SearchRequest& search) {
  const CustomerFilter& f = search.filter;
  std::string text = "sort=" + SortName(search.sort);
  for (const std::string& word : f.name_prefixes) text += "\nword=" + word;
  if (f.phone_digits) text += "\nphone=" + *f.phone_digits;
  std::vector<std::string> codes = f.product_codes;
  std::sort(codes.begin(), codes.end());
  for (const std::string& code : codes) text += "\nproduct=" + code;
  if (f.age_min) text += "\nageMin=" + std::to_string(*f.age_min);
  if (f.age_max) text += "\nageMax=" + std::to_string(*f.age_max);
  if (f.created_from) text += "\nfrom=" + *f.created_from;
  if (f.created_to) text += "\nto=" + *f.created_to;
  for (std::vector<std::string> values : {f.statuses, f.sources}) {
    std::sort(values.begin(), values.end());
    text += "\nin=";
    for (const std::string& value : values) text += value + ",";
  }
  if (f.owner_id) text += "\nowner=" + *f.owner_id;
  if (f.unassigned) text += *f.unassigned ? "\nunassigned" : "\nassigned";
  if (f.email) text += "\nemail=" + *f.email;
  return Base64UrlEncode(Sha256(text).substr(0, 12));
}

// Reads exactly `count` digits at `at` (no sign).
std::optional<int> Digits(std::string_view text, size_t at, size_t count) {
  if (at + count > text.size()) return std::nullopt;
  const std::string_view digits = text.substr(at, count);
  if (!AllAsciiDigits(digits)) return std::nullopt;
  return ParseIntegerInRange<int>(digits, 0, 999'999'999);
}

// Milliseconds for the fraction ".ddd..." (any number of digits) rounded up.
std::optional<int64_t> FractionMillisRoundedUp(std::string_view digits) {
  if (digits.empty() || digits.size() > 9) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::string nanos(digits);
  nanos.resize(9, '0');
  const int64_t value = std::stoll(nanos);
  return (value + 999'999) / 1'000'000;
}

}  // namespace

std::optional<int64_t> ParseQueryTime(std::string_view text) {
  using namespace std::chrono;
  // YYYY-MM-DD
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
  if (!year || !month || !day) return std::nullopt;
  const year_month_day date{std::chrono::year(*year),
                            std::chrono::month(static_cast<unsigned>(*month)),
                            std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  int64_t millis = duration_cast<milliseconds>(sys_days(date).time_since_epoch()).count();
  if (text.size() == 10) return millis;
  // THH:MM[:SS[.fraction]]Z
  if (text[10] != 'T' || text.back() != 'Z' || text.size() < 17 || text[13] != ':') {
    return std::nullopt;
  }
  const auto hour = Digits(text, 11, 2), minute = Digits(text, 14, 2);
  if (!hour || !minute || *hour > 23 || *minute > 59) return std::nullopt;
  millis += (int64_t{*hour} * 60 + *minute) * 60'000;
  std::string_view rest = text.substr(16, text.size() - 17);  // between the minutes and Z
  if (rest.empty()) return millis;
  if (rest.size() < 3 || rest[0] != ':') return std::nullopt;
  const auto second = Digits(rest, 1, 2);
  if (!second || *second > 59) return std::nullopt;
  millis += int64_t{*second} * 1000;
  rest.remove_prefix(3);
  if (rest.empty()) return millis;
  if (rest[0] != '.') return std::nullopt;
  const std::optional<int64_t> fraction = FractionMillisRoundedUp(rest.substr(1));
  if (!fraction) return std::nullopt;
  return millis + *fraction;
}

void AddSearchText(std::string_view q, CustomerFilter& filter) {
  const size_t digits = static_cast<size_t>(
      std::count_if(q.begin(), q.end(), [](char c) { return c >= '0' && c <= '9'; }));
  if (digits >= kMinPhoneDigits && std::all_of(q.begin(), q.end(), IsPhoneSearchCharacter)) {
    // "(091) 234 5678": the brackets go before the phone rule reads the number.
    std::string without_brackets;
    for (char c : q) {
      if (c != '(' && c != ')') without_brackets += c;
    }
    if (std::optional<std::string> phone = NormalizeVietnamesePhone(without_brackets)) {
      filter.phone_digits = std::move(*phone);
      return;
    }
    std::string sequence;
    for (char c : q) {
      if (c >= '0' && c <= '9') sequence += c;
    }
    filter.phone_digits = std::move(sequence);
    return;
  }
  for (std::string& word : SearchWords(q)) filter.name_prefixes.push_back(std::move(word));
}

Result<ListQuery> ParseListQuery(std::string_view raw_query, std::string_view caller) {
  auto params = ParseQuery(raw_query);
  if (!params) return Error::BadRequest("Malformed query string");
  ListQuery query;
  query.search.limit = kDefaultLimit;
  SearchRequest& search = query.search;
  CustomerFilter& filter = search.filter;
  std::map<std::string, int, std::less<>> seen;
  for (auto& [name, value] : *params) {
    auto known = KnownParameters().find(name);
    if (known == KnownParameters().end()) {
      return BadParameter(name.size() <= 64 ? name : name.substr(0, 64) + "...",
                          "not a parameter of GET /pcustomers");
    }
    if (++seen[name] > 1 && !known->second) return BadParameter(name, name + " is given twice");
    if (name == "limit") {
      std::optional<int> limit = ParseIntegerInRange(value, 1, kMaxLimit);
      if (!limit) return BadParameter(name, "limit must be an integer from 1 to 100");
      search.limit = *limit;
    } else if (name == "startKey") {
      query.start_key = std::move(value);
    } else if (name == "q") {
      if (value.size() > kMaxSearchTextBytes) {
        return BadParameter(name,
                            "q must be at most " + std::to_string(kMaxSearchTextBytes) + " bytes");
      }
      AddSearchText(value, filter);
      if (filter.name_prefixes.size() > kMaxSearchWords) {
        return BadParameter(name,
                            "q must have at most " + std::to_string(kMaxSearchWords) + " words");
      }
    } else if (name == "productCode") {
      std::optional<std::string> code = NormalizeProductCode(value);
      if (!code) return BadParameter(name, "productCode must be a product code in snake_case");
      if (filter.product_codes.size() == kMaxProductCodes) {
        return BadParameter(name,
                            "at most " + std::to_string(kMaxProductCodes) + " productCode values");
      }
      filter.product_codes.push_back(std::move(*code));
    } else if (name == "ageMin" || name == "ageMax") {
      std::optional<int> age = ParseIntegerInRange(value, 0, kMaxAgeBound);
      if (!age) return BadParameter(name, name + " must be an integer from 0 to 1000");
      (name == "ageMin" ? filter.age_min : filter.age_max) = *age;
    } else if (name == "createdFrom" || name == "createdTo") {
      std::optional<int64_t> time = ParseQueryTime(value);
      if (!time) {
        return BadParameter(
            name, name + " must be a date (2026-12-01) or a UTC date-time (2026-12-01T08:30:00Z)");
      }
      // No lead predates the epoch: an earlier bound means the same as the epoch.
      (name == "createdFrom" ? filter.created_from : filter.created_to) =
          FormatIsoMillis(std::max<int64_t>(*time, 0));
    } else if (name == "sort") {
      std::optional<CustomerSort> sort = ParseSort(value);
      if (!sort) {
        return BadParameter(name,
                            "sort must be one of createAt, -createAt, fullName, -fullName, age, "
                            "-age, updatedAt, -updatedAt");
      }
      search.sort = *sort;
    } else if (name == "status" || name == "source") {
      const bool status = name == "status";
      std::optional<std::string> value_of =
          status ? NormalizeLeadStatus(value) : NormalizeLeadSource(value);
      if (!value_of) {
        return BadParameter(name, std::string(status ? kStatusMessage : kSourceMessage));
      }
      std::vector<std::string>& values = status ? filter.statuses : filter.sources;
      if (std::find(values.begin(), values.end(), *value_of) == values.end())
        values.push_back(std::move(*value_of));
    } else if (name == "ownerId") {
      std::optional<std::string> owner =
          value == "me" ? std::optional<std::string>(std::string(caller)) : NormalizeOwnerId(value);
      if (!owner) return BadParameter(name, "ownerId must be a username or me");
      filter.owner_id = std::move(*owner);
    } else if (name == "unassigned") {
      if (value != "true" && value != "false")
        return BadParameter(name, "unassigned must be true or false");
      filter.unassigned = value == "true";
    } else if (name == "email") {
      std::optional<std::string> email = NormalizeEmail(value);
      if (!email) return BadParameter(name, "email must be a valid e-mail address");
      filter.email = std::move(*email);
    } else if (name == "withTotal") {
      if (value != "true" && value != "false")
        return BadParameter(name, "withTotal must be true or false");
      search.with_total = value == "true";
    }
  }
  if (filter.age_min && filter.age_max && *filter.age_min > *filter.age_max) {
    return BadParameter("ageMin", "ageMin must not be greater than ageMax");
  }
  query.plain = filter == CustomerFilter{} && search.sort == CustomerSort{} && !search.with_total;
  query.fingerprint = Fingerprint(search);
  return query;
}

}  // namespace pcustomer
