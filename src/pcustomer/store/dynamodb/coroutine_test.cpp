#include "pcustomer/store/dynamodb/coroutine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include "pcustomer/store/dynamodb/customer_item.hpp"
#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/util/escaped_exceptions.hpp"

namespace pcustomer::dynamodb {
namespace {

Task<int> Answer(int value) { co_return value; }

Task<int> Throw() {
  co_await Answer(0);
  throw std::runtime_error("a bug in a store step");
}

Task<int> Sum(int a, int b) {
  Result<int> first = co_await Answer(a);
  Result<int> second = co_await Answer(b);
  co_return *first + *second;
}

TEST(StoreCoroutineTest, StartHandsTheResultToDoneExactlyOnce) {
  int calls = 0;
  int seen = 0;
  Start<int>(Sum(2, 3), [&](Result<int> result) {
    ++calls;
    seen = *result;
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(seen, 5);
}

TEST(StoreCoroutineTest, AnEscapedExceptionAnswersInternalAndIsCounted) {
  const uint64_t before = EscapedExceptionCount();
  std::optional<Result<int>> answer;
  Start<int>(Throw(), [&](Result<int> result) { answer.emplace(std::move(result)); });
  ASSERT_TRUE(answer.has_value());
  ASSERT_FALSE(answer->ok());
  EXPECT_EQ(answer->error().code, ErrorCode::kInternal);
  EXPECT_EQ(EscapedExceptionCount(), before + 1);
}

TEST(StoreCoroutineTest, AnExceptionFromDoneItselfIsCountedAndDoneIsNotCalledAgain) {
  const uint64_t before = EscapedExceptionCount();
  int calls = 0;
  Start<int>(Answer(1), [&](Result<int>) {
    ++calls;
    throw std::runtime_error("a bug in the caller's callback");
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(EscapedExceptionCount(), before + 1);
}

TEST(StoreCoroutineTest, WaitBlocksUntilAnAnswerFromAnotherThread) {
  // A client that answers on a thread of its own, as the HTTP client does.
  class ThreadedClient final : public DynamoDbClient {
   public:
    void Call(std::string_view, std::string request_json, DynamoDbDone done) override {
      std::thread([request_json = std::move(request_json), done = std::move(done)] {
        done(std::string("{}"));
      }).detach();
    }
  } client;
  Result<std::optional<Item>> item = Wait(GetItem(client, "t", Key("type", "id")));
  ASSERT_TRUE(item.ok()) << item.error().message;
  EXPECT_FALSE(item->has_value());
}

// A client that answers on the calling thread, as the test fake does: each call of a
// coroutine then completes from inside the call before. Thousands of pages must neither
// exhaust the stack nor lose a page.
// Each resumption that starts another from inside it runs after it instead: the depth stays 1.
TEST(StoreCoroutineTest, ResumptionsStartedFromInsideOneRunAfterItNotInsideIt) {
  int depth = 0;
  int deepest = 0;
  int runs = 0;
  std::function<void()> step = [&] {
    ++depth;
    deepest = std::max(deepest, depth);
    if (++runs < 100000) ResumeWithoutNesting(step);
    --depth;
  };
  ResumeWithoutNesting(step);
  EXPECT_EQ(runs, 100000);
  EXPECT_EQ(deepest, 1);
}

constexpr int kPages = 3000;

TEST(StoreCoroutineTest, ThousandsOfAnswersOnTheCallingThreadComeThrough) {
  class InlinePages final : public DynamoDbClient {
   public:
    void Call(std::string_view, std::string, DynamoDbDone done) override {
      ++calls;
      if (calls < kPages) {
        done(std::string(R"({"Count":1,"LastEvaluatedKey":{"type":{"S":"t"},"id":{"S":"i"}}})"));
      } else {
        done(std::string(R"({"Count":1})"));
      }
    }
    int calls = 0;
  } client;
  Request request;
  request.table = "pcustomers";
  request.key_condition =
      request.Name("type") + " = " + request.Value("pk", AttributeValue::S("t"));
  Result<QueryResult> all = Wait(QueryAll(client, std::move(request)));
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->count, kPages);
  EXPECT_EQ(client.calls, kPages);
}

}  // namespace
}  // namespace pcustomer::dynamodb
