#include "pcustomer/auth/key_manifest.hpp"

#include <gtest/gtest.h>

namespace pcustomer {
namespace {

TEST(KeyManifest, RoundTrips) {
  const std::vector<KeyRecord> records = {{"old-kid", 100, 200, 3860}, {"new_kid", 200, {}, {}}};
  const std::string json = KeyManifestJson(records);
  EXPECT_EQ(json, R"({"keys":[{"kid":"old-kid","created":100,"retired":200,"expires":3860},)"
                  R"({"kid":"new_kid","created":200,"retired":null,"expires":null}]})");
  EXPECT_EQ(ParseKeyManifest(json).value(), records);
}

TEST(KeyManifest, RefusesWhatCouldEscapeTheDirectoryOrContradictItself) {
  for (const char* json : {
           R"({"keys":[{"kid":"../../etc/passwd","created":1}]})",
           R"({"keys":[{"kid":"a.pem","created":1}]})",
           R"({"keys":[{"kid":"","created":1}]})",
           R"({"keys":[{"kid":"a","created":1},{"kid":"a","created":2}]})",
           R"({"keys":[{"kid":"a","created":1,"retired":5}]})",
           R"({"keys":[{"kid":"a","created":"1"}]})",
           R"({"keys":[{"kid":"a"}]})",
           R"({"keys":{}})",
           "",
       }) {
    EXPECT_FALSE(ParseKeyManifest(json).ok()) << json;
  }
}

TEST(KeyManifest, KidAlphabetIsBase64Url) {
  EXPECT_TRUE(IsValidKid("AZaz09-_"));
  EXPECT_FALSE(IsValidKid("a/b"));
  EXPECT_FALSE(IsValidKid("a b"));
  EXPECT_FALSE(IsValidKid(std::string(65, 'a')));
  EXPECT_FALSE(IsValidKid(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace pcustomer
