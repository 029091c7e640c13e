// CustomerStore::Search, part of the CustomerStore contract (CONTRACT.md section 7) and run
// against every backend like the rest of it. The expected answer of every query is what
// SearchInMemory (store/customer_search.hpp) computes from the leads the test created, so the
// backends agree with each other on the same data; a few named cases pin the contract's own
// examples.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "pcustomer/store/customer_search.hpp"
#include "pcustomer/store/customer_store_contract_test.hpp"
#include "pcustomer/store/testing/store_calls.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer::test {
namespace {

std::vector<std::string> NamesOf(const std::vector<Customer>& leads) {
  std::vector<std::string> names;
  for (const Customer& lead : leads) names.push_back(lead.full_name);
  return names;
}

std::vector<std::string> IdsOf(const std::vector<Customer>& leads) {
  std::vector<std::string> ids;
  for (const Customer& lead : leads) ids.push_back(lead.id);
  return ids;
}

// A search of every lead matching `filter`, in `sort` order.
SearchRequest Query(CustomerFilter filter, CustomerSort sort = {}, int limit = 100) {
  SearchRequest request;
  request.filter = std::move(filter);
  request.sort = sort;
  request.limit = limit;
  return request;
}

CustomerFilter Words(std::vector<std::string> prefixes) {
  CustomerFilter filter;
  filter.name_prefixes = std::move(prefixes);
  return filter;
}

CustomerFilter PhoneDigits(std::string digits) {
  CustomerFilter filter;
  filter.phone_digits = std::move(digits);
  return filter;
}

// Names, ages and products that exercise the folding, the collation and every filter; the
// n-th lead created gets entry n % size, its phone 09... from n, and a creation time n
// minutes after kEpoch.
struct Sample {
  const char* name;
  int age;
  const char* product;
};
constexpr Sample kSamples[] = {
    {"Đặng Thu Thảo", 34, "home_loan"},
    {"Nguyễn Văn An", 30, "household_tool"},
    {"Lê Thị Lan", 45, "book"},
    {"Trần Anh", 22, "home_loan"},
    {"Phạm Thủy", 61, "tool"},
    {"Dương Thu", 18, "book"},
    {"Đỗ Quỳnh", 90, "tool"},
    {"Ân Văn Bình", 38, "household_tool"},
    {"Ăn Minh", 27, "book"},
    {"An Đức", 52, "home_loan"},
};
constexpr int64_t kEpoch = 1'795'000'000'000;  // November 2026

// Creates `count` leads from kSamples, one minute apart, through `timed`, a store whose clock
// reads `now`; answers them as stored.
std::vector<Customer> CreateLeads(CustomerStore& timed, int64_t& now, int count) {
  std::vector<Customer> created;
  for (int n = 0; n < count; ++n) {
    const Sample& sample = kSamples[static_cast<size_t>(n) % std::size(kSamples)];
    char phone[16];
    std::snprintf(phone, sizeof phone, "09%08d", 12345678 + n * 7);
    now = kEpoch + int64_t{n} * 60'000;
    auto lead = CreateNow(timed, {sample.name, phone, sample.age, sample.product});
    EXPECT_TRUE(lead.ok()) << lead.error().message;
    if (lead.ok()) created.push_back(*lead);
  }
  return created;
}

// Every page of `request` (limit as set), checked page by page; answers all items.
std::vector<Customer> AllPages(CustomerStore& store, SearchRequest request) {
  std::vector<Customer> items;
  for (int pages = 0; pages < 1000; ++pages) {
    auto page = SearchNow(store, request);
    EXPECT_TRUE(page.ok()) << page.error().message;
    if (!page.ok()) break;
    EXPECT_LE(page->items.size(), static_cast<size_t>(request.limit));
    items.insert(items.end(), page->items.begin(), page->items.end());
    if (!page->more) break;
    EXPECT_EQ(page->items.size(), static_cast<size_t>(request.limit));
    request.after = page->items.back();
  }
  return items;
}

// The store answers `request` page by page exactly as SearchInMemory over `leads` does, and
// counts the same total.
void ExpectSameAsInMemory(CustomerStore& store, const std::vector<Customer>& leads,
                          SearchRequest request) {
  SearchRequest whole = request;
  whole.limit = static_cast<int>(leads.size()) + 1;
  const SearchPage expected = SearchInMemory(leads, whole);
  EXPECT_EQ(IdsOf(AllPages(store, request)), IdsOf(expected.items));
  request.with_total = true;
  auto first = SearchNow(store, request);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->total, static_cast<int64_t>(expected.items.size()));
}

// `count` leads created at known times through a second store on the fixture's backend,
// whose clock the test sets.
template <class Fixture>
std::vector<Customer> CreateTimedLeads(Fixture& fixture, int count) {
  int64_t now = kEpoch;
  auto timed = fixture.OpenAnother([&now] { return now; });
  return timed ? CreateLeads(*timed, now, count) : std::vector<Customer>{};
}

