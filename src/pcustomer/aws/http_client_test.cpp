#include "pcustomer/aws/http_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>
#include <vector>

#include "pcustomer/aws/testing/fake_http_server.hpp"

namespace pcustomer {
namespace {

using testing::FakeHttpServer;
using testing::FakeReply;
using testing::FakeRequest;
using ::testing::HasSubstr;
using testing::SendAndWait;
using ::testing::StartsWith;

FakeReply Ok(std::string body = "ok") {
  FakeReply reply;
  reply.headers.Add("Content-Type", "text/plain");
  reply.body = std::move(body);
  return reply;
}

HttpRequest Get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  return request;
}

// A port nothing listens on: bound, then released.
uint16_t ClosedPort() {
  FakeHttpServer server([](const FakeRequest&) { return Ok(); });
  return server.port();
}

TEST(HttpClientTest, SendsRequestAndReturnsResponse) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeReply reply = Ok(R"({"answer":42})");
    reply.status = 201;
    reply.headers.Add("X-Amzn-RequestId", "abc");
    return reply;
  });
  HttpClient client;
  HttpRequest request;
  request.method = "POST";
  request.url = server.url() + "/path/x?a=1&b=two";
  request.headers.Add("X-Amz-Target", "Service.Operation");
  request.headers.Add("Content-Type", "application/x-amz-json-1.1");
  request.body = R"({"k":"v"})";

  Result<HttpResponse> response = SendAndWait(client, request);

  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, R"({"answer":42})");
  EXPECT_EQ(response->headers.Find("x-amzn-requestid"), "abc");  // any case
  EXPECT_EQ(response->headers.Find("CONTENT-TYPE"), "text/plain");
  ASSERT_EQ(server.requests().size(), 1u);
  FakeRequest seen = server.requests()[0];
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/path/x?a=1&b=two");
  EXPECT_EQ(seen.headers.Find("Host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(seen.headers.Find("X-Amz-Target"), "Service.Operation");
  EXPECT_EQ(seen.headers.Find("Content-Length"), std::to_string(request.body.size()));
  EXPECT_EQ(seen.body, request.body);
}

TEST(HttpClientTest, ErrorStatusesAreResponsesNotFailures) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeReply reply = FakeReply::Json(503, R"({"__type":"ServiceUnavailable"})");
    return reply;
  });
  HttpClient client;
  Result<HttpResponse> response = SendAndWait(client, Get(server.url()));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 503);
}

TEST(HttpClientTest, ReusesKeepAliveConnection) {
  FakeHttpServer server([](const FakeRequest&) { return Ok(); });
  HttpClient client;
  for (int i = 0; i < 5; ++i) {
    Result<HttpResponse> response =
        SendAndWait(client, Get(server.url() + "/" + std::to_string(i)));
    ASSERT_TRUE(response.ok()) << response.error().message;
  }
  EXPECT_EQ(server.connections_accepted(), 1);
  EXPECT_EQ(server.requests().size(), 5u);
}

TEST(HttpClientTest, OpensNewConnectionAfterConnectionClose) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeReply reply = Ok();
    reply.close = true;
    return reply;
  });
  HttpClient client;
  ASSERT_TRUE(SendAndWait(client, Get(server.url())).ok());
  ASSERT_TRUE(SendAndWait(client, Get(server.url())).ok());
  EXPECT_EQ(server.connections_accepted(), 2);
}

TEST(HttpClientTest, ReplacesIdleConnectionTheServerClosed) {
  FakeHttpServer server([](const FakeRequest&) { return Ok(); });
  HttpClient client;
  ASSERT_TRUE(SendAndWait(client, Get(server.url())).ok());
  server.CloseConnections();
  HttpRequest post;
  post.method = "POST";  // not idempotent: must not depend on a retry
  post.url = server.url();
  post.body = "{}";
  Result<HttpResponse> response = SendAndWait(client, post);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(server.connections_accepted(), 2);
  EXPECT_EQ(server.requests().size(), 2u);
}

