#include "pcustomer/aws/dynamodb_http_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "pcustomer/aws/http_client.hpp"
#include "pcustomer/aws/sigv4.hpp"
#include "pcustomer/aws/testing/fake_http_server.hpp"
#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

using std::chrono::milliseconds;
using testing::FakeHttpServer;
using testing::FakeReply;
using testing::FakeRequest;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr int64_t kNow = 1440938160;  // 20150830T123600Z
constexpr const char* kGetItem = R"({"TableName":"pcustomers","Key":{"pk":{"S":"c#1"}}})";

FakeReply Exception(int status, const std::string& type, const std::string& message = "m") {
  return FakeReply::Json(status, R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + type +
                                     R"(","message":")" + message + R"("})");
}

// Waits for a call's answer; a call that never answers fails the test.
DynamoDbResult WaitForCall(const std::function<void(DynamoDbDone)>& start) {
  auto promise = std::make_shared<std::promise<DynamoDbResult>>();
  std::future<DynamoDbResult> future = promise->get_future();
  start([promise](DynamoDbResult result) { promise->set_value(std::move(result)); });
  if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    return DynamoDbCallError::Internal("test: no answer within 20 s");
  }
  return future.get();
}

class FailingCredentials final : public AwsCredentialsProvider {
 public:
  void GetCredentials(Done<AwsCredentials> done) override {
    done(Error::Unavailable("no AWS credentials: test"));
  }
  std::string source() const override { return "none"; }
};

// A scripted DynamoDB: answers with the queued replies in turn, then with the last one.
class DynamoDbHttpClientTest : public ::testing::Test {
 protected:
  DynamoDbHttpClientTest()
      : credentials_(AwsCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                    std::nullopt, std::nullopt},
                     "test"),
        server_([this](const FakeRequest&) { return NextReply(); }) {}

  void Script(std::vector<FakeReply> replies) {
    std::lock_guard lock(mutex_);
    replies_.assign(replies.begin(), replies.end());
  }

  FakeReply NextReply() {
    std::lock_guard lock(mutex_);
    if (replies_.empty()) return FakeReply::Json(200, "{}");
    FakeReply reply = replies_.front();
    if (replies_.size() > 1) replies_.pop_front();
    return reply;
  }

  // Delays are recorded, and waited for on a thread of the test's own so that the backoff
  // really is asynchronous; jitter is pinned.
  DynamoDbHttpClientOptions Options() {
    DynamoDbHttpClientOptions options;
    options.endpoint = AwsEndpoint{server_.url(), true};
    options.region = "eu-west-1";
    options.attempt_timeout = std::chrono::seconds(5);
    options.jitter = [] { return 0.5; };
    options.now_seconds = [] { return kNow; };
    options.sleep = [this](milliseconds delay, std::function<void()> then) {
      {
        std::lock_guard lock(mutex_);
        delays_.push_back(delay);
      }
      std::thread([then = std::move(then)] { then(); }).detach();
    };
    return options;
  }

  DynamoDbResult CallAndWait(DynamoDbClient& client, std::string_view operation,
                             std::string body = kGetItem) {
    return WaitForCall(
        [&](DynamoDbDone done) { client.Call(operation, std::move(body), std::move(done)); });
  }

  std::vector<milliseconds> delays() {
    std::lock_guard lock(mutex_);
    return delays_;
  }

  StaticCredentialsProvider credentials_;
  HttpClient transport_;
  std::mutex mutex_;
  std::deque<FakeReply> replies_;
  std::vector<milliseconds> delays_;
  FakeHttpServer server_;
};