TYPED_TEST_SUITE(CustomerStoreContract, Backends, BackendNames);

TYPED_TEST(CustomerStoreContract, SearchNameWordsMatchFromTheStartIgnoringCaseMarksAndStroke) {
  CreateTimedLeads(*this, 10);
  auto names = [&](std::vector<std::string> prefixes) {
    auto page = SearchNow(this->store(), Query(Words(std::move(prefixes))));
    EXPECT_TRUE(page.ok()) << page.error().message;
    std::vector<std::string> found = page.ok() ? NamesOf(page->items) : std::vector<std::string>{};
    std::sort(found.begin(), found.end());
    return found;
  };
  // Prefixes arrive folded (the API folds q with FoldForSearch).
  EXPECT_EQ(names({"dang", "thu"}), (std::vector<std::string>{"Đặng Thu Thảo"}));
  EXPECT_EQ(names({"thu"}), (std::vector<std::string>{"Dương Thu", "Phạm Thủy", "Đặng Thu Thảo"}));
  EXPECT_EQ(names({"an"}), (std::vector<std::string>{"An Đức", "Nguyễn Văn An", "Trần Anh",
                                                     "Ân Văn Bình", "Ăn Minh"}));
  EXPECT_EQ(names({"d"}),
            (std::vector<std::string>{"An Đức", "Dương Thu", "Đặng Thu Thảo", "Đỗ Quỳnh"}));
  EXPECT_EQ(names({"quynh"}), (std::vector<std::string>{"Đỗ Quỳnh"}));
  EXPECT_EQ(names({"van", "binh"}), (std::vector<std::string>{"Ân Văn Bình"}));
  EXPECT_TRUE(names({"lanx"}).empty());
  EXPECT_TRUE(names({"thao", "nguyen"}).empty());
}

TYPED_TEST(CustomerStoreContract, SearchPhoneDigitsMatchAnywhereInTheNumber) {
  const std::vector<Customer> leads = CreateTimedLeads(*this, 10);
  auto ids = [&](std::string digits) {
    auto page = SearchNow(this->store(), Query(PhoneDigits(std::move(digits))));
    EXPECT_TRUE(page.ok()) << page.error().message;
    return page.ok() ? IdsOf(page->items) : std::vector<std::string>{};
  };
  EXPECT_EQ(ids(leads[3].phone), (std::vector<std::string>{leads[3].id}));
  EXPECT_EQ(ids(leads[3].phone.substr(4)), (std::vector<std::string>{leads[3].id}));
  EXPECT_EQ(ids("091"), IdsOf(leads));
  EXPECT_TRUE(ids("0812").empty());
  // 0912345678, 0912345685, 0912345692, 0912345699, ...: each of these is in one number.
  EXPECT_EQ(ids("5678"), (std::vector<std::string>{leads[0].id}));
  EXPECT_EQ(ids("45699"), (std::vector<std::string>{leads[3].id}));
}

TYPED_TEST(CustomerStoreContract, SearchPhoneDigitsMustBeOneRunNotPiecesOfIt) {
  // Each first number holds the start and the end of the searched digits, apart; each
  // second holds them in one run.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"0903451453", "0903453111"},  // 3453: 345 and 453
      {"0911111122", "0911111112"},  // 1111111: six ones, then seven
  };
  const std::vector<std::string> searched = {"3453", "1111111"};
  std::vector<std::string> expected;
  for (const auto& [apart, together] : cases) {
    ASSERT_TRUE(CreateNow(this->store(), {"Lê Apart", apart, 30, "car"}).ok());
    auto lead = CreateNow(this->store(), {"Lê Together", together, 30, "car"});
    ASSERT_TRUE(lead.ok()) << lead.error().message;
    expected.push_back(lead->id);
  }
  for (size_t n = 0; n < searched.size(); ++n) {
    auto page = SearchNow(this->store(), Query(PhoneDigits(searched[n])));
    ASSERT_TRUE(page.ok()) << page.error().message;
    EXPECT_EQ(IdsOf(page->items), (std::vector<std::string>{expected[n]})) << searched[n];
  }
}

