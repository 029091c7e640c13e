#include "pcustomer/util/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>

#include "pcustomer/util/escaped_exceptions.hpp"

namespace pcustomer {
namespace {

TEST(WorkerPool, RunsEveryAcceptedTaskBeforeClosing) {
  std::atomic<int> done{0};
  {
    WorkerPool pool(2, 1000);
    for (int i = 0; i < 500; ++i) ASSERT_TRUE(pool.TryPost([&done] { done.fetch_add(1); }));
  }
  EXPECT_EQ(done.load(), 500);
}

TEST(WorkerPool, RefusesTasksPastTheQueueBound) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  WorkerPool pool(1, 2);
  std::promise<void> started;
  ASSERT_TRUE(pool.TryPost([&started, gate] {
    started.set_value();
    gate.wait();
  }));
  started.get_future().wait();  // the worker is busy; the queue is empty
  EXPECT_TRUE(pool.TryPost([] {}));
  EXPECT_TRUE(pool.TryPost([] {}));
  EXPECT_FALSE(pool.TryPost([] {}));
  release.set_value();
}

TEST(WorkerPool, ATaskThatThrowsIsCountedAndTheWorkerGoesOn) {
  const uint64_t before = EscapedExceptionCount();
  std::atomic<int> done{0};
  {
    WorkerPool pool(1, 10);
    ASSERT_TRUE(pool.TryPost([] { throw std::runtime_error("a bug in a task"); }));
    ASSERT_TRUE(pool.TryPost([&done] { done.fetch_add(1); }));
  }
  EXPECT_EQ(done.load(), 1);
  EXPECT_EQ(EscapedExceptionCount(), before + 1);
}

}  // namespace
}  // namespace pcustomer
