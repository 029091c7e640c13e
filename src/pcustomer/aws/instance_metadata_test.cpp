#include "pcustomer/aws/instance_metadata.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "pcustomer/aws/http_client.hpp"
#include "pcustomer/aws/testing/fake_http_server.hpp"
#include "pcustomer/aws/testing/test_env.hpp"
#include "pcustomer/util/clock.hpp"

namespace pcustomer {
namespace {

using testing::Env;
using testing::FakeHttpServer;
using testing::FakeReply;
using testing::FakeRequest;
using ::testing::HasSubstr;
using testing::Wait;

constexpr int64_t kStart = 1'700'000'000;  // 2023-11-14T22:13:20Z
constexpr const char* kRolePath = "/latest/meta-data/iam/security-credentials/";

// An IMDSv2 service: PUT for a token, then GETs that must carry it (401 otherwise, as EC2
// answers when IMDSv1 is turned off). Each credentials document is numbered and valid for
// `lifetime` seconds from `now`.
class FakeMetadataService {
 public:
  FakeMetadataService() : server_([this](const FakeRequest& request) { return Answer(request); }) {}

  std::string url() const { return server_.url(); }
  int credential_fetches() const { return credential_fetches_; }
  int unauthorized() const { return unauthorized_; }
  void set_now(int64_t now) { now_ = now; }
  void set_failing(bool failing) { failing_ = failing; }
  void set_role(std::string role) {
    std::lock_guard lock(mutex_);
    role_ = std::move(role);
  }

 private:
  FakeReply Answer(const FakeRequest& request) {
    if (failing_) return FakeReply::Json(500, "");
    if (request.method == "PUT" && request.target == "/latest/api/token") {
      if (!request.headers.Contains("X-aws-ec2-metadata-token-ttl-seconds")) {
        return FakeReply::Json(400, "");
      }
      return FakeReply::Json(200, "session-token-1");
    }
    if (request.headers.Find("X-aws-ec2-metadata-token") != "session-token-1") {
      ++unauthorized_;
      return FakeReply::Json(401, "");
    }
    std::string role;
    {
      std::lock_guard lock(mutex_);
      role = role_;
    }
    if (request.target == kRolePath) {
      return role.empty() ? FakeReply::Json(404, "") : FakeReply::Json(200, role + "\n");
    }
    if (request.target == kRolePath + role) {
      int number = ++credential_fetches_;
      std::string expiration = FormatIsoMillis((now_ + 3600) * 1000);
      return FakeReply::Json(200, R"({"Code":"Success","LastUpdated":"2023-11-14T22:00:00Z",)"
                                  R"("Type":"AWS-HMAC","AccessKeyId":"ASIA)" +
                                      std::to_string(number) +
                                      R"(","SecretAccessKey":"secret","Token":"token",)"
                                      R"("Expiration":")" +
                                      expiration + "\"}");
    }
    return FakeReply::Json(404, "");
  }

  std::mutex mutex_;
  std::string role_ = "app-role";
  std::atomic<int64_t> now_{kStart};
  std::atomic<int> credential_fetches_{0};
  std::atomic<int> unauthorized_{0};
  std::atomic<bool> failing_{false};
  FakeHttpServer server_;  // last: its thread calls Answer
};

class InstanceMetadataTest : public ::testing::Test {
 protected:
  InstanceMetadataOptions Options() {
    InstanceMetadataOptions options;
    options.endpoint = service_.url();
    options.now_seconds = [this] { return now_.load(); };
    return options;
  }

  Result<AwsCredentials> Get(AwsCredentialsProvider& provider) {
    return Wait<AwsCredentials>([&](Done<AwsCredentials> done) { provider.GetCredentials(done); });
  }

  std::atomic<int64_t> now_{kStart};
  FakeMetadataService service_;
  HttpClient transport_;
};

TEST_F(InstanceMetadataTest, FetchesRoleCredentialsWithASessionToken) {
  InstanceMetadataCredentialsProvider provider(transport_, Options());
  auto credentials = Get(provider);
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "ASIA1");
  EXPECT_EQ(credentials->secret_access_key, "secret");
  EXPECT_EQ(credentials->session_token, "token");
  EXPECT_EQ(credentials->expires_at, kStart + 3600);
  EXPECT_EQ(service_.unauthorized(), 0);
}

TEST_F(InstanceMetadataTest, TheFakeRefusesRequestsWithoutTheToken) {
  HttpRequest request;
  request.url = service_.url() + kRolePath;
  auto answer = testing::SendAndWait(transport_, request);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 401);
}

TEST_F(InstanceMetadataTest, CachesUntilFiveMinutesBeforeExpiryThenRefreshes) {
  InstanceMetadataCredentialsProvider provider(transport_, Options());
  ASSERT_EQ(Get(provider)->access_key_id, "ASIA1");
  now_ = kStart + 3600 - 301;
  EXPECT_EQ(Get(provider)->access_key_id, "ASIA1");
  EXPECT_EQ(service_.credential_fetches(), 1);

  now_ = kStart + 3600 - 300;
  service_.set_now(now_);
  auto refreshed = Get(provider);
  ASSERT_TRUE(refreshed.ok());
  EXPECT_EQ(refreshed->access_key_id, "ASIA2");
  EXPECT_EQ(refreshed->expires_at, now_ + 3600);
  EXPECT_EQ(service_.credential_fetches(), 2);
}

