#pragma once

#include <chrono>
#include <functional>
#include <memory>

namespace pcustomer {

// Runs callbacks after a delay on one thread of its own, so that waiting (a retry's backoff)
// never holds a caller's thread or an event loop.
//
// Every callback given to After runs exactly once: when its delay is up, or early, on the
// timer's thread, when Stop is called; once stopped, After runs the callback at once on the
// calling thread. Callbacks with the same due time run in the order they were added; each
// must be short, since the next waits for it. Thread-safe.
class TimerThread {
 public:
  TimerThread();
  // Stops (see Stop).
  ~TimerThread();

  TimerThread(const TimerThread&) = delete;
  TimerThread& operator=(const TimerThread&) = delete;

  void After(std::chrono::milliseconds delay, std::function<void()> callback);

  // Runs what is still waiting, then joins the thread. Idempotent. Must not be called from
  // a callback.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pcustomer
