#include "pcustomer/aws/credentials.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pcustomer/aws/http_client.hpp"
#include "pcustomer/aws/testing/fake_http_server.hpp"
#include "pcustomer/aws/testing/test_env.hpp"

namespace pcustomer {
namespace {

using testing::Env;
using testing::FakeHttpServer;
using testing::FakeReply;
using testing::FakeRequest;
using ::testing::HasSubstr;
using testing::ScratchHome;
using testing::Wait;

Result<AwsCredentials> Get(AwsCredentialsProvider& provider) {
  return Wait<AwsCredentials>([&](Done<AwsCredentials> done) { provider.GetCredentials(done); });
}

TEST(CredentialsFromEnvironmentTest, KeysAndOptionalToken) {
  auto none = CredentialsFromEnvironment(Env({}));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  auto keys = CredentialsFromEnvironment(
      Env({{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "SECRET"}}));
  ASSERT_TRUE(keys.ok());
  ASSERT_TRUE(keys->has_value());
  EXPECT_EQ((*keys)->access_key_id, "AKID");
  EXPECT_EQ((*keys)->secret_access_key, "SECRET");
  EXPECT_FALSE((*keys)->session_token.has_value());

  auto with_token = CredentialsFromEnvironment(Env({{"AWS_ACCESS_KEY_ID", "AKID"},
                                                    {"AWS_SECRET_ACCESS_KEY", "SECRET"},
                                                    {"AWS_SESSION_TOKEN", "TOKEN"}}));
  ASSERT_TRUE(with_token.ok());
  EXPECT_EQ((*with_token)->session_token, "TOKEN");
}

TEST(CredentialsFromEnvironmentTest, HalfAPairIsAConfigurationError) {
  auto missing_secret = CredentialsFromEnvironment(Env({{"AWS_ACCESS_KEY_ID", "AKID"}}));
  ASSERT_FALSE(missing_secret.ok());
  EXPECT_EQ(missing_secret.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(missing_secret.error().reasons.at(0).source, "AWS_SECRET_ACCESS_KEY");

  auto missing_key = CredentialsFromEnvironment(Env({{"AWS_SECRET_ACCESS_KEY", "S"}}));
  ASSERT_FALSE(missing_key.ok());
  EXPECT_EQ(missing_key.error().reasons.at(0).source, "AWS_ACCESS_KEY_ID");
}

class CredentialsFromProfileTest : public ::testing::Test {
 protected:
  CredentialsFromProfileTest() {
    home_.Write(".aws/credentials",
                "# keys for the default profile\n"
                "[default]\n"
                "aws_access_key_id = AKIDDEFAULT ; rotated monthly\n"
                "aws_secret_access_key = secretdefault\n"
                "\n"
                "[dev]\n"
                "  aws_access_key_id=AKIDDEV\n"
                "  aws_secret_access_key=secretdev\n"
                "  aws_session_token=tokendev\n"
                "[half]\n"
                "aws_access_key_id = AKIDHALF\n");
    home_.Write(".aws/config",
                "[default]\nregion = us-east-2\n"
                "[profile regiononly]\nregion = eu-west-1\n"
                "[profile assumed]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
                "source_profile = default\n");
  }

  ScratchHome home_;
};

TEST_F(CredentialsFromProfileTest, DefaultProfile) {
  auto credentials = CredentialsFromProfile(Env({}), home_.path());
  ASSERT_TRUE(credentials.ok());
  ASSERT_TRUE(credentials->has_value());
  EXPECT_EQ((*credentials)->access_key_id, "AKIDDEFAULT");
  EXPECT_EQ((*credentials)->secret_access_key, "secretdefault");
  EXPECT_FALSE((*credentials)->session_token.has_value());
}

TEST_F(CredentialsFromProfileTest, NamedProfile) {
  auto credentials = CredentialsFromProfile(Env({{"AWS_PROFILE", "dev"}}), home_.path());
  ASSERT_TRUE(credentials.ok());
  ASSERT_TRUE(credentials->has_value());
  EXPECT_EQ((*credentials)->access_key_id, "AKIDDEV");
  EXPECT_EQ((*credentials)->session_token, "tokendev");
}

TEST_F(CredentialsFromProfileTest, ProfileWithoutKeysIsNotAnError) {
  auto credentials = CredentialsFromProfile(Env({{"AWS_PROFILE", "regiononly"}}), home_.path());
  ASSERT_TRUE(credentials.ok());
  EXPECT_FALSE(credentials->has_value());
}

TEST_F(CredentialsFromProfileTest, BrokenProfilesAreConfigurationErrors) {
  auto half = CredentialsFromProfile(Env({{"AWS_PROFILE", "half"}}), home_.path());
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.error().code, ErrorCode::kBadRequest);
  EXPECT_THAT(half.error().reasons.at(0).desc, HasSubstr("without aws_secret_access_key"));

  auto missing = CredentialsFromProfile(Env({{"AWS_PROFILE", "nope"}}), home_.path());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().reasons.at(0).source, "AWS_PROFILE");

