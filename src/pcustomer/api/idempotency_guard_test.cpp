// Idempotency-Key (CONTRACT.md section 8): the header's form, the guard on its own (with a
// handler the test answers by hand, to hold a request in flight), and the guard on the
// /pcustomers routes.

#include "pcustomer/api/idempotency_guard.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pcustomer/api/testing/customer_calls.hpp"
#include "pcustomer/store/testing/embedded_stores.hpp"

namespace pcustomer {
namespace {

using test::CustomerOf;
using test::CustomerPath;
using test::ErrorOf;
using test::HeaderOf;
using test::Phone;

TEST(ParseIdempotencyKey, TakesBareAndQuotedKeys) {
  EXPECT_EQ(*ParseIdempotencyKey("8e03978e-40d5-43e8-bc93-6894a57f9324"),
            "8e03978e-40d5-43e8-bc93-6894a57f9324");
  EXPECT_EQ(*ParseIdempotencyKey(R"("abc")"), "abc");
  EXPECT_EQ(*ParseIdempotencyKey(R"("a\"b\\c")"), R"(a"b\c)");
  EXPECT_EQ(*ParseIdempotencyKey("a b"), "a b");
  EXPECT_EQ(*ParseIdempotencyKey(std::string(255, 'k')), std::string(255, 'k'));
}

TEST(ParseIdempotencyKey, RefusesWhatIsNotOneToTwoHundredFiftyFivePrintableCharacters) {
  for (const std::string& bad :
       {std::string(), std::string(R"("")"), std::string(256, 'k'), std::string("a\tb"),
        std::string("kh\xC3\xA1"), std::string("a\x7f"), std::string(R"("a"b")"),
        std::string(R"("a\b")"), std::string(R"("a\")")}) {
    Result<std::string> key = ParseIdempotencyKey(bad);
    ASSERT_FALSE(key.ok()) << bad;
    EXPECT_EQ(key.error().code, ErrorCode::kBadRequest);
    EXPECT_EQ(key.error().reasons.at(0).source, "Idempotency-Key");
  }
}

// The guard over the embedded store, around a handler whose replies the test holds.
class IdempotencyGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stores = test::OpenEmbeddedStores();
    ASSERT_TRUE(stores.ok()) << stores.error().Described();
    stores_ = std::move(stores).value();
    guard_ = std::make_unique<IdempotencyGuard>(*stores_->idempotency, [this] { return now_; });
  }

  // Runs the guarded handler; its answer comes through the future (the store answers on its
  // writer thread).
  std::shared_future<Response> Run(std::string key, std::string body = "{}") {
    Request request = test::Call("POST", "/pcustomers", std::move(body));
    request.idempotency_key = std::move(key);
    auto answer = std::make_shared<std::promise<Response>>();
    std::shared_future<Response> future = answer->get_future().share();
    guard_->Run(handler_, std::move(request), Principal{"an", "admin", {"sales"}, "sub-an"},
                [answer](Response response) { answer->set_value(std::move(response)); });
    return future;
  }
  static Response Await(const std::shared_future<Response>& answer) {
    if (answer.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
      ADD_FAILURE() << "no answer";
      return Response{};
    }
    return answer.get();
  }
  // Waits until the handler has been called `count` times; answers the reply of call `index`.
  void AwaitCalls(size_t count) {
    std::unique_lock lock(mutex_);
    const bool called =
        called_.wait_for(lock, std::chrono::seconds(60), [&] { return held_.size() >= count; });
    ASSERT_TRUE(called);
    EXPECT_EQ(held_.size(), count);
  }
  void Answer(size_t index, Response response) {
    Reply reply;
    {
      std::lock_guard lock(mutex_);
      reply = held_.at(index);
    }
    reply(std::move(response));
  }
  size_t Calls() {
    std::lock_guard lock(mutex_);
    return held_.size();
  }

