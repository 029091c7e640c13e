#include "pcustomer/store/sqlite/search_queries.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "pcustomer/store/sqlite/customer_rows.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"
#include "pcustomer/validation/search_text.hpp"

namespace pcustomer::sqlite {
namespace {

struct Blob {
  std::string bytes;
};
using Parameter = std::variant<std::string, int64_t, Blob>;

// A WHERE clause and the values of its numbered parameters, built one condition at a time.
class Conditions {
 public:
  // Appends `condition`, in which each "?" is the next parameter, from `values` in order.
  template <class... Values>
  void Add(std::string_view condition, Values... values) {
    if (!sql_.empty()) sql_ += " AND ";
    Parameter bound[] = {Parameter(std::move(values))...};
    size_t next = 0;
    for (char c : condition) {
      if (c == '?') {
        parameters_.push_back(std::move(bound[next++]));
        sql_ += "?" + std::to_string(parameters_.size());
      } else {
        sql_ += c;
      }
    }
  }

  // Appends "column IN (?, ?, ...)" for `values`.
  void AddIn(std::string_view column, const std::vector<std::string>& values) {
    if (!sql_.empty()) sql_ += " AND ";
    sql_ += std::string(column) + " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      parameters_.emplace_back(values[i]);
      sql_ += (i ? ", ?" : "?") + std::to_string(parameters_.size());
    }
    sql_ += ")";
  }

  std::string Where() const { return sql_.empty() ? std::string() : "WHERE " + sql_; }
  int Count() const { return static_cast<int>(parameters_.size()); }
  void BindTo(Query& query) const {
    for (size_t i = 0; i < parameters_.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      std::visit(
          [&](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, Blob>) {
              query.BindBlob(index, value.bytes);
            } else {
              query.Bind(index, value);
            }
          },
          parameters_[i]);
    }
  }

 private:
  std::string sql_;
  std::vector<Parameter> parameters_;
};

// The smallest text after every text that starts with `prefix`: for a prefix range that an
// index answers ("word >= prefix AND word < PastPrefix(prefix)"). 0xFF never occurs in UTF-8,
// and SQLite compares text byte by byte.
std::string PastPrefix(std::string prefix) {
  prefix += '\xff';
  return prefix;
}

// What every match must satisfy, whatever the page.
Conditions Matching(const CustomerFilter& filter) {
  Conditions where;
  for (const std::string& prefix : filter.name_prefixes) {
    where.Add("id IN (SELECT customer_id FROM customer_name_words WHERE word >= ? AND word < ?)",
              prefix, PastPrefix(prefix));
  }
  if (filter.phone_digits) {
    // Digits sort before ':', so the range holds every suffix that starts with them.
    where.Add(
        "id IN (SELECT customer_id FROM customer_phone_suffixes WHERE suffix >= ? AND suffix < ?)",
        *filter.phone_digits, *filter.phone_digits + ":");
  }
  if (!filter.product_codes.empty()) where.AddIn("product_code", filter.product_codes);
  if (filter.age_min) where.Add("age >= ?", int64_t{*filter.age_min});
  if (filter.age_max) where.Add("age <= ?", int64_t{*filter.age_max});
  if (filter.created_from) where.Add("create_at >= ?", *filter.created_from);
  if (filter.created_to) where.Add("create_at < ?", *filter.created_to);
  return where;
}

// The column a sort orders by before the id, or empty for the id alone.
std::string_view SortColumn(CustomerSortField field) {
  switch (field) {
    case CustomerSortField::kFullName:
      return "name_key";
    case CustomerSortField::kAge:
      return "age";
    case CustomerSortField::kCreateAt:
      break;
  }
  return {};
}

// The page's conditions: the matches, and (on a later page) those after its last lead.
Conditions PageConditions(const SearchRequest& request) {
  Conditions where = Matching(request.filter);
  if (request.after) {
    const std::string_view column = SortColumn(request.sort.field);
    const char* op = request.sort.descending ? "<" : ">";
    const Customer& last = *request.after;
    switch (request.sort.field) {
      case CustomerSortField::kFullName:
        where.Add("(" + std::string(column) + ", id) " + op + " (?, ?)",
                  Blob{VietnameseSortKey(last.full_name)}, last.id);
        break;
      case CustomerSortField::kAge:
        where.Add("(" + std::string(column) + ", id) " + op + " (?, ?)", int64_t{last.age},
                  last.id);
        break;
      case CustomerSortField::kCreateAt:
        where.Add(std::string("id ") + op + " ?", last.id);
        break;
    }
  }
  return where;
}

std::string OrderBy(const CustomerSort& sort) {
  const std::string direction = sort.descending ? " DESC" : "";
  const std::string_view column = SortColumn(sort.field);
  std::string order = "ORDER BY ";
  if (!column.empty()) order += std::string(column) + direction + ", ";
  return order + "id" + direction;
}

std::string PageSql(const SearchRequest& request, const Conditions& where) {
  return SelectCustomers(where.Where() + " " + OrderBy(request.sort) + " LIMIT ?" +
                         std::to_string(where.Count() + 1));
}

Result<int64_t> CountMatches(Connection& db, const CustomerFilter& filter) {
  const Conditions where = Matching(filter);
  Result<Query> query = db.Prepare("SELECT count(*) FROM customers " + where.Where());
  if (!query.ok()) return std::move(query).error();
  where.BindTo(*query);
  const int rc = query->Step();
  if (rc != SQLITE_ROW) return StoreUnavailable(rc);
  return query->Int64(0);
}

}  // namespace

std::string SearchPageSql(const SearchRequest& request) {
  return PageSql(request, PageConditions(request));
}

Result<SearchPage> SelectSearchPage(Connection& db, const SearchRequest& request) {
  if (request.limit < 1) return Error::BadRequest("limit must be at least 1");
  const Conditions where = PageConditions(request);
  SearchPage page;
  {
    Result<Query> query = db.Prepare(PageSql(request, where));
    if (!query.ok()) return std::move(query).error();
    where.BindTo(*query);
    query->Bind(where.Count() + 1, int64_t{request.limit} + 1);
    page.items.reserve(static_cast<size_t>(request.limit) + 1);
    if (Status read = ReadCustomers(*query, page.items); !read.ok()) return std::move(read).error();
  }
  if (page.items.size() > static_cast<size_t>(request.limit)) {
    page.items.pop_back();
    page.more = true;
  }
  if (request.with_total) {
    Result<int64_t> total = CountMatches(db, request.filter);
    if (!total.ok()) return std::move(total).error();
    page.total = *total;
  }
  return page;
}

Result<std::vector<std::string>> SearchPagePlan(Connection& db, const SearchRequest& request) {
  const Conditions where = PageConditions(request);
  Result<Query> query = db.Prepare("EXPLAIN QUERY PLAN " + PageSql(request, where));
  if (!query.ok()) return std::move(query).error();
  where.BindTo(*query);
  query->Bind(where.Count() + 1, int64_t{request.limit} + 1);
  std::vector<std::string> plan;
  int rc = SQLITE_OK;
  // Columns: id, parent, notused, detail.
  while ((rc = query->Step()) == SQLITE_ROW) plan.push_back(query->Text(3));
  if (rc != SQLITE_DONE) return StoreUnavailable(rc);
  return plan;
}

}  // namespace pcustomer::sqlite
