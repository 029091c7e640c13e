#include "pcustomer/api/cursor.hpp"

#include <gtest/gtest.h>

#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

const CursorCodec kCodec(std::string(32, 'k'));

TEST(Cursor, RoundTripsAnId) {
  std::string cursor = kCodec.Encode("CUSTOMER#1795545750015000");
  auto decoded = kCodec.Decode(cursor);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, "CUSTOMER#1795545750015000");
}

TEST(Cursor, IsOpaqueUrlSafeText) {
  std::string cursor = kCodec.Encode("CUSTOMER#1");
  EXPECT_EQ(
      cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
      std::string::npos);
  EXPECT_EQ(cursor.find("CUSTOMER"), std::string::npos);
}

TEST(Cursor, RefusesEveryOneCharacterEdit) {
  std::string cursor = kCodec.Encode("CUSTOMER#1795545750015000");
  for (size_t i = 0; i < cursor.size(); ++i) {
    std::string edited = cursor;
    edited[i] = edited[i] == 'A' ? 'B' : 'A';
    auto decoded = kCodec.Decode(edited);
    EXPECT_FALSE(decoded.ok() && *decoded != "CUSTOMER#1795545750015000") << "position " << i;
  }
}

TEST(Cursor, RefusesCursorsOfAnotherKey) {
  CursorCodec other(std::string(32, 'x'));
  EXPECT_FALSE(kCodec.Decode(other.Encode("CUSTOMER#1")).ok());
}

TEST(Cursor, RefusesForgedAndGarbageInput) {
  // The reference's cursor: base64 of the LastEvaluatedKey JSON, with no tag.
  std::string reference =
      Base64UrlEncode(R"({"type":{"S":"potential_customer"},"id":{"S":"CUSTOMER#1"}})");
  for (std::string bad :
       {std::string(""), std::string("."), std::string("abc"), reference, reference + ".AAAA",
        std::string(600, 'A') + ".AA", kCodec.Encode("CUSTOMER#1").substr(0, 10),
        std::string("\xff\xfe.\x01")}) {
    auto decoded = kCodec.Decode(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.error().code, ErrorCode::kBadRequest);
  }
}

Customer LastLead() {
  Customer last;
  last.id = "CUSTOMER#1795545750015000";
  last.full_name = "Đặng Thị Thu Thảo";
  last.age = 34;
  return last;
}

TEST(SearchCursor, RoundTripsWhatItsSortNeeds) {
  const std::string by_name = kCodec.EncodeSearch("fp1", CustomerSortField::kFullName, LastLead());
  auto name = kCodec.DecodeSearch(by_name, "fp1", CustomerSortField::kFullName);
  ASSERT_TRUE(name.ok()) << name.error().Described();
  EXPECT_EQ(name->id, LastLead().id);
  EXPECT_EQ(name->full_name, LastLead().full_name);
  const std::string by_age = kCodec.EncodeSearch("fp2", CustomerSortField::kAge, LastLead());
  auto age = kCodec.DecodeSearch(by_age, "fp2", CustomerSortField::kAge);
  ASSERT_TRUE(age.ok());
  EXPECT_EQ(age->id, LastLead().id);
  EXPECT_EQ(age->age, 34);
  EXPECT_TRUE(age->full_name.empty());
  const std::string by_id = kCodec.EncodeSearch("fp3", CustomerSortField::kCreateAt, LastLead());
  auto id = kCodec.DecodeSearch(by_id, "fp3", CustomerSortField::kCreateAt);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->id, LastLead().id);
  EXPECT_EQ(by_id.find("CUSTOMER"), std::string::npos);
}

TEST(SearchCursor, ACursorOfAnotherQueryIsRefusedNamingStartKey) {
  const std::string search = kCodec.EncodeSearch("fp1", CustomerSortField::kFullName, LastLead());
  const std::string listing = kCodec.Encode(LastLead().id);
  for (auto decoded : {kCodec.DecodeSearch(search, "fp2", CustomerSortField::kFullName),
                       kCodec.DecodeSearch(listing, "fp1", CustomerSortField::kFullName)}) {
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().code, ErrorCode::kBadRequest);
    EXPECT_EQ(decoded.error().reasons.front().source, "startKey");
    EXPECT_NE(decoded.error().reasons.front().desc.find("another query"), std::string::npos);
  }
  auto as_listing = kCodec.Decode(search);
  ASSERT_FALSE(as_listing.ok());
  EXPECT_NE(as_listing.error().reasons.front().desc.find("another query"), std::string::npos);
}

TEST(SearchCursor, RefusesEveryOneCharacterEditAndForeignKeys) {
  const std::string cursor = kCodec.EncodeSearch("fp", CustomerSortField::kAge, LastLead());
  for (size_t i = 0; i < cursor.size(); ++i) {
    std::string edited = cursor;
    edited[i] = edited[i] == 'A' ? 'B' : 'A';
    auto decoded = kCodec.DecodeSearch(edited, "fp", CustomerSortField::kAge);
    EXPECT_FALSE(decoded.ok() && (decoded->id != LastLead().id || decoded->age != 34))
        << "position " << i;
  }
  const CursorCodec other(std::string(32, 'x'));
  EXPECT_FALSE(kCodec
                   .DecodeSearch(other.EncodeSearch("fp", CustomerSortField::kAge, LastLead()),
                                 "fp", CustomerSortField::kAge)
                   .ok());
}

TEST(SearchCursor, CarriesTheLongestNames) {
  Customer last = LastLead();
  last.full_name.clear();
  while (last.full_name.size() < 390) last.full_name += "Ữ";  // 3 bytes each, the longest names
  const std::string cursor =
      kCodec.EncodeSearch("0123456789abcdef", CustomerSortField::kFullName, last);
  auto decoded = kCodec.DecodeSearch(cursor, "0123456789abcdef", CustomerSortField::kFullName);
  ASSERT_TRUE(decoded.ok()) << cursor.size();
  EXPECT_EQ(decoded->full_name, last.full_name);
}

}  // namespace
}  // namespace pcustomer