  std::unique_ptr<test::EmbeddedStores> stores_;
  int64_t now_ = 1'800'000'000'000;
  std::unique_ptr<IdempotencyGuard> guard_;
  std::mutex mutex_;
  std::condition_variable called_;
  std::vector<Reply> held_;
  Handler handler_ = [this](Request, Principal, Reply reply) {
    std::lock_guard lock(mutex_);
    held_.push_back(std::move(reply));
    called_.notify_all();
  };
};

TEST_F(IdempotencyGuardTest, TheSameRequestWhileTheFirstRunsIsToldToRetry) {
  auto first = Run("key-1");
  AwaitCalls(1);
  Response running = Await(Run("key-1"));
  EXPECT_EQ(ErrorOf(running).status, 409);
  EXPECT_EQ(ErrorOf(running).code, "CONFLICT");
  EXPECT_EQ(HeaderOf(running, "Retry-After"), "1");
  Response created = JsonResponse(R"({"data":1})", 201);
  created.headers = {{"Location", "/pcustomers/1"}, {"Retry-After", "9"}};
  Answer(0, created);
  EXPECT_EQ(Await(first).status, 201);
  Response replayed = Await(Run("key-1"));
  EXPECT_EQ(replayed.status, 201);
  EXPECT_EQ(replayed.body, R"({"data":1})");
  EXPECT_EQ(HeaderOf(replayed, "Location"), "/pcustomers/1");
  EXPECT_EQ(HeaderOf(replayed, "Idempotent-Replayed"), "true");
  EXPECT_EQ(HeaderOf(replayed, "Retry-After"), "") << "a replay does not repeat Retry-After";
  EXPECT_EQ(Calls(), 1u) << "the handler ran once";
}

TEST_F(IdempotencyGuardTest, AnswersOfAFailedStoreOrAThrottleAreNotKept) {
  for (int status : {503, 500, 429}) {
    const size_t calls = Calls();
    auto first = Run("key-" + std::to_string(status));
    AwaitCalls(calls + 1);
    Answer(calls, JsonResponse("{}", status));
    EXPECT_EQ(Await(first).status, status);
    auto retry = Run("key-" + std::to_string(status));
    AwaitCalls(calls + 2);  // ran again
    Answer(calls + 1, JsonResponse("{}", 201));
    EXPECT_EQ(Await(retry).status, 201);
  }
}

TEST_F(IdempotencyGuardTest, AnAnswerIsReplayedForADayAndThenTheKeyRunsAgain) {
  auto first = Run("key-1");
  AwaitCalls(1);
  Answer(0, JsonResponse("{}", 400));
  EXPECT_EQ(Await(first).status, 400);
  now_ += kIdempotencyKeepMillis - 1;
  EXPECT_EQ(HeaderOf(Await(Run("key-1")), "Idempotent-Replayed"), "true");
  now_ += 1;
  Run("key-1");
  AwaitCalls(2);
}

TEST_F(IdempotencyGuardTest, ABadKeyIsRefusedBeforeTheHandlerRuns) {
  Response refused = Await(Run(std::string(256, 'k')));
  EXPECT_EQ(ErrorOf(refused).status, 400);
  EXPECT_EQ(Calls(), 0u);
}

class IdempotentRoutesTest : public test::CustomerRoutesHarness {
 protected:
  Response Keyed(std::string method, std::string_view target, std::string body, std::string key,
                 const std::string& token = {}) {
    Request request = test::WithToken(test::Call(std::move(method), target, std::move(body)),
                                      token.empty() ? writer_token_ : token);
    request.idempotency_key = std::move(key);
    return Send(std::move(request));
  }
  int64_t LeadCount() {
    return test::IntAt(test::Json(AsWriter("GET", "/pcustomers")), {"meta", "size"});
  }
};

TEST_F(IdempotentRoutesTest, ARetriedCreateGetsTheFirstAnswerAndMakesNoSecondLead) {
  const std::string body = test::LeadBody(Phone(1));
  Response first = Keyed("POST", "/pcustomers", body, "create-1");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(HeaderOf(first, "Idempotent-Replayed"), "");
  Response retry = Keyed("POST", "/pcustomers", body, "create-1");
  EXPECT_EQ(retry.status, 201);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(HeaderOf(retry, "Location"), HeaderOf(first, "Location"));
  EXPECT_EQ(HeaderOf(retry, "ETag"), "\"1\"");
  EXPECT_EQ(HeaderOf(retry, "Idempotent-Replayed"), "true");
  EXPECT_EQ(LeadCount(), 1);
}

TEST_F(IdempotentRoutesTest, TheKeyWithAnotherBodyOrPathIsUnprocessable) {
  ASSERT_EQ(Keyed("POST", "/pcustomers", test::LeadBody(Phone(1)), "k").status, 201);
  for (Response other : {Keyed("POST", "/pcustomers", test::LeadBody(Phone(2)), "k"),
                         Keyed("POST", "/pcustomer", test::LeadBody(Phone(1)), "k")}) {
    EXPECT_EQ(ErrorOf(other).status, 422);
    EXPECT_EQ(ErrorOf(other).code, "UNPROCESSABLE_ENTITY");
  }
  EXPECT_EQ(LeadCount(), 1);
}

TEST_F(IdempotentRoutesTest, KeysBelongToTheirCaller) {
  const std::string other = AccessTokenOf("sales.other", "admin", "sales");
  ASSERT_EQ(Keyed("POST", "/pcustomers", test::LeadBody(Phone(1)), "k").status, 201);
  // Another caller's same key and body is a request of its own: it runs, and meets the phone.
  Response theirs = Keyed("POST", "/pcustomers", test::LeadBody(Phone(1)), "k", other);
  EXPECT_EQ(ErrorOf(theirs).status, 409);
  EXPECT_EQ(HeaderOf(theirs, "Idempotent-Replayed"), "");
}

TEST_F(IdempotentRoutesTest, ARetriedPatchChangesTheLeadOnce) {
  const test::CustomerAnswer lead = Create(Phone(1));
  Response first = Keyed("PATCH", CustomerPath(lead.id), R"({"age": 41})", "patch-1");
  ASSERT_EQ(first.status, 200) << first.body;
  Response retry = Keyed("PATCH", CustomerPath(lead.id), R"({"age": 41})", "patch-1");
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(HeaderOf(retry, "Idempotent-Replayed"), "true");
  EXPECT_EQ(CustomerOf(AsWriter("GET", CustomerPath(lead.id))).version, 2);
}

TEST_F(IdempotentRoutesTest, AKeptRefusalReplaysAndABadKeyCreatesNothing) {
  Response invalid = Keyed("POST", "/pcustomers", R"({"fullName": ""})", "bad-body");
  ASSERT_EQ(invalid.status, 400);
  Response again = Keyed("POST", "/pcustomers", R"({"fullName": ""})", "bad-body");
  EXPECT_EQ(again.body, invalid.body);
  EXPECT_EQ(HeaderOf(again, "Idempotent-Replayed"), "true");
  Response refused = Keyed("POST", "/pcustomers", test::LeadBody(Phone(1)), "\x01");
  EXPECT_EQ(ErrorOf(refused).status, 400);
  EXPECT_EQ(LeadCount(), 0);
}

}  // namespace
}  // namespace pcustomer
