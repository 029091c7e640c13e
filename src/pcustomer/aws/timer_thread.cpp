#include "pcustomer/aws/timer_thread.hpp"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace pcustomer {

class TimerThread::Impl {
 public:
  Impl() : thread_([this] { Run(); }) {}

  void After(std::chrono::milliseconds delay, std::function<void()> callback) {
    {
      std::lock_guard lock(mutex_);
      if (!stopping_) {
        // multimap keeps insertion order among equal keys.
        due_.emplace(Clock::now() + delay, std::move(callback));
        changed_.notify_one();
        return;
      }
    }
    callback();
  }

  void Stop() {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
      changed_.notify_one();
    }
    thread_.join();
  }

 private:
  using Clock = std::chrono::steady_clock;

  void Run() {
    std::unique_lock lock(mutex_);
    while (true) {
      if (stopping_ && due_.empty()) return;
      if (!stopping_) {
        if (due_.empty()) {
          changed_.wait(lock);
          continue;
        }
        if (Clock::now() < due_.begin()->first) {
          changed_.wait_until(lock, due_.begin()->first);
          continue;
        }
      }
      std::function<void()> callback = std::move(due_.begin()->second);
      due_.erase(due_.begin());
      lock.unlock();
      callback();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::multimap<Clock::time_point, std::function<void()>> due_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

TimerThread::TimerThread() : impl_(std::make_unique<Impl>()) {}

TimerThread::~TimerThread() { Stop(); }

void TimerThread::After(std::chrono::milliseconds delay, std::function<void()> callback) {
  impl_->After(delay, std::move(callback));
}

void TimerThread::Stop() { impl_->Stop(); }

}  // namespace pcustomer