TYPED_TEST(CustomerStoreContract, SearchEachFilterAloneAndTogether) {
  const std::vector<Customer> leads = CreateTimedLeads(*this, 30);
  CustomerFilter products;
  products.product_codes = {"book", "tool"};
  ExpectSameAsInMemory(this->store(), leads, Query(products));
  CustomerFilter ages;
  ages.age_min = 30;
  ages.age_max = 52;
  ExpectSameAsInMemory(this->store(), leads, Query(ages));
  CustomerFilter created;
  created.created_from = FormatIsoMillis(kEpoch + 5 * 60'000);
  created.created_to = FormatIsoMillis(kEpoch + 17 * 60'000);
  ExpectSameAsInMemory(this->store(), leads, Query(created));
  CustomerFilter all = products;
  all.age_min = 20;
  all.created_from = created.created_from;
  all.name_prefixes = {"m"};
  ExpectSameAsInMemory(this->store(), leads, Query(all));
  // The time bounds: From inclusive, To exclusive.
  CustomerFilter exact;
  exact.created_from = leads[4].create_at;
  exact.created_to = leads[5].create_at;
  auto page = SearchNow(this->store(), Query(exact));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(IdsOf(page->items), (std::vector<std::string>{leads[4].id}));
}

TYPED_TEST(CustomerStoreContract, SearchEverySortPagesToTheEndSeeingEachMatchOnce) {
  const std::vector<Customer> leads = CreateTimedLeads(*this, 60);
  for (CustomerSortField field :
       {CustomerSortField::kCreateAt, CustomerSortField::kFullName, CustomerSortField::kAge}) {
    for (bool descending : {false, true}) {
      SCOPED_TRACE(static_cast<int>(field) * 2 + descending);
      ExpectSameAsInMemory(this->store(), leads, Query({}, {field, descending}, 7));
      ExpectSameAsInMemory(this->store(), leads, Query(Words({"thu"}), {field, descending}, 7));
    }
  }
}

TYPED_TEST(CustomerStoreContract, SearchFullNameSortsInVietnameseAlphabeticalOrder) {
  CreateTimedLeads(*this, 10);
  auto page = SearchNow(this->store(), Query({}, {CustomerSortField::kFullName, false}));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(NamesOf(page->items),
            (std::vector<std::string>{"An Đức", "Ăn Minh", "Ân Văn Bình", "Dương Thu",
                                      "Đặng Thu Thảo", "Đỗ Quỳnh", "Lê Thị Lan", "Nguyễn Văn An",
                                      "Phạm Thủy", "Trần Anh"}));
}

TYPED_TEST(CustomerStoreContract, SearchUpdatesAndDeletesKeepTheIndexesInStep) {
  const std::vector<Customer> leads = CreateTimedLeads(*this, 3);
  CustomerPatch rename;
  rename.full_name = "Hồ Xuân Hương";
  rename.phone = "0387654321";
  ASSERT_TRUE(UpdateNow(this->store(), leads[0].id, rename).ok());
  auto old_name = SearchNow(this->store(), Query(Words({"thao"})));
  ASSERT_TRUE(old_name.ok());
  EXPECT_TRUE(old_name->items.empty());
  auto new_name = SearchNow(this->store(), Query(Words({"xuan", "huong"})));
  ASSERT_TRUE(new_name.ok());
  EXPECT_EQ(IdsOf(new_name->items), (std::vector<std::string>{leads[0].id}));
  auto old_phone = SearchNow(this->store(), Query(PhoneDigits(leads[0].phone)));
  ASSERT_TRUE(old_phone.ok());
  EXPECT_TRUE(old_phone->items.empty());
  auto new_phone = SearchNow(this->store(), Query(PhoneDigits("7654321")));
  ASSERT_TRUE(new_phone.ok());
  EXPECT_EQ(IdsOf(new_phone->items), (std::vector<std::string>{leads[0].id}));
  auto by_name = SearchNow(this->store(), Query({}, {CustomerSortField::kFullName, false}));
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(NamesOf(by_name->items),
            (std::vector<std::string>{"Hồ Xuân Hương", "Lê Thị Lan", "Nguyễn Văn An"}));

  ASSERT_TRUE(TrashNow(this->store(), leads[0].id).ok());
  auto deleted = SearchNow(this->store(), Query(Words({"huong"})));
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(deleted->items.empty());
  auto rest = SearchNow(this->store(), Query({}, {CustomerSortField::kAge, true}));
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(IdsOf(rest->items), (std::vector<std::string>{leads[2].id, leads[1].id}));
}

TYPED_TEST(CustomerStoreContract, SearchAnEmptyStoreAndANoMatchQueryAnswerAnEmptyLastPage) {
  auto empty = SearchNow(this->store(), Query({}, {}, 5));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->items.empty());
  EXPECT_FALSE(empty->more);
  CreateTimedLeads(*this, 5);
  SearchRequest request = Query(Words({"zzz"}));
  request.with_total = true;
  auto none = SearchNow(this->store(), request);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->items.empty());
  EXPECT_FALSE(none->more);
  EXPECT_EQ(none->total, 0);
  // A page that ends exactly at the last match says there is no more.
  auto exact = SearchNow(this->store(), Query({}, {}, 5));
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->items.size(), 5u);
  EXPECT_FALSE(exact->more);
}

}  // namespace
}  // namespace pcustomer::test