TEST_F(DynamoDbHttpClientTest, SendsASignedJsonRequest) {
  Script({FakeReply::Json(200, R"({"Item":{"pk":{"S":"c#1"}}})")});
  DynamoDbHttpClient client(Options(), transport_, credentials_);
  auto result = CallAndWait(client, "GetItem");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, R"({"Item":{"pk":{"S":"c#1"}}})");

  const std::vector<FakeRequest> requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const FakeRequest& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/");
  EXPECT_EQ(request.body, kGetItem);
  EXPECT_EQ(request.headers.Find("X-Amz-Target"), "DynamoDB_20120810.GetItem");
  EXPECT_EQ(request.headers.Find("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(request.headers.Find("X-Amz-Date"), "20150830T123600Z");
  EXPECT_FALSE(request.headers.Contains("X-Amz-Security-Token"));
  std::string authorization(request.headers.Find("Authorization").value_or(""));
  EXPECT_THAT(authorization,
              MatchesRegex("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/dynamodb/"
                           "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                           "Signature=[0-9a-f]{64}"));

  // What arrived is what was signed: the server's own check gives the same signature.
  HttpHeaders signed_headers;
  for (const char* name : {"Content-Type", "Host", "X-Amz-Date", "X-Amz-Target"}) {
    signed_headers.Add(name, std::string(request.headers.Find(name).value_or("")));
  }
  CanonicalRequest canonical = MakeCanonicalRequest(request.method, request.target, signed_headers,
                                                    HexEncode(Sha256(request.body)));
  std::string signature = SignatureHex(
      SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "eu-west-1", "dynamodb"),
      StringToSign("20150830T123600Z", "20150830/eu-west-1/dynamodb/aws4_request", canonical.text));
  EXPECT_TRUE(authorization.ends_with("Signature=" + signature));
}

TEST_F(DynamoDbHttpClientTest, SessionTokenIsSentAndSigned) {
  StaticCredentialsProvider temporary(
      AwsCredentials{"ASIAEXAMPLE", "secret", "the-token", kNow + 3600}, "test");
  DynamoDbHttpClient client(Options(), transport_, temporary);
  ASSERT_TRUE(CallAndWait(client, "GetItem").ok());
  const FakeRequest request = server_.requests().at(0);
  EXPECT_EQ(request.headers.Find("X-Amz-Security-Token"), "the-token");
  EXPECT_THAT(std::string(request.headers.Find("Authorization").value_or("")),
              HasSubstr("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;"
                        "x-amz-target,"));
}

TEST_F(DynamoDbHttpClientTest, RetriesA500ThenSucceeds) {
  Script({Exception(500, "InternalServerError"), FakeReply::Json(200, "{}")});
  DynamoDbHttpClient client(Options(), transport_, credentials_);
  auto result = CallAndWait(client, "GetItem");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(server_.requests().size(), 2u);
  EXPECT_EQ(delays(), (std::vector<milliseconds>{milliseconds(25)}));
}

TEST_F(DynamoDbHttpClientTest, GivesUpAfterThreeAttemptsWithFullJitterBackoff) {
  Script({FakeReply::Json(503, "")});
  DynamoDbHttpClient client(Options(), transport_, credentials_);
  auto result = CallAndWait(client, "Query");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, DynamoDbFailure::kUnavailable);
  EXPECT_EQ(result.error().retry_after_seconds, 1);
  EXPECT_THAT(result.error().message, HasSubstr("after 3 attempts"));
  EXPECT_EQ(server_.requests().size(), 3u);
  // Half of 50 ms, then half of 100 ms.
  EXPECT_EQ(delays(), (std::vector<milliseconds>{milliseconds(25), milliseconds(50)}));
}

TEST_F(DynamoDbHttpClientTest, ThrottlingIsRetried) {
  for (const char* type :
       {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}) {
    SCOPED_TRACE(type);
    Script({Exception(400, type), FakeReply::Json(200, "{}")});
    size_t before = server_.requests().size();
    DynamoDbHttpClient client(Options(), transport_, credentials_);
    ASSERT_TRUE(CallAndWait(client, "PutItem").ok());
    EXPECT_EQ(server_.requests().size() - before, 2u);
  }
}

TEST_F(DynamoDbHttpClientTest, ThrottlingThatOutlastsTheRetriesIsThrottled) {
  Script({Exception(400, "ThrottlingException")});
  DynamoDbHttpClient client(Options(), transport_, credentials_);
  auto result = CallAndWait(client, "PutItem");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, DynamoDbFailure::kThrottled);
  EXPECT_EQ(result.error().retry_after_seconds, 1);
  EXPECT_THAT(result.error().message, HasSubstr("after 3 attempts"));
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_F(DynamoDbHttpClientTest, ConditionalCheckFailedIsNeverRetried) {
  Script({Exception(400, "ConditionalCheckFailedException", "The conditional request failed")});
  DynamoDbHttpClient client(Options(), transport_, credentials_);
  auto result = CallAndWait(client, "PutItem");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, DynamoDbFailure::kConditionFailed);
  EXPECT_EQ(result.error().message, "ConditionalCheckFailedException");
  EXPECT_EQ(server_.requests().size(), 1u);
}

// The first attempt may have written the item; the retry then fails its own condition.
TEST_F(DynamoDbHttpClientTest, ConflictAfterAnUnknownOutcomeSaysSo) {
  Script({FakeReply::Drop(), Exception(400, "ConditionalCheckFailedException")});
  DynamoDbHttpClient client(Options(), transport_, credentials_);
  auto result = CallAndWait(client, "PutItem");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, DynamoDbFailure::kOutcomeUnknown);
  EXPECT_EQ(result.error().message, "ConditionalCheckFailedException");
  EXPECT_EQ(server_.requests().size(), 2u);
}

TEST_F(DynamoDbHttpClientTest, ConflictAfterThrottlingIsPlain) {
  Script(
      {Exception(400, "ThrottlingException"), Exception(400, "ConditionalCheckFailedException")});
  DynamoDbHttpClient client(Options(), transport_, credentials_);
  auto result = CallAndWait(client, "UpdateItem");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, DynamoDbFailure::kConditionFailed);
}

TEST_F(DynamoDbHttpClientTest, ValidationExceptionIsRefusedWithItsMessage) {
  Script(
      {Exception(400, "ValidationException", "Item size has exceeded the maximum allowed size")});
  DynamoDbHttpClient client(Options(), transport_, credentials_);
  auto result = CallAndWait(client, "PutItem");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, DynamoDbFailure::kValidation);
  EXPECT_EQ(result.error().message, "Item size has exceeded the maximum allowed size");
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(DynamoDbHttpClientTest, MissingTableIsNamedAndNotRetried) {
  Script({Exception(400, "ResourceNotFoundException", "Requested resource not found")});
  DynamoDbHttpClient client(Options(), transport_, credentials_);
  auto result = CallAndWait(client, "GetItem");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, DynamoDbFailure::kTableMissing);
  EXPECT_EQ(result.error().message, "DynamoDB table \"pcustomers\" not found");
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(DynamoDbHttpClientTest, RefusedCredentialsAreNotRetried) {
  Script({FakeReply::Json(
      400, R"({"__type":"com.amazon.coral.service#UnrecognizedClientException",)"
           R"("message":"The security token included in the request is invalid."})")});
  DynamoDbHttpClient client(Options(), transport_, credentials_);
  auto result = CallAndWait(client, "GetItem");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, DynamoDbFailure::kUnavailable);
  EXPECT_THAT(result.error().message, HasSubstr("credentials"));
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(DynamoDbHttpClientTest, SlowAnswersTimeOutAndAreRetriedWithinABound) {
  Script({FakeReply::Hang()});
  DynamoDbHttpClientOptions options = Options();
  options.attempt_timeout = milliseconds(200);
  DynamoDbHttpClient client(options, transport_, credentials_);
  auto result = CallAndWait(client, "GetItem");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, DynamoDbFailure::kUnavailable);
  EXPECT_THAT(result.error().message, HasSubstr("after 3 attempts"));
  // Regression: this asserted exactly 3 requests at the server, but on a loaded machine an
  // attempt can time out before its request has even arrived there. The client's own count
  // (the message above) is exact; the server sees at most that many.
  EXPECT_GE(server_.requests().size(), 1u);
  EXPECT_LE(server_.requests().size(), 3u);
}

TEST_F(DynamoDbHttpClientTest, DroppedConnectionIsRetried) {
  Script({FakeReply::Drop(), FakeReply::Json(200, R"({"Count":0})")});
  DynamoDbHttpClient client(Options(), transport_, credentials_);
  auto result = CallAndWait(client, "Query");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, R"({"Count":0})");
  EXPECT_EQ(server_.requests().size(), 2u);
}

