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
  EXPECT_EQ(cursor.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
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
  std::string reference = Base64UrlEncode(R"({"type":{"S":"potential_customer"},"id":{"S":"CUSTOMER#1"}})");
  for (std::string bad : {std::string(""), std::string("."), std::string("abc"), reference,
                          reference + ".AAAA", std::string(600, 'A') + ".AA",
                          kCodec.Encode("CUSTOMER#1").substr(0, 10), std::string("\xff\xfe.\x01")}) {
    auto decoded = kCodec.Decode(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.error().code, ErrorCode::kBadRequest);
  }
}

}  // namespace
}  // namespace pcustomer