// The server drops the reused connection only once the request arrived, as when an idle
// timeout fires just as the request goes out.
FakeReply DropSecondRequest(const FakeRequest& request, std::atomic<int>& count) {
  return ++count == 2 ? FakeReply::Drop() : Ok(request.method);
}

TEST(HttpClientTest, RetriesIdempotentRequestOnceWhenReusedConnectionDies) {
  std::atomic<int> count{0};
  FakeHttpServer server([&](const FakeRequest& r) { return DropSecondRequest(r, count); });
  HttpClient client;
  ASSERT_TRUE(SendAndWait(client, Get(server.url())).ok());
  Result<HttpResponse> response = SendAndWait(client, Get(server.url()));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->body, "GET");
  EXPECT_EQ(server.connections_accepted(), 2);
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(HttpClientTest, DoesNotRetryNonIdempotentRequestThatWasSent) {
  std::atomic<int> count{0};
  FakeHttpServer server([&](const FakeRequest& r) { return DropSecondRequest(r, count); });
  HttpClient client;
  ASSERT_TRUE(SendAndWait(client, Get(server.url())).ok());
  HttpRequest post;
  post.method = "POST";
  post.url = server.url();
  post.body = "{}";
  Result<HttpResponse> response = SendAndWait(client, post);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(response.error().message, StartsWith("reading response from 127.0.0.1:"));
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(HttpClientTest, RetriesPostMarkedIdempotent) {
  std::atomic<int> count{0};
  FakeHttpServer server([&](const FakeRequest& r) { return DropSecondRequest(r, count); });
  HttpClient client;
  ASSERT_TRUE(SendAndWait(client, Get(server.url())).ok());
  HttpRequest post;
  post.method = "POST";
  post.url = server.url();
  post.idempotent = true;
  Result<HttpResponse> response = SendAndWait(client, post);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(HttpClientTest, FreshConnectionDroppedIsNotRetried) {
  FakeHttpServer server([](const FakeRequest&) { return FakeReply::Drop(); });
  HttpClient client;
  Result<HttpResponse> response = SendAndWait(client, Get(server.url()));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(HttpClientTest, TimesOutWhenServerNeverAnswers) {
  FakeHttpServer server([](const FakeRequest&) { return FakeReply::Hang(); });
  HttpClient client;
  HttpRequest request = Get(server.url());
  request.timeout = std::chrono::milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  Result<HttpResponse> response = SendAndWait(client, request);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(response.error().message, HasSubstr("timed out after 300 ms"));
  // A timer never fires early, so this holds on any machine; an upper bound would not.
  EXPECT_GE(elapsed, std::chrono::milliseconds(250));
}

TEST(HttpClientTest, DefaultTimeoutApplies) {
  FakeHttpServer server([](const FakeRequest&) { return FakeReply::Hang(); });
  HttpClient::Options options;
  options.default_timeout = std::chrono::milliseconds(200);
  HttpClient client(options);
  Result<HttpResponse> response = SendAndWait(client, Get(server.url()));
  ASSERT_FALSE(response.ok()) << response->status << " " << response->body.size();
  EXPECT_THAT(response.error().message, HasSubstr("timed out after 200 ms"));
}

TEST(HttpClientTest, ClientKeepsWorkingAfterATimeout) {
  std::atomic<int> count{0};
  FakeHttpServer server(
      [&](const FakeRequest&) { return ++count == 1 ? FakeReply::Hang() : Ok(); });
  HttpClient client;
  HttpRequest request = Get(server.url());
  request.timeout = std::chrono::milliseconds(200);
  ASSERT_FALSE(SendAndWait(client, request).ok());
  ASSERT_TRUE(SendAndWait(client, request).ok());
}

TEST(HttpClientTest, ConnectionRefusedIsUnavailable) {
  HttpClient client;
  Result<HttpResponse> response =
      SendAndWait(client, Get("http://127.0.0.1:" + std::to_string(ClosedPort()) + "/"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(response.error().message, StartsWith("connect to 127.0.0.1:"));
  EXPECT_THAT(response.error().message, HasSubstr(" failed: "));
}

TEST(HttpClientTest, UnknownHostIsUnavailable) {
  HttpClient client;
  HttpRequest request = Get("http://no-such-host.invalid/");
  request.timeout = std::chrono::seconds(3);
  Result<HttpResponse> response = SendAndWait(client, request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(response.error().message, HasSubstr("no-such-host.invalid"));
}

TEST(HttpClientTest, BodyOverLimitIsUnavailable) {
  FakeHttpServer server([](const FakeRequest&) { return Ok(std::string(4096, 'x')); });
  HttpClient::Options options;
  options.body_limit = 1024;
  HttpClient client(options);
  Result<HttpResponse> response = SendAndWait(client, Get(server.url()));
  ASSERT_FALSE(response.ok()) << response->body.size();
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(response.error().message, HasSubstr("body limit"));
}

TEST(HttpClientTest, ChunkedBodyOverLimitIsUnavailable) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeReply reply = Ok(std::string(4096, 'x'));
    reply.headers.Add("Transfer-Encoding", "chunked");
    return reply;
  });
  HttpClient::Options options;
  options.body_limit = 1024;
  HttpClient client(options);
  Result<HttpResponse> response = SendAndWait(client, Get(server.url()));
  ASSERT_FALSE(response.ok()) << response->body.size();
  EXPECT_THAT(response.error().message, HasSubstr("body limit"));
}

TEST(HttpClientTest, BodyAtTheLimitIsAccepted) {
  FakeHttpServer server([](const FakeRequest&) { return Ok(std::string(1024, 'x')); });
  HttpClient::Options options;
  options.body_limit = 1024;
  HttpClient client(options);
  Result<HttpResponse> response = SendAndWait(client, Get(server.url()));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->body.size(), 1024u);
}

TEST(HttpClientTest, InvalidUrlIsInternalAndImmediate) {
  HttpClient client;
  for (const char* url : {"ftp://example.com/", "example.com", "http://", "http://h:0/"}) {
    Result<HttpResponse> response = SendAndWait(client, Get(url));
    ASSERT_FALSE(response.ok()) << url;
    EXPECT_EQ(response.error().code, ErrorCode::kInternal) << url;
  }
}

TEST(HttpClientTest, RejectsHeaderWithLineBreak) {
  HttpClient client;
  HttpRequest request = Get("http://127.0.0.1:1/");
  request.headers.Add("X-Evil", "a\r\nInjected: yes");
  Result<HttpResponse> response = SendAndWait(client, request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kInternal);
}

TEST(HttpClientTest, ConcurrentSendsFromManyThreads) {
  FakeHttpServer server([](const FakeRequest& request) { return Ok(request.target); });
  HttpClient client;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string path = "/" + std::to_string(t) + "/" + std::to_string(i);
        Result<HttpResponse> response = SendAndWait(client, Get(server.url() + path));
        if (response.ok() && response->body == path) ++good;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(good.load(), kThreads * kPerThread);
  EXPECT_LE(server.connections_accepted(), kThreads);
}

TEST(HttpClientTest, DestructorCompletesPendingRequests) {
  FakeHttpServer server([](const FakeRequest&) { return FakeReply::Hang(); });
  std::promise<Result<HttpResponse>> promise;
  auto future = promise.get_future();
  auto start = std::chrono::steady_clock::now();
  {
    HttpClient client;
    HttpRequest request = Get(server.url());
    request.timeout = std::chrono::seconds(30);
    client.Send(request,
                [&](Result<HttpResponse> result) { promise.set_value(std::move(result)); });
    while (server.requests().empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  Result<HttpResponse> response = future.get();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(HttpClientTest, DoneMaySendAgain) {
  FakeHttpServer server([](const FakeRequest&) { return Ok(); });
  HttpClient client;
  std::promise<Result<HttpResponse>> second;
  client.Send(Get(server.url()), [&](Result<HttpResponse> first) {
    ASSERT_TRUE(first.ok());
    client.Send(Get(server.url()), [&](Result<HttpResponse> r) { second.set_value(std::move(r)); });
  });
  auto future = second.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(future.get().ok());
  EXPECT_EQ(server.connections_accepted(), 1);
}

// TLS against a local server whose self-signed certificate names "localhost".
class HttpClientTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    identity_ = testing::SelfSignedIdentity({"localhost"}, {});
    ca_file_ = std::filesystem::temp_directory_path() /
               ("pc_aws_test_ca_" + std::to_string(::getpid()) + ".pem");
    std::ofstream(ca_file_) << identity_.certificate_pem;
  }
  void TearDown() override { std::filesystem::remove(ca_file_); }

  HttpClient::Options TrustingTestCa() {
    HttpClient::Options options;
    options.extra_ca_file = ca_file_.string();
    return options;
  }

  testing::TlsIdentity identity_;
  std::filesystem::path ca_file_;
};

TEST_F(HttpClientTlsTest, VerifiedHttpsWorksAndReusesConnection) {
  FakeHttpServer server([](const FakeRequest&) { return Ok("secure"); }, identity_);
  HttpClient client(TrustingTestCa());
  std::string url = "https://localhost:" + std::to_string(server.port()) + "/x";
  for (int i = 0; i < 3; ++i) {
    Result<HttpResponse> response = SendAndWait(client, Get(url));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->body, "secure");
  }
  EXPECT_EQ(server.connections_accepted(), 1);
  EXPECT_EQ(server.requests()[0].headers.Find("Host"),
            "localhost:" + std::to_string(server.port()));
}

TEST_F(HttpClientTlsTest, UntrustedCertificateFails) {
  FakeHttpServer server([](const FakeRequest&) { return Ok(); }, identity_);
  HttpClient client;  // system store only
  Result<HttpResponse> response =
      SendAndWait(client, Get("https://localhost:" + std::to_string(server.port()) + "/"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(response.error().message, StartsWith("TLS handshake with localhost:"));
  EXPECT_THAT(response.error().message, HasSubstr("self-signed"));
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(HttpClientTlsTest, CertificateForAnotherNameFails) {
  FakeHttpServer server([](const FakeRequest&) { return Ok(); }, identity_);
  HttpClient client(TrustingTestCa());
  // Trusted certificate, but it names localhost, not this address.
  Result<HttpResponse> response = SendAndWait(client, Get(server.url()));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(response.error().message, HasSubstr("mismatch"));
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(HttpClientTlsTest, CertificateForTheAddressWorks) {
  testing::TlsIdentity by_address = testing::SelfSignedIdentity({}, {"127.0.0.1"});
  std::ofstream(ca_file_) << by_address.certificate_pem;
  FakeHttpServer server([](const FakeRequest&) { return Ok(); }, by_address);
  HttpClient client(TrustingTestCa());
  Result<HttpResponse> response = SendAndWait(client, Get(server.url()));
  ASSERT_TRUE(response.ok()) << response.error().message;
}

TEST_F(HttpClientTlsTest, HttpsToClosedPortIsUnavailable) {
  HttpClient client(TrustingTestCa());
  Result<HttpResponse> response =
      SendAndWait(client, Get("https://localhost:" + std::to_string(ClosedPort()) + "/"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(response.error().message, HasSubstr("failed"));
}

TEST_F(HttpClientTlsTest, PlainHttpServerBehindHttpsUrlFailsCleanly) {
  FakeHttpServer server([](const FakeRequest&) { return Ok(); });
  HttpClient client(TrustingTestCa());
  HttpRequest request = Get("https://localhost:" + std::to_string(server.port()) + "/");
  request.timeout = std::chrono::seconds(2);
  Result<HttpResponse> response = SendAndWait(client, request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace pcustomer
