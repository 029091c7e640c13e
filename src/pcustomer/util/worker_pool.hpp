#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pcustomer {

// A fixed set of threads for CPU-heavy work (password hashing) that must not run on an
// event loop. The queue is bounded so that a flood of requests is refused at once
// instead of growing memory and latency without limit.
class WorkerPool {
 public:
  WorkerPool(size_t threads, size_t max_queued);
  // Runs every queued task, then joins the threads.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false (and `task` is dropped) when the queue is full or closing. An
  // exception escaping a task is recorded (RecordEscapedException) and the worker goes on.
  bool TryPost(std::function<void()> task);

 private:
  void Work();

  const size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool closing_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace pcustomer
