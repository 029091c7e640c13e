// Query strings: ParseQuery and PercentDecode, ParseIntegerInRange as `limit` uses it, the
// search parameters (ParseListQuery, ParseQueryTime), the paging parameters (ParsePageQuery),
// and the whole query handling (listing and search, cursors) of GET /pcustomers, GET /trash
// and GET /pcustomers/{id}/history through their routes.
// fuzz-link: pc_api

#include <cstdint>
#include <optional>
#include <string>

#include "api_stubs.hpp"
#include "fuzz_support.hpp"
#include "pcustomer/api/list_query.hpp"
#include "pcustomer/api/page_query.hpp"
#include "pcustomer/api/url.hpp"
#include "pcustomer/util/clock.hpp"
#include "pcustomer/util/numbers.hpp"

namespace {

// What ParseIntegerInRange promises, computed another way: an optional '-', then only digits,
// and a value inside [low, high].
bool IsIntegerInRange(std::string_view text, long long low, long long high) {
  bool negative = !text.empty() && text.front() == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty()) return false;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
  }
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  if (digits.size() > 18) return false;  // far outside any range used here
  long long value = std::stoll(std::string(digits));
  if (negative) value = -value;
  return value >= low && value <= high;
}

void CheckPercentDecode(std::string_view text) {
  for (bool plus_is_space : {false, true}) {
    std::optional<std::string> decoded = pcustomer::PercentDecode(text, plus_is_space);
    if (!decoded) continue;
    // Each escape shrinks three bytes to one; nothing else changes length.
    FUZZ_CHECK(decoded->size() <= text.size());
    FUZZ_CHECK(decoded->find('\0') == std::string::npos || text.find('\0') != std::string::npos);
  }
  // Encoding a path segment and decoding it gives the bytes back (a NUL cannot be decoded).
  if (text.find('\0') == std::string_view::npos) {
    const std::string encoded = pcustomer::PercentEncodePathSegment(text);
    std::optional<std::string> decoded = pcustomer::PercentDecode(encoded);
    FUZZ_CHECK(decoded && *decoded == text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view query = pcustomer::fuzz::AsText(data, size);

  CheckPercentDecode(query);
  auto params = pcustomer::ParseQuery(query);
  if (params) {
    for (const auto& [name, value] : *params) {
      FUZZ_CHECK(name.find('\0') == std::string::npos ||
                 query.find('\0') != std::string_view::npos);
      std::optional<int> limit = pcustomer::ParseIntegerInRange(value, 1, 100);
      FUZZ_CHECK(limit.has_value() == IsIntegerInRange(value, 1, 100));
      if (limit) FUZZ_CHECK(std::to_string(*limit) == value || value.front() == '0');
    }
  }
  FUZZ_CHECK(pcustomer::ParseIntegerInRange<int>(query, 1, 100).has_value() ==
             IsIntegerInRange(query, 1, 100));

  // What a parsed query may ask of a store stays bounded, and a time it reads prints back as
  // the same time.
  auto list = pcustomer::ParseListQuery(query);
  if (list) {
    FUZZ_CHECK(list->search.limit >= 1 && list->search.limit <= 100);
    FUZZ_CHECK(list->search.filter.name_prefixes.size() <= pcustomer::kMaxSearchWords);
    FUZZ_CHECK(list->search.filter.product_codes.size() <= pcustomer::kMaxProductCodes);
    FUZZ_CHECK(!list->search.filter.age_min || !list->search.filter.age_max ||
               *list->search.filter.age_min <= *list->search.filter.age_max);
    FUZZ_CHECK(!list->fingerprint.empty());
  }
  if (std::optional<int64_t> time = pcustomer::ParseQueryTime(query); time && *time >= 0) {
    const std::string printed = pcustomer::FormatIsoMillis(*time);
    // A fraction rounded up past 9999-12-31 prints a five-digit year, which no query holds.
    if (printed.size() == 24) FUZZ_CHECK(pcustomer::ParseQueryTime(printed) == time);
  }

  auto page = pcustomer::ParsePageQuery(query, "GET /trash");
  if (page) FUZZ_CHECK(page->limit >= 1 && page->limit <= 100);
  if (page && !params) FUZZ_CHECK(false);

  // The paged routes: a bad query or cursor is a 400, anything else a page.
  static const pcustomer::fuzz::Api api(std::string(32, 'k'));
  for (const char* path : {"/pcustomers", "/trash", "/pcustomers/CUSTOMER%231/history"}) {
    pcustomer::Request request;
    request.method = "GET";
    request.path = path;
    request.query = std::string(query);
    const pcustomer::Response response = api.Send(std::move(request));
    FUZZ_CHECK(response.status == 200 || response.status == 400);
    if (!params) FUZZ_CHECK(response.status == 400);
  }
  return 0;
}
