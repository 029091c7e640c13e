#include "pcustomer/store/sqlite/search_queries.hpp"

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/sqlite/customer_rows.hpp"
#include "pcustomer/store/sqlite/search_index.hpp"
#include "pcustomer/store/sqlite/sqlite_error.hpp"
#include "pcustomer/util/clock.hpp"
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
    std::array<Parameter, sizeof...(Values)> bound{Parameter(std::move(values))...};
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

// The search table a page is driven from, or none: a `q` search walks the matches of its
// FTS5 table (in rowid, that is creation, order) and joins each to its lead; anything else
// walks an index of customers.
struct Driver {
  const char* table = nullptr;  // FTS5 table, rowid = the lead's numeric id
  std::string match;            // its MATCH expression
  // With both phone digits and name words (which the API never sends together), the phone
  // drives and the names are this MATCH of customer_name_search.
  std::optional<std::string> name_match;
};

Result<Driver> DriverOf(Connection& db, const CustomerFilter& filter) {
  Driver driver;
  if (!filter.name_prefixes.empty()) {
    Result<std::string> names = NameMatch(db, filter.name_prefixes);
    if (!names.ok()) return std::move(names).error();
    driver = {"customer_name_search", std::move(*names), std::nullopt};
  }
  if (filter.phone_digits) {
    std::optional<std::string> names;
    if (driver.table) names = std::move(driver.match);
    driver = {"customer_phone_search", PhoneMatch(*filter.phone_digits), std::move(names)};
  }
  return driver;
}

std::string From(const Driver& driver) {
  if (!driver.table) return "customers";
  // CROSS JOIN keeps the search table outside: its matches, not customers, are walked.
  return std::string(driver.table) + " CROSS JOIN customers ON id = 'CUSTOMER#' || " +
         driver.table + ".rowid";
}

// Ids in this store carry their lead's createAt (id = its millisecond * kIdsPerMilli + a
// sequence, customer_id.hpp), so a createAt range is an id range, which the primary key
// answers: the first id of `iso_time`'s millisecond. Only where ids have the 16 digits of the
// years 2001 to 2286 (their text order is then their numeric order); none elsewhere, and the
// create_at condition beside it stays exact either way.
std::optional<std::string> IdOfFirstMilli(const std::string& iso_time) {
  constexpr int64_t kFirst16Digits = 1'000'000'000'000'000;
  const std::optional<int64_t> millis = ParseIsoMillis(iso_time);
  if (!millis || *millis > std::numeric_limits<int64_t>::max() / kIdsPerMilli) return std::nullopt;
  const int64_t value = *millis * kIdsPerMilli;
  if (value < kFirst16Digits || value >= 10 * kFirst16Digits) return std::nullopt;
  return FormatCustomerId(value);
}

// What every match must satisfy, whatever the page.
Conditions Matching(const CustomerFilter& filter, const Driver& driver) {
  Conditions where;
  if (driver.table) where.Add(std::string(driver.table) + " MATCH ?", driver.match);
  if (filter.phone_digits) {
    // The grams find candidates; the phone itself must hold the digits in one run.
    where.Add("instr(phone, ?) > 0", *filter.phone_digits);
  }
  if (driver.name_match) {
    where.Add(
        "customer_phone_search.rowid IN (SELECT rowid FROM customer_name_search WHERE "
        "customer_name_search MATCH ?)",
        *driver.name_match);
  }
  if (!filter.product_codes.empty()) where.AddIn("product_code", filter.product_codes);
  if (!filter.statuses.empty()) where.AddIn("status", filter.statuses);
  if (!filter.sources.empty()) where.AddIn("source", filter.sources);
  if (filter.owner_id) where.Add("owner_id = ?", *filter.owner_id);
  if (filter.unassigned)
    where.Add(*filter.unassigned ? "owner_id IS NULL" : "owner_id IS NOT NULL");
  if (filter.email) where.Add("email = ?", *filter.email);
  if (filter.age_min) where.Add("age >= ?", int64_t{*filter.age_min});
  if (filter.age_max) where.Add("age <= ?", int64_t{*filter.age_max});
  if (filter.created_from) {
    where.Add("create_at >= ?", *filter.created_from);
    if (auto from = IdOfFirstMilli(*filter.created_from)) where.Add("id >= ?", *from);
  }
  if (filter.created_to) {
    where.Add("create_at < ?", *filter.created_to);
    if (auto to = IdOfFirstMilli(*filter.created_to)) where.Add("id < ?", *to);
  }
  return where;
}