  auto assumed = CredentialsFromProfile(Env({{"AWS_PROFILE", "assumed"}}), home_.path());
  ASSERT_FALSE(assumed.ok());
  EXPECT_THAT(assumed.error().reasons.at(0).desc, HasSubstr("role_arn is not supported"));
}

TEST_F(CredentialsFromProfileTest, FilesNamedByTheVariables) {
  home_.Write("elsewhere",
              "[default]\naws_access_key_id = AKIDELSEWHERE\n"
              "aws_secret_access_key = s\n");
  auto credentials = CredentialsFromProfile(
      Env({{"AWS_SHARED_CREDENTIALS_FILE", home_.path() + "/elsewhere"}}), home_.path());
  ASSERT_TRUE(credentials.ok());
  ASSERT_TRUE(credentials->has_value());
  EXPECT_EQ((*credentials)->access_key_id, "AKIDELSEWHERE");
}

TEST(CredentialsFromProfileNoHomeTest, NoFilesMeansNone) {
  ScratchHome empty;
  auto credentials = CredentialsFromProfile(Env({}), empty.path());
  ASSERT_TRUE(credentials.ok());
  EXPECT_FALSE(credentials->has_value());
}

// A metadata service with a role attached: the chain's last link.
class DefaultChainTest : public ::testing::Test {
 protected:
  DefaultChainTest()
      : metadata_([this](const FakeRequest& request) {
          ++metadata_requests_;
          if (request.method == "PUT") return FakeReply::Json(200, "token");
          if (request.target == "/latest/meta-data/iam/security-credentials/") {
            return FakeReply::Json(200, "role");
          }
          return FakeReply::Json(200, R"({"Code":"Success","AccessKeyId":"AKIDIMDS",)"
                                      R"("SecretAccessKey":"s","Token":"t",)"
                                      R"("Expiration":"2999-01-01T00:00:00Z"})");
        }) {}

  std::map<std::string, std::string> BaseEnv() {
    return {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", metadata_.url()}};
  }

  ScratchHome home_;
  std::atomic<int> metadata_requests_{0};
  FakeHttpServer metadata_;
  HttpClient transport_;
};

TEST_F(DefaultChainTest, EnvironmentComesFirst) {
  home_.Write(".aws/credentials",
              "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=s\n");
  auto env = BaseEnv();
  env["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env["AWS_SECRET_ACCESS_KEY"] = "s";
  auto provider = MakeDefaultCredentialsProvider(Env(env), home_.path(), transport_);
  ASSERT_TRUE(provider.ok());
  EXPECT_EQ((*provider)->source(), "environment");
  EXPECT_EQ(Get(**provider)->access_key_id, "AKIDENV");
}

TEST_F(DefaultChainTest, ThenTheProfile) {
  home_.Write(".aws/credentials",
              "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=s\n");
  auto provider = MakeDefaultCredentialsProvider(Env(BaseEnv()), home_.path(), transport_);
  ASSERT_TRUE(provider.ok());
  EXPECT_EQ((*provider)->source(), "profile default");
  EXPECT_EQ(Get(**provider)->access_key_id, "AKIDFILE");
  EXPECT_EQ(metadata_requests_, 0);
}

TEST_F(DefaultChainTest, ThenInstanceMetadata) {
  auto provider = MakeDefaultCredentialsProvider(Env(BaseEnv()), home_.path(), transport_);
  ASSERT_TRUE(provider.ok());
  EXPECT_EQ((*provider)->source(), "EC2 instance metadata");
  auto credentials = Get(**provider);
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "AKIDIMDS");
  EXPECT_EQ(credentials->session_token, "t");
}

TEST_F(DefaultChainTest, BrokenConfigurationStopsTheChain) {
  auto env = BaseEnv();
  env["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  auto provider = MakeDefaultCredentialsProvider(Env(env), home_.path(), transport_);
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(provider.error().code, ErrorCode::kBadRequest);
}

TEST_F(DefaultChainTest, NothingAvailableSaysWhatToDo) {
  auto env = BaseEnv();
  env["AWS_EC2_METADATA_DISABLED"] = "TRUE";
  auto provider = MakeDefaultCredentialsProvider(Env(env), home_.path(), transport_);
  ASSERT_TRUE(provider.ok());
  auto credentials = Get(**provider);
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(credentials.error().message,
              HasSubstr("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                        "AWS_PROFILE, or run on EC2 with an instance role"));
  EXPECT_EQ(metadata_requests_, 0);
}

TEST(DefaultChainNoMetadataTest, UnreachableMetadataFailsFastWithTheSameMessage) {
  ScratchHome home;
  HttpClient transport;
  // A port nothing listens on: connection refused, as on a machine off EC2 with a firewall.
  auto provider = MakeDefaultCredentialsProvider(
      Env({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9"}}), home.path(), transport);
  ASSERT_TRUE(provider.ok());
  auto credentials = Get(**provider);
  ASSERT_FALSE(credentials.ok());
  EXPECT_THAT(credentials.error().message, HasSubstr("no AWS credentials"));
  EXPECT_THAT(credentials.error().message, HasSubstr("instance metadata:"));
}

}  // namespace
}  // namespace pcustomer
