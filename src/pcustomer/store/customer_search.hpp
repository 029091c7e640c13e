#pragma once

#include <string>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/customer_search.hpp"

namespace pcustomer {

// The meaning of a search, evaluated on leads in memory: what every backend's answer must
// equal (the contract suite compares them), and how a backend without indexes for a query
// shape answers it.

// Whether `customer` matches every part of `filter`.
bool MatchesFilter(const Customer& customer, const CustomerFilter& filter);

// The sort key of a lead for one order: the collation key of the name, the age or the last
// change, and the id for ties. Comparing keys is cheaper than comparing leads (the collation key is
// made once per lead).
struct SearchSortKey {
  std::string name_key;
  int age = 0;
  std::string updated_at;
  std::string id;
};
SearchSortKey SortKeyOf(const Customer& customer, CustomerSortField field);

// Whether `a` comes before `b` in `sort` (a strict total order: ids are unique).
bool SortsBefore(const SearchSortKey& a, const SearchSortKey& b, const CustomerSort& sort);

// The page `request` asks for, from `leads` in any order: the matches in sort order, those
// after `request.after`, at most `request.limit`, and the total when asked for.
SearchPage SearchInMemory(std::vector<Customer> leads, const SearchRequest& request);

}  // namespace pcustomer