// The column a sort orders by before the id, or empty for the id alone.
std::string_view SortColumn(CustomerSortField field) {
  switch (field) {
    case CustomerSortField::kFullName:
      return "name_key";
    case CustomerSortField::kAge:
      return "age";
    case CustomerSortField::kUpdatedAt:
      return "updated_at";
    case CustomerSortField::kCreateAt:
      break;
  }
  return {};
}

// Creation order as the driver walks it: the search table's rowid (ids have one length, so
// their numeric and text orders agree), or the id.
std::string CreationKey(const Driver& driver) {
  return driver.table ? std::string(driver.table) + ".rowid" : "id";
}

// The page's conditions: the matches, and (on a later page) those after its last lead.
Conditions PageConditions(const SearchRequest& request, const Driver& driver) {
  Conditions where = Matching(request.filter, driver);
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
      case CustomerSortField::kUpdatedAt:
        where.Add("(" + std::string(column) + ", id) " + op + " (?, ?)", last.updated_at, last.id);
        break;
      case CustomerSortField::kCreateAt:
        if (const std::optional<int64_t> value = CustomerIdValue(last.id); driver.table && value) {
          where.Add(CreationKey(driver) + " " + op + " ?", *value);
        } else {
          where.Add(std::string("id ") + op + " ?", last.id);
        }
        break;
    }
  }
  return where;
}

std::string OrderBy(const CustomerSort& sort, const Driver& driver) {
  const std::string direction = sort.descending ? " DESC" : "";
  const std::string_view column = SortColumn(sort.field);
  if (column.empty()) return "ORDER BY " + CreationKey(driver) + direction;
  return "ORDER BY " + std::string(column) + direction + ", id" + direction;
}

std::string PageSql(const SearchRequest& request, const Driver& driver, const Conditions& where) {
  return "SELECT " + CustomerColumns() + " FROM " + From(driver) + " " + where.Where() + " " +
         OrderBy(request.sort, driver) + " LIMIT ?" + std::to_string(where.Count() + 1);
}

Result<int64_t> CountMatches(Connection& db, const CustomerFilter& filter, const Driver& driver) {
  const Conditions where = Matching(filter, driver);
  Result<Query> query = db.Prepare("SELECT count(*) FROM " + From(driver) + " " + where.Where());
  if (!query.ok()) return std::move(query).error();
  where.BindTo(*query);
  const int rc = query->Step();
  if (rc != SQLITE_ROW) return StoreUnavailable(rc);
  return query->Int64(0);
}

}  // namespace

Result<SearchPage> SelectSearchPage(Connection& db, const SearchRequest& request) {
  if (request.limit < 1) return Error::BadRequest("limit must be at least 1");
  Result<Driver> driver = DriverOf(db, request.filter);
  if (!driver.ok()) return std::move(driver).error();
  const Conditions where = PageConditions(request, *driver);
  SearchPage page;
  {
    Result<Query> query = db.Prepare(PageSql(request, *driver, where));
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
    Result<int64_t> total = CountMatches(db, request.filter, *driver);
    if (!total.ok()) return std::move(total).error();
    page.total = *total;
  }
  return page;
}

Result<std::vector<std::string>> SearchPagePlan(Connection& db, const SearchRequest& request) {
  Result<Driver> driver = DriverOf(db, request.filter);
  if (!driver.ok()) return std::move(driver).error();
  const Conditions where = PageConditions(request, *driver);
  Result<Query> query = db.Prepare("EXPLAIN QUERY PLAN " + PageSql(request, *driver, where));
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
