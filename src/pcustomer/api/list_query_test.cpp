#include "pcustomer/api/list_query.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "pcustomer/util/clock.hpp"

namespace pcustomer {
namespace {

ListQuery Parsed(std::string_view query) {
  Result<ListQuery> parsed = ParseListQuery(query);
  EXPECT_TRUE(parsed.ok()) << query << ": " << (parsed.ok() ? "" : parsed.error().Described());
  return parsed.ok() ? *parsed : ListQuery{};
}

// The parameter a refused query names.
std::string Refused(std::string_view query) {
  Result<ListQuery> parsed = ParseListQuery(query);
  if (parsed.ok()) return "accepted";
  EXPECT_EQ(parsed.error().code, ErrorCode::kBadRequest) << query;
  return parsed.error().reasons.empty() ? "no reason" : parsed.error().reasons.front().source;
}

TEST(ParseListQuery, NoParametersIsThePlainListing) {
  const ListQuery query = Parsed("");
  EXPECT_TRUE(query.plain);
  EXPECT_EQ(query.search.limit, 10);
  EXPECT_TRUE(Parsed("limit=5&startKey=abc").plain);
  EXPECT_TRUE(Parsed("q=").plain);
  EXPECT_TRUE(Parsed("sort=createAt&withTotal=false").plain);
  EXPECT_FALSE(Parsed("sort=-createAt").plain);
  EXPECT_FALSE(Parsed("withTotal=true").plain);
}

TEST(ParseListQuery, ReadsEveryParameter) {
  const ListQuery query = Parsed(
      "q=%C4%90%E1%BA%B7ng+Thu&productCode=book&productCode=tool&ageMin=20&ageMax=40"
      "&createdFrom=2026-12-01&createdTo=2026-12-02T08:30:00Z&sort=-fullName&withTotal=true&limit="
      "7");
  const CustomerFilter& f = query.search.filter;
  EXPECT_EQ(f.name_prefixes, (std::vector<std::string>{"dang", "thu"}));
  EXPECT_FALSE(f.phone_digits);
  EXPECT_EQ(f.product_codes, (std::vector<std::string>{"book", "tool"}));
  EXPECT_EQ(f.age_min, 20);
  EXPECT_EQ(f.age_max, 40);
  EXPECT_EQ(f.created_from, "2026-12-01T00:00:00.000Z");
  EXPECT_EQ(f.created_to, "2026-12-02T08:30:00.000Z");
  EXPECT_EQ(query.search.sort, (CustomerSort{CustomerSortField::kFullName, true}));
  EXPECT_TRUE(query.search.with_total);
  EXPECT_EQ(query.search.limit, 7);
  EXPECT_FALSE(query.plain);
}

TEST(ParseListQuery, RefusesNamingTheParameter) {
  EXPECT_EQ(Refused("color=red"), "color");
  EXPECT_EQ(Refused("status=open"), "status");
  EXPECT_EQ(Refused("source=email"), "source");
  EXPECT_EQ(Refused("ownerId=a%20b"), "ownerId");
  EXPECT_EQ(Refused("ownerId=lan&ownerId=mai"), "ownerId");
  EXPECT_EQ(Refused("unassigned=yes"), "unassigned");
  EXPECT_EQ(Refused("email=lan"), "email");
  EXPECT_EQ(Refused("q=a&q=b"), "q");
  EXPECT_EQ(Refused("sort=age&sort=age"), "sort");
  EXPECT_EQ(Refused("ageMin=40&ageMax=30"), "ageMin");
  EXPECT_EQ(Refused("ageMin=-1"), "ageMin");
  EXPECT_EQ(Refused("ageMax=1e2"), "ageMax");
  EXPECT_EQ(Refused("sort=updated"), "sort");
  EXPECT_EQ(Refused("sort=--age"), "sort");
  EXPECT_EQ(Refused("withTotal=1"), "withTotal");
  EXPECT_EQ(Refused("productCode=Book"), "productCode");
  EXPECT_EQ(Refused("createdFrom=2026-1-01"), "createdFrom");
  EXPECT_EQ(Refused("limit=0"), "limit");
  EXPECT_EQ(Refused("q=" + std::string(201, 'a')), "q");
  EXPECT_EQ(Refused("q=a+b+c+d+e+f+g+h+i"), "q");
  std::string many;
  for (int i = 0; i < 21; ++i) many += "productCode=book&";
  EXPECT_EQ(Refused(many), "productCode");
  EXPECT_EQ(Refused("q=%zz"), "no reason");  // a malformed query string
}

TEST(ParseListQuery, AnUnknownNameIsShortenedInTheAnswer) {
  Result<ListQuery> parsed = ParseListQuery(std::string(300, 'x') + "=1");
  ASSERT_FALSE(parsed.ok());
  EXPECT_LE(parsed.error().reasons.front().source.size(), 70u);
}

TEST(ParseListQuery, TheFingerprintFollowsTheFilterAndSortOnly) {
  const std::string base = Parsed("q=thu&productCode=book&productCode=tool").fingerprint;
  EXPECT_EQ(Parsed("q=THU&productCode=tool&productCode=book&limit=3&withTotal=true").fingerprint,
            base);
  EXPECT_NE(Parsed("q=thu&productCode=book").fingerprint, base);
  EXPECT_NE(Parsed("q=thu&productCode=book&productCode=tool&sort=age").fingerprint, base);
  EXPECT_NE(Parsed("q=thuy&productCode=book&productCode=tool").fingerprint, base);
  EXPECT_NE(Parsed("q=thu&productCode=book&productCode=tool&ageMin=1").fingerprint, base);
}

CustomerFilter SearchText(std::string_view q) {
  CustomerFilter filter;
  AddSearchText(q, filter);
  return filter;
}

TEST(AddSearchText, DigitsAreAPhoneSearchAndWholeNumbersTheirNationalForm) {
  EXPECT_EQ(SearchText("345 678").phone_digits, "345678");
  EXPECT_EQ(SearchText("+84 912 345 678").phone_digits, "0912345678");
  EXPECT_EQ(SearchText("84912345678").phone_digits, "0912345678");
  EXPECT_EQ(SearchText("(091) 234-5678").phone_digits, "0912345678");
  EXPECT_EQ(SearchText("0162 123 4567").phone_digits, "0321234567");
  EXPECT_EQ(SearchText("01621234567").phone_digits, "0321234567");
  EXPECT_EQ(SearchText("091").phone_digits, "091");
  EXPECT_EQ(SearchText("+84 9").phone_digits, "849");
  EXPECT_FALSE(SearchText("+84").phone_digits);  // two digits: too few for a phone search
  EXPECT_TRUE(SearchText("345 678").name_prefixes.empty());
}

TEST(AddSearchText, AnythingElseIsNameWords) {
  EXPECT_EQ(SearchText("12").name_prefixes, (std::vector<std::string>{"12"}));  // too few digits
  EXPECT_EQ(SearchText("thu 0912").name_prefixes, (std::vector<std::string>{"thu", "0912"}));
  EXPECT_EQ(SearchText("chị Thảo").name_prefixes, (std::vector<std::string>{"chi", "thao"}));
  EXPECT_FALSE(SearchText("chị Thảo").phone_digits);
  EXPECT_TRUE(SearchText("  ").name_prefixes.empty());
  EXPECT_FALSE(SearchText("  ").phone_digits);
}

TEST(ParseQueryTime, ReadsDatesAndUtcDateTimes) {
  EXPECT_EQ(ParseQueryTime("1970-01-01"), 0);
  EXPECT_EQ(FormatIsoMillis(*ParseQueryTime("2026-12-01")), "2026-12-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoMillis(*ParseQueryTime("2026-12-01T08:30Z")), "2026-12-01T08:30:00.000Z");
  EXPECT_EQ(FormatIsoMillis(*ParseQueryTime("2026-12-01T08:30:15Z")), "2026-12-01T08:30:15.000Z");
  EXPECT_EQ(FormatIsoMillis(*ParseQueryTime("2026-12-01T08:30:15.5Z")), "2026-12-01T08:30:15.500Z");
  EXPECT_EQ(FormatIsoMillis(*ParseQueryTime("2026-12-01T08:30:15.123Z")),
            "2026-12-01T08:30:15.123Z");
  // Finer than a millisecond rounds up, so that both bounds stay exact for stored times.
  EXPECT_EQ(FormatIsoMillis(*ParseQueryTime("2026-12-01T08:30:15.1231Z")),
            "2026-12-01T08:30:15.124Z");
  EXPECT_EQ(FormatIsoMillis(*ParseQueryTime("2026-12-31T23:59:59.9999Z")),
            "2027-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoMillis(*ParseQueryTime("2024-02-29")), "2024-02-29T00:00:00.000Z");
}

TEST(ParseQueryTime, RefusesWhatIsNotADateOrATimeThatExists) {
  for (const char* bad : {"",
                          "2026",
                          "2026-12",
                          "2026-13-01",
                          "2026-00-10",
                          "2026-02-29",
                          "2026-04-31",
                          "2026-12-01T",
                          "2026-12-01T08:30",
                          "2026-12-01T08:30:00",
                          "2026-12-01T24:00Z",
                          "2026-12-01T08:60Z",
                          "2026-12-01T08:30:60Z",
                          "2026-12-01T08:30:00.Z",
                          "2026-12-01T08:30:00.1234567891Z",
                          "2026-12-01T08:30:00+07:00",
                          "2026-12-01 08:30Z",
                          "2026-12-01T8:30Z",
                          "+026-12-01",
                          "2026-12-01x",
                          "2026-12-01T08:30:0aZ",
                          "2026-12-01T-1:30Z",
                          "2026-12-01T08:-1Z",
                          "2026--1-01"}) {
    EXPECT_FALSE(ParseQueryTime(bad)) << bad;
  }
}

}  // namespace
}  // namespace pcustomer