TEST_F(DynamoDbHttpClientTest, MissingCredentialsFailOffTheCallersThread) {
  FailingCredentials none;
  DynamoDbHttpClientOptions options = Options();
  options.sleep = {};  // the client's own timer thread
  DynamoDbHttpClient client(options, transport_, none);
  std::thread::id caller = std::this_thread::get_id();
  std::thread::id answered_on;
  auto result = WaitForCall([&](DynamoDbDone done) {
    client.Call("GetItem", kGetItem, [&answered_on, done](DynamoDbResult answer) {
      answered_on = std::this_thread::get_id();
      done(std::move(answer));
    });
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, DynamoDbFailure::kUnavailable);
  EXPECT_THAT(result.error().message, HasSubstr("no AWS credentials"));
  EXPECT_NE(answered_on, caller);
  EXPECT_EQ(server_.requests().size(), 0u);
}

TEST_F(DynamoDbHttpClientTest, OwnTimerBacksOffWithoutBlockingTheCaller) {
  Script({Exception(500, "InternalServerError"), FakeReply::Json(200, "{}")});
  DynamoDbHttpClientOptions options = Options();
  options.sleep = {};
  DynamoDbHttpClient client(options, transport_, credentials_);
  auto result = CallAndWait(client, "GetItem");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(server_.requests().size(), 2u);
}

TEST_F(DynamoDbHttpClientTest, DestroyingTheClientEndsAPendingBackoff) {
  Script({Exception(500, "InternalServerError")});
  DynamoDbHttpClientOptions options = Options();
  options.sleep = {};
  options.backoff_base = std::chrono::hours(1);
  options.backoff_cap = std::chrono::hours(1);
  // The jitter is drawn just before the backoff is scheduled: once it has been, the retry
  // waits on the timer. (Waiting a fixed 100 ms instead failed on a loaded machine.)
  auto backing_off = std::make_shared<std::promise<void>>();
  options.jitter = [backing_off] {
    backing_off->set_value();
    return 0.5;
  };
  auto client = std::make_unique<DynamoDbHttpClient>(options, transport_, credentials_);
  auto result = WaitForCall([&](DynamoDbDone done) {
    client->Call("GetItem", kGetItem, done);
    backing_off->get_future().wait();
    client.reset();
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, DynamoDbFailure::kUnavailable);
  EXPECT_EQ(result.error().message, "DynamoDB client stopped");
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(DynamoDbHttpClientTest, OperationNamesAreChecked) {
  DynamoDbHttpClient client(Options(), transport_, credentials_);
  auto result = CallAndWait(client, "GetItem\r\nX: y");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, DynamoDbFailure::kInternal);
  EXPECT_EQ(server_.requests().size(), 0u);
}

TEST(FullJitterBackoffTest, DoublesUpToTheCap) {
  const milliseconds base(50), cap(1000);
  EXPECT_EQ(FullJitterBackoff(1, base, cap, 0.0), milliseconds(0));
  EXPECT_EQ(FullJitterBackoff(1, base, cap, 0.999), milliseconds(49));
  EXPECT_EQ(FullJitterBackoff(2, base, cap, 0.5), milliseconds(50));
  EXPECT_EQ(FullJitterBackoff(3, base, cap, 0.5), milliseconds(100));
  EXPECT_EQ(FullJitterBackoff(6, base, cap, 0.5), milliseconds(500));  // 1600 capped at 1000
  EXPECT_EQ(FullJitterBackoff(60, base, cap, 0.5), milliseconds(500));
}

TEST(DynamoDbOperationTest, ReadsAreKnownByName) {
  EXPECT_TRUE(IsDynamoDbReadOperation("GetItem"));
  EXPECT_TRUE(IsDynamoDbReadOperation("Query"));
  EXPECT_FALSE(IsDynamoDbReadOperation("PutItem"));
  EXPECT_FALSE(IsDynamoDbReadOperation("TransactWriteItems"));
}

}  // namespace
}  // namespace pcustomer
