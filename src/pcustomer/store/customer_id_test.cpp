#include "pcustomer/store/customer_id.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>
#include <vector>

namespace pcustomer {
namespace {

constexpr int64_t kMilli = 1'795'545'750'015;

TEST(CustomerIdGenerator, IdIsMillisTimesThousandPlusSequence) {
  CustomerIdGenerator ids([] { return kMilli; });
  IssuedId first = ids.Next();
  IssuedId second = ids.Next();
  EXPECT_EQ(first.id, "CUSTOMER#1795545750015000");
  EXPECT_EQ(second.id, "CUSTOMER#1795545750015001");
  EXPECT_EQ(first.unix_millis, kMilli);
  EXPECT_EQ(second.unix_millis, kMilli);
  EXPECT_TRUE(IsCustomerId(first.id));
}

TEST(CustomerIdGenerator, NeverDecreasesWhenTheClockStepsBack) {
  std::atomic<int64_t> now{kMilli};
  CustomerIdGenerator ids([&] { return now.load(); });
  std::vector<std::string> issued{ids.Next().id};
  now = kMilli - 60'000;  // a minute back
  issued.push_back(ids.Next().id);
  issued.push_back(ids.Next().id);
  now = kMilli;
  issued.push_back(ids.Next().id);
  now = kMilli + 1;
  issued.push_back(ids.Next().id);
  for (size_t i = 1; i < issued.size(); ++i) {
    EXPECT_LT(issued[i - 1], issued[i]) << i;
    EXPECT_LT(*CustomerIdValue(issued[i - 1]), *CustomerIdValue(issued[i])) << i;
  }
  // Back on a fresh millisecond, the id starts that millisecond's range again.
  EXPECT_EQ(issued.back(), "CUSTOMER#1795545750016000");
}

TEST(CustomerIdGenerator, SequenceOverflowRunsIntoTheNextMillisecond) {
  CustomerIdGenerator ids([] { return kMilli; });
  IssuedId last;
  for (int i = 0; i <= kIdsPerMilli; ++i) last = ids.Next();
  EXPECT_EQ(last.id, "CUSTOMER#1795545750016000");
  EXPECT_EQ(last.unix_millis, kMilli + 1);
}

TEST(CustomerIdGenerator, NextAfterSkipsPastTheTakenId) {
  CustomerIdGenerator ids([] { return kMilli; });
  EXPECT_EQ(ids.NextAfter("CUSTOMER#1795545750015041").id, "CUSTOMER#1795545750015042");
  EXPECT_EQ(ids.Next().id, "CUSTOMER#1795545750015043");
  // An older or unparsable taken id adds nothing.
  EXPECT_EQ(ids.NextAfter("CUSTOMER#12").id, "CUSTOMER#1795545750015044");
  EXPECT_EQ(ids.NextAfter("nonsense").id, "CUSTOMER#1795545750015045");
}

TEST(CustomerIdGenerator, IdsAreUniqueAcrossThreads) {
  CustomerIdGenerator ids;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 5000;
  std::vector<std::vector<std::string>> issued(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) issued[t].push_back(ids.Next().id);
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& mine : issued) {
    EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
    all.insert(mine.begin(), mine.end());
  }
  EXPECT_EQ(all.size(), size_t{kThreads * kPerThread});
}

TEST(IsCustomerId, AcceptsPrefixAndOneToTwentyDigits) {
  EXPECT_TRUE(IsCustomerId("CUSTOMER#0"));
  EXPECT_TRUE(IsCustomerId("CUSTOMER#1795545750015"));
  EXPECT_TRUE(IsCustomerId("CUSTOMER#1795545750015000"));
  EXPECT_TRUE(IsCustomerId("CUSTOMER#" + std::string(20, '9')));
}

TEST(IsCustomerId, RejectsEverythingElse) {
  EXPECT_FALSE(IsCustomerId(""));
  EXPECT_FALSE(IsCustomerId("CUSTOMER#"));
  EXPECT_FALSE(IsCustomerId("CUSTOMER#" + std::string(21, '1')));
  EXPECT_FALSE(IsCustomerId("customer#123"));
  EXPECT_FALSE(IsCustomerId("CUSTOMER123"));
  EXPECT_FALSE(IsCustomerId("CUSTOMER#12a"));
  EXPECT_FALSE(IsCustomerId("CUSTOMER#-12"));
  EXPECT_FALSE(IsCustomerId("CUSTOMER#+12"));
  EXPECT_FALSE(IsCustomerId("CUSTOMER# 12"));
  EXPECT_FALSE(IsCustomerId(" CUSTOMER#12"));
  EXPECT_FALSE(IsCustomerId("CUSTOMER#12\n"));
  EXPECT_FALSE(
      IsCustomerId(std::string_view("CUSTOMER#1\0"
                                    "2",
                                    12)));
  EXPECT_FALSE(IsCustomerId("CUSTOMER#١٢"));  // Arabic-Indic digits
}

TEST(CustomerIdValue, ParsesDigitsThatFitAndRefusesTheRest) {
  EXPECT_EQ(CustomerIdValue("CUSTOMER#1795545750015000"), 1795545750015000);
  EXPECT_EQ(CustomerIdValue("CUSTOMER#007"), 7);
  EXPECT_EQ(CustomerIdValue("CUSTOMER#" + std::string(20, '9')), std::nullopt);
  EXPECT_EQ(CustomerIdValue("CUSTOMER#x"), std::nullopt);
  EXPECT_EQ(FormatCustomerId(42), "CUSTOMER#42");
}

}  // namespace
}  // namespace pcustomer
