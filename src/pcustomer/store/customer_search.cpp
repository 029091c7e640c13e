#include "pcustomer/store/customer_search.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>

#include "pcustomer/validation/search_text.hpp"

namespace pcustomer {

bool MatchesFilter(const Customer& customer, const CustomerFilter& filter) {
  const CustomerFilter& f = filter;
  if (f.age_min && customer.age < *f.age_min) return false;
  if (f.age_max && customer.age > *f.age_max) return false;
  if (f.created_from && customer.create_at < *f.created_from) return false;
  if (f.created_to && !(customer.create_at < *f.created_to)) return false;
  if (!f.product_codes.empty() && std::find(f.product_codes.begin(), f.product_codes.end(),
                                            customer.product_code) == f.product_codes.end()) {
    return false;
  }
  auto one_of = [](const std::vector<std::string>& allowed, const std::string& value) {
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  };
  if (!one_of(f.statuses, customer.status) || !one_of(f.sources, customer.source)) return false;
  if (f.owner_id && customer.owner_id != f.owner_id) return false;
  if (f.unassigned && *f.unassigned == customer.owner_id.has_value()) return false;
  if (f.email && customer.email != f.email) return false;
  if (f.phone_digits && customer.phone.find(*f.phone_digits) == std::string::npos) return false;
  if (!f.name_prefixes.empty()) {
    const std::vector<std::string> words = SearchWords(customer.full_name);
    for (const std::string& prefix : f.name_prefixes) {
      const bool found = std::any_of(words.begin(), words.end(), [&](const std::string& word) {
        return word.starts_with(prefix);
      });
      if (!found) return false;
    }
  }
  return true;
}

SearchSortKey SortKeyOf(const Customer& customer, CustomerSortField field) {
  SearchSortKey key;
  key.id = customer.id;
  if (field == CustomerSortField::kFullName) key.name_key = VietnameseSortKey(customer.full_name);
  if (field == CustomerSortField::kAge) key.age = customer.age;
  if (field == CustomerSortField::kUpdatedAt) key.updated_at = customer.updated_at;
  return key;
}

bool SortsBefore(const SearchSortKey& a, const SearchSortKey& b, const CustomerSort& sort) {
  // A descending order is the ascending one reversed, ties included: what a backward walk
  // of an index gives.
  const SearchSortKey& first = sort.descending ? b : a;
  const SearchSortKey& second = sort.descending ? a : b;
  switch (sort.field) {
    case CustomerSortField::kFullName:
      return std::tie(first.name_key, first.id) < std::tie(second.name_key, second.id);
    case CustomerSortField::kAge:
      return std::tie(first.age, first.id) < std::tie(second.age, second.id);
    case CustomerSortField::kUpdatedAt:
      return std::tie(first.updated_at, first.id) < std::tie(second.updated_at, second.id);
    case CustomerSortField::kCreateAt:
      break;
  }
  return first.id < second.id;
}

SearchPage SearchInMemory(std::vector<Customer> leads, const SearchRequest& request) {
  std::vector<std::pair<SearchSortKey, Customer>> matches;
  for (Customer& lead : leads) {
    if (!MatchesFilter(lead, request.filter)) continue;
    SearchSortKey key = SortKeyOf(lead, request.sort.field);
    matches.emplace_back(std::move(key), std::move(lead));
  }
  std::sort(matches.begin(), matches.end(), [&](const auto& a, const auto& b) {
    return SortsBefore(a.first, b.first, request.sort);
  });
  SearchPage page;
  if (request.with_total) page.total = static_cast<int64_t>(matches.size());
  auto from = matches.begin();
  if (request.after) {
    const SearchSortKey after = SortKeyOf(*request.after, request.sort.field);
    from = std::partition_point(matches.begin(), matches.end(), [&](const auto& match) {
      return !SortsBefore(after, match.first, request.sort);
    });
  }
  const auto limit = static_cast<std::ptrdiff_t>(std::max(request.limit, 0));
  const auto to = matches.end() - from > limit ? from + limit : matches.end();
  for (auto it = from; it != to; ++it) page.items.push_back(std::move(it->second));
  page.more = to != matches.end();
  return page;
}

}  // namespace pcustomer
