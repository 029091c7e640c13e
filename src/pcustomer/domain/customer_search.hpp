#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pcustomer/domain/customer.hpp"

namespace pcustomer {

// The orders a search can return (CONTRACT.md section 7). Every order breaks ties by id, so
// that a page boundary is exact.
enum class CustomerSortField {
  kCreateAt,  // by id: ids grow with creation time, and this is the listing's order
  kFullName,  // Vietnamese alphabetical order (ICU `vi` collation)
  kAge,
  kUpdatedAt,
};

struct CustomerSort {
  CustomerSortField field = CustomerSortField::kCreateAt;
  bool descending = false;
  bool operator==(const CustomerSort&) const = default;
};

// What a lead must match; every part present must hold (AND). Texts are in the form the
// store keeps: name words folded (FoldForSearch), dates as ISO 8601 UTC with milliseconds.
struct CustomerFilter {
  // Each must be the start of a word of the folded full name.
  std::vector<std::string> name_prefixes;
  // The 10-digit national phone must contain this digit sequence (3 to 10 digits).
  std::optional<std::string> phone_digits;
  // The product code is one of these (OR); none = any.
  std::vector<std::string> product_codes;
  std::optional<int> age_min;               // inclusive
  std::optional<int> age_max;               // inclusive
  std::optional<std::string> created_from;  // inclusive
  std::optional<std::string> created_to;    // exclusive
  // The status / source is one of these (OR); none = any.
  std::vector<std::string> statuses;
  std::vector<std::string> sources;
  std::optional<std::string> owner_id;  // exactly this owner
  // true: no owner; false: some owner; none: either.
  std::optional<bool> unassigned;
  std::optional<std::string> email;  // exactly this (lower-case) address
  bool operator==(const CustomerFilter&) const = default;
};

// One page of a search. `after` is the last lead of the previous page as that page returned
// it: the store resumes strictly after it in `sort` order, from the values that order uses.
struct SearchRequest {
  CustomerFilter filter;
  CustomerSort sort;
  std::optional<Customer> after;
  int limit = 10;           // 1..100, checked by the caller
  bool with_total = false;  // count every match
};

struct SearchPage {
  std::vector<Customer> items;
  bool more = false;             // a next page may hold matches
  std::optional<int64_t> total;  // with_total: every match, on every page
};

}  // namespace pcustomer
