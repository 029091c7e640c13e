#pragma once

#include <string>
#include <vector>

#include "pcustomer/domain/customer_search.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/sqlite/connection.hpp"

// Searches answered from the indexes of search_index.hpp: one SELECT per page, built from the
// parts of the filter that are present, ordered by an index, resumed by keyset (the sort
// value and id of the page's last lead), never by OFFSET.
namespace pcustomer::sqlite {

// One page of `request`. Reads one row beyond the limit to know whether more follow; with
// `with_total`, also counts every match.
Result<SearchPage> SelectSearchPage(Connection& db, const SearchRequest& request);

// The query plan SQLite chooses for `request`'s page (for the tests that pin the indexes each
// query shape uses): one line per step, as EXPLAIN QUERY
// PLAN prints them ("SEARCH customers USING INDEX customers_by_age (age>?)").
Result<std::vector<std::string>> SearchPagePlan(Connection& db, const SearchRequest& request);

}  // namespace pcustomer::sqlite
