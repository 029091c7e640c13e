#include "pcustomer/aws/aws_config_file.hpp"

#include <gtest/gtest.h>

#include "pcustomer/aws/testing/test_env.hpp"

namespace pcustomer {
namespace {

using testing::Env;
using testing::ScratchHome;

TEST(ParseIniTest, SectionsKeysCommentsAndWhiteSpace) {
  IniSections sections = ParseIni(
      "\xEF\xBB\xBF# leading comment\r\n"
      "[default]\r\n"
      "aws_access_key_id = AKIDDEFAULT\r\n"
      "  aws_secret_access_key=secret/with+signs=  \n"
      "; another comment\n"
      "\n"
      "[ profile dev ]   # trailing comment\n"
      "Region = eu-west-1 ; inline comment\n"
      "token = abc#def;ghi\n"
      "s3 =\n"
      "  max_concurrent_requests = 20\n"
      "  addressing_style = path\n"
      "output = json\n"
      "not a key line\n"
      "[default]\n"
      "aws_session_token = later\n");
  ASSERT_EQ(sections.size(), 2u);
  const auto& defaults = sections["default"];
  EXPECT_EQ(defaults.at("aws_access_key_id"), "AKIDDEFAULT");
  EXPECT_EQ(defaults.at("aws_secret_access_key"), "secret/with+signs=");
  EXPECT_EQ(defaults.at("aws_session_token"), "later");
  const auto& dev = sections["profile dev"];
  EXPECT_EQ(dev.at("region"), "eu-west-1");
  // '#' and ';' inside a value are not comments.
  EXPECT_EQ(dev.at("token"), "abc#def;ghi");
  EXPECT_EQ(dev.at("s3"), "");
  EXPECT_EQ(dev.count("max_concurrent_requests"), 0u);
  EXPECT_EQ(dev.at("output"), "json");
}

TEST(ParseIniTest, KeysOutsideSectionsAndBrokenHeadersAreIgnored) {
  IniSections sections = ParseIni("orphan = 1\n[broken\nkey = 2\n[ok]\nkey = 3");
  ASSERT_EQ(sections.size(), 1u);
  EXPECT_EQ(sections["ok"].at("key"), "3");
}

TEST(SharedFilesTest, PathsFollowTheVariables) {
  AwsSharedFilePaths defaults = SharedFilePaths(Env({}), "/home/u");
  EXPECT_EQ(defaults.credentials, "/home/u/.aws/credentials");
  EXPECT_EQ(defaults.config, "/home/u/.aws/config");
  AwsSharedFilePaths custom = SharedFilePaths(
      Env({{"AWS_SHARED_CREDENTIALS_FILE", "~/creds"}, {"AWS_CONFIG_FILE", "/etc/aws.conf"}}),
      "/home/u");
  EXPECT_EQ(custom.credentials, "/home/u/creds");
  EXPECT_EQ(custom.config, "/etc/aws.conf");
}

TEST(SharedFilesTest, ProfileMergesBothFilesWithCredentialsWinning) {
  ScratchHome home;
  home.Write(".aws/config",
             "[default]\nregion = us-east-2\n"
             "[profile dev]\nregion = eu-west-1\naws_access_key_id = FROMCONFIG\n"
             "[dev]\nregion = not-this-one\n");
  home.Write(".aws/credentials", "[dev]\naws_access_key_id = FROMCREDENTIALS\n");
  AwsSharedFilePaths paths = SharedFilePaths(Env({}), home.path());

  std::optional<AwsProfile> dev = LoadProfile(paths, "dev");
  ASSERT_TRUE(dev.has_value());
  EXPECT_EQ(dev->values.at("region"), "eu-west-1");
  EXPECT_EQ(dev->values.at("aws_access_key_id"), "FROMCREDENTIALS");

  std::optional<AwsProfile> fallback = LoadProfile(paths, "default");
  ASSERT_TRUE(fallback.has_value());
  EXPECT_EQ(fallback->values.at("region"), "us-east-2");
  EXPECT_FALSE(LoadProfile(paths, "missing").has_value());
}

TEST(SharedFilesTest, MissingFilesMeanNoProfile) {
  ScratchHome home;
  EXPECT_FALSE(LoadProfile(SharedFilePaths(Env({}), home.path()), "default").has_value());
}

TEST(ResolveRegionTest, EnvironmentThenProfile) {
  ScratchHome home;
  home.Write(".aws/config", "[default]\nregion = us-east-2\n[profile dev]\nregion = eu-west-1\n");
  EXPECT_EQ(
      ResolveRegion(Env({{"AWS_REGION", "ap-south-1"}, {"AWS_DEFAULT_REGION", "x"}}), home.path()),
      "ap-south-1");
  EXPECT_EQ(
      ResolveRegion(Env({{"AWS_REGION", ""}, {"AWS_DEFAULT_REGION", "sa-east-1"}}), home.path()),
      "sa-east-1");
  EXPECT_EQ(ResolveRegion(Env({}), home.path()), "us-east-2");
  EXPECT_EQ(ResolveRegion(Env({{"AWS_PROFILE", "dev"}}), home.path()), "eu-west-1");
  EXPECT_EQ(ResolveRegion(Env({{"AWS_PROFILE", "other"}}), home.path()), std::nullopt);
}

}  // namespace
}  // namespace pcustomer