TEST_F(InstanceMetadataTest, ConcurrentCallersShareOneFetch) {
  InstanceMetadataCredentialsProvider provider(transport_, Options());
  std::vector<std::thread> threads;
  std::atomic<int> answered{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (Get(provider).ok()) ++answered;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(answered, 8);
  EXPECT_EQ(service_.credential_fetches(), 1);
}

TEST_F(InstanceMetadataTest, FailedRefreshKeepsUnexpiredCredentials) {
  InstanceMetadataCredentialsProvider provider(transport_, Options());
  ASSERT_TRUE(Get(provider).ok());
  service_.set_failing(true);
  now_ = kStart + 3600 - 60;  // in the refresh window, not yet expired
  auto stale = Get(provider);
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(stale->access_key_id, "ASIA1");

  now_ = kStart + 3600;  // expired: and the hold is over too
  auto expired = Get(provider);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(expired.error().message, HasSubstr("instance metadata: no session token"));
}

TEST_F(InstanceMetadataTest, FailureIsHeldBrieflyThenRetried) {
  service_.set_role("");
  InstanceMetadataCredentialsProvider provider(transport_, Options());
  auto first = Get(provider);
  ASSERT_FALSE(first.ok());
  EXPECT_THAT(first.error().message, HasSubstr("no IAM role is attached"));

  service_.set_role("app-role");
  EXPECT_FALSE(Get(provider).ok());  // held: no new fetch yet
  EXPECT_EQ(service_.credential_fetches(), 0);
  now_ = kStart + 5;
  EXPECT_TRUE(Get(provider).ok());
}

TEST_F(InstanceMetadataTest, UnreachableServiceFailsWithinTheTimeout) {
  InstanceMetadataOptions options = Options();
  options.endpoint = "http://127.0.0.1:9";
  InstanceMetadataCredentialsProvider provider(transport_, options);
  auto credentials = Get(provider);
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(credentials.error().message, HasSubstr("instance metadata:"));
}

TEST_F(InstanceMetadataTest, ProviderMayGoWhileAFetchIsInFlight) {
  auto provider = std::make_unique<InstanceMetadataCredentialsProvider>(transport_, Options());
  auto result = Wait<AwsCredentials>([&](Done<AwsCredentials> done) {
    provider->GetCredentials(done);
    provider.reset();
  });
  EXPECT_TRUE(result.ok());
}

TEST(InstanceMetadataConfigTest, EndpointAndDisabledFromTheEnvironment) {
  EXPECT_EQ(InstanceMetadataEndpoint(Env({})), "http://169.254.169.254");
  EXPECT_EQ(InstanceMetadataEndpoint(
                Env({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338/"}})),
            "http://127.0.0.1:1338");
  EXPECT_FALSE(InstanceMetadataDisabled(Env({})));
  EXPECT_FALSE(InstanceMetadataDisabled(Env({{"AWS_EC2_METADATA_DISABLED", "false"}})));
  EXPECT_TRUE(InstanceMetadataDisabled(Env({{"AWS_EC2_METADATA_DISABLED", "True"}})));
}

TEST(ParseInstanceCredentialsTest, Documents) {
  auto parsed = ParseInstanceCredentials(
      R"({"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S","Token":"T",)"
      R"("Expiration":"2015-08-30T12:36:00Z"})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->expires_at, 1440938160);
  EXPECT_FALSE(ParseInstanceCredentials("not json").ok());
  EXPECT_FALSE(ParseInstanceCredentials(R"({"Code":"Failure"})").ok());
  EXPECT_FALSE(ParseInstanceCredentials(R"({"AccessKeyId":"A"})").ok());
  EXPECT_FALSE(
      ParseInstanceCredentials(R"({"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"soon"})")
          .ok());
}

TEST(ParseIsoUtcSecondsTest, Forms) {
  EXPECT_EQ(ParseIsoUtcSeconds("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseIsoUtcSeconds("2015-08-30T12:36:00Z"), 1440938160);
  EXPECT_EQ(ParseIsoUtcSeconds("2015-08-30T12:36:00.250Z"), 1440938160);
  EXPECT_EQ(ParseIsoUtcSeconds("2015-08-30T12:36:00+00:00"), 1440938160);
  EXPECT_EQ(ParseIsoUtcSeconds("2024-02-29T00:00:00Z"), 1709164800);
  EXPECT_EQ(ParseIsoUtcSeconds("2023-02-29T00:00:00Z"), std::nullopt);
  EXPECT_EQ(ParseIsoUtcSeconds("2015-08-30 12:36:00Z"), std::nullopt);
  EXPECT_EQ(ParseIsoUtcSeconds("2015-08-30T12:36:00+02:00"), std::nullopt);
}

}  // namespace
}  // namespace pcustomer
