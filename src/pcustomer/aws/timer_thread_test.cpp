#include "pcustomer/aws/timer_thread.hpp"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace pcustomer {
namespace {

using std::chrono::milliseconds;

TEST(TimerThreadTest, RunsCallbacksInDueOrderOnItsOwnThread) {
  TimerThread timer;
  std::mutex mutex;
  std::vector<int> order;
  std::promise<std::thread::id> ran_on;
  timer.After(milliseconds(60), [&] {
    std::lock_guard lock(mutex);
    order.push_back(3);
    ran_on.set_value(std::this_thread::get_id());
  });
  timer.After(milliseconds(0), [&] {
    std::lock_guard lock(mutex);
    order.push_back(1);
  });
  timer.After(milliseconds(20), [&] {
    std::lock_guard lock(mutex);
    order.push_back(2);
  });
  std::future<std::thread::id> thread = ran_on.get_future();
  ASSERT_EQ(thread.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_NE(thread.get(), std::this_thread::get_id());
  std::lock_guard lock(mutex);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(TimerThreadTest, StopRunsWhatIsStillWaitingAtOnce) {
  TimerThread timer;
  int ran = 0;
  timer.After(std::chrono::hours(1), [&] { ++ran; });
  timer.After(std::chrono::hours(2), [&] { ++ran; });
  auto start = std::chrono::steady_clock::now();
  timer.Stop();
  EXPECT_EQ(ran, 2);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(TimerThreadTest, AfterStopRunsOnTheCallingThread) {
  TimerThread timer;
  timer.Stop();
  timer.Stop();  // idempotent
  std::thread::id ran_on;
  timer.After(std::chrono::hours(1), [&] { ran_on = std::this_thread::get_id(); });
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(TimerThreadTest, CallbackMayScheduleAnother) {
  TimerThread timer;
  std::promise<void> second;
  timer.After(milliseconds(1), [&] { timer.After(milliseconds(1), [&] { second.set_value(); }); });
  EXPECT_EQ(second.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

}  // namespace
}  // namespace pcustomer
