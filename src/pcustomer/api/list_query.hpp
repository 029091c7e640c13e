#pragma once

#include <string>
#include <string_view>

#include "pcustomer/domain/customer_search.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// The query string of GET /pcustomers (CONTRACT.md sections 4 and 7), checked and turned
// into the store's terms. Every parameter is optional; together they AND.
struct ListQuery {
  SearchRequest search;   // filter, sort, limit, with_total; `after` comes from the cursor
  std::string start_key;  // as sent; empty = from the start
  // A short digest of the filter and sort: a cursor carries it, and one made for another
  // query is refused (sections 4 and 7).
  std::string fingerprint;
  // No filter, the default order and no total: the listing of section 4, whose cursors
  // stay those of the reference layout.
  bool plain = true;
};

// Longest `q` taken, in bytes, and most of its words / product codes per query: a query costs
// one index range per word and code, so the work one request can ask for stays bounded.
inline constexpr size_t kMaxSearchTextBytes = 200;
inline constexpr size_t kMaxSearchWords = 8;
inline constexpr size_t kMaxProductCodes = 20;

// kBadRequest naming the parameter (its reason's source) for: a malformed query string, an
// unknown parameter, a single-valued parameter given twice, a value of the wrong shape (limit,
// ages, dates, sort, withTotal, a product code), ageMin above ageMax, and a `q` over the
// limits above, and a status, source, ownerId, unassigned or email that is not one. `caller`
// is the username `ownerId=me` stands for.
Result<ListQuery> ParseListQuery(std::string_view raw_query, std::string_view caller = {});

// The filter `q` stands for. Phone mode when it holds at least 3 digits and nothing but
// digits, spaces and . - + ( ): a whole number in any accepted form (current or from before
// 2018) becomes its 10-digit national form, anything else its digit sequence. Otherwise the
// folded words of `q`, each to be the start of a name word. Empty `q`: no condition.
void AddSearchText(std::string_view q, CustomerFilter& filter);

// Milliseconds since the epoch for a `createdFrom` / `createdTo` value: an ISO 8601 date
// ("2026-12-01", 00:00 UTC) or a date-time in UTC with `Z` ("2026-12-01T08:30:00Z", seconds
// and a fraction optional; a fraction finer than milliseconds rounds up, which keeps both
// bounds exact for times stored in milliseconds). None for anything else, or a date that
// does not exist.
std::optional<int64_t> ParseQueryTime(std::string_view text);

}  // namespace pcustomer
