#include "pcustomer/aws/cognito_secret_hash.hpp"

#include <gtest/gtest.h>

namespace pcustomer {
namespace {

TEST(Base64EncodeTest, Rfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\xfe\xfd", 3)), "//79");
}

TEST(CognitoSecretHashTest, MatchesIndependentlyComputedValue) {
  // printf '%s' 'alice@example.com7d5gq2h3k4example' |
  //   openssl dgst -sha256 -hmac 'c2VjcmV0LWNsaWVudC1zZWNyZXQtdmFsdWU' -binary | base64
  EXPECT_EQ(CognitoSecretHash("alice@example.com", "7d5gq2h3k4example",
                              "c2VjcmV0LWNsaWVudC1zZWNyZXQtdmFsdWU"),
            "wlsu5RF6ZiwOdqBbwRa8OXPh0cO7X1BevG/yh2hu/gc=");
}

}  // namespace
}  // namespace pcustomer
