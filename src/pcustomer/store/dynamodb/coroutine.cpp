#include "pcustomer/store/dynamodb/coroutine.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/execution_context.hpp>
#include <deque>
#include <exception>

#include "pcustomer/util/escaped_exceptions.hpp"

namespace pcustomer::dynamodb {
namespace {

namespace execution = boost::asio::execution;

// Runs what it is given at once, on the calling thread. The store's coroutines need no event
// loop of their own: each step runs where the step before it ended, i.e. the first on the
// caller's thread and every later one where the DynamoDB client delivered its answer, exactly
// like the callbacks they replace. Asio asks every executor for non-blocking submission; this
// one blocks for as long as the step runs, which is what the store wants (a step never waits:
// it ends at its next co_await).
class InlineExecutor {
 public:
  execution::blocking_t::possibly_t query(execution::blocking_t) const noexcept { return {}; }
  boost::asio::execution_context& query(execution::context_t) const noexcept { return Context(); }
  InlineExecutor require(execution::blocking_t::never_t) const noexcept { return *this; }

  template <class Function>
  void execute(Function&& function) const {
    std::forward<Function>(function)();
  }

  friend bool operator==(const InlineExecutor&, const InlineExecutor&) noexcept { return true; }
  friend bool operator!=(const InlineExecutor&, const InlineExecutor&) noexcept { return false; }

 private:
  // Asio's executors name a context; this one holds no services and no threads.
  static boost::asio::execution_context& Context() {
    static boost::asio::execution_context context;
    return context;
  }
};

static_assert(execution::is_executor<InlineExecutor>::value);

// The completion handlers that arrived while this thread was running one.
struct PendingResumptions {
  bool running = false;
  std::deque<std::function<void()>> queue;
};
thread_local PendingResumptions pending;

void RunRecordingExceptions(const std::function<void()>& resume) noexcept {
  try {
    resume();
  } catch (...) {
    RecordEscapedException("DynamoDB store", std::current_exception());
  }
}

}  // namespace

void ResumeWithoutNesting(std::function<void()> resume) {
  if (pending.running) {
    pending.queue.push_back(std::move(resume));
    return;
  }
  pending.running = true;
  RunRecordingExceptions(resume);
  while (!pending.queue.empty()) {
    std::function<void()> next = std::move(pending.queue.front());
    pending.queue.pop_front();
    RunRecordingExceptions(next);
  }
  pending.running = false;
}

void Spawn(boost::asio::awaitable<void> work, std::function<void()> on_exception) {
  boost::asio::co_spawn(
      InlineExecutor(), std::move(work),
      [on_exception = std::move(on_exception)](const std::exception_ptr& failure) {
        if (!failure) return;
        RecordEscapedException("DynamoDB store", failure);
        on_exception();
      });
}

}  // namespace pcustomer::dynamodb
