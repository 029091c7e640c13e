#pragma once

// The DynamoDB stores are written as straight-line coroutines: each call to the table is a
// `co_await`, each retry a loop. Private to store/dynamodb.

// <utility> first: Boost 1.74's awaitable.hpp uses std::exchange without including it.
#include <utility>
// clang-format off
#include <boost/asio/awaitable.hpp>
// clang-format on
#include <functional>
#include <future>
#include <memory>

#include "pcustomer/domain/result.hpp"

namespace pcustomer::dynamodb {

// A store step that answers a Result: `co_await` it inside another Task, or Start it. Steps
// that talk to the table answer the client's DynamoDbCallError (E) to their caller, which
// decides what a failure means; Start and Wait take steps that answer the store's Error.
template <class T, class E = Error>
using Task = boost::asio::awaitable<Result<T, E>>;

// Runs `work` until it is done; an exception escaping it runs `on_exception` after it is
// recorded (RecordEscapedException). The coroutine starts on the calling thread and then
// continues on whatever thread answers each of its calls (the client's), as the callbacks it
// replaces did: no event loop or thread of its own.
void Spawn(boost::asio::awaitable<void> work, std::function<void()> on_exception);

// Runs `resume` (a coroutine's completion handler) now, unless this thread is already running
// one: then it runs right after that one returns. A client that answers on the calling thread
// (the test fake; the HTTP client for a URL that does not parse) would otherwise resume each
// coroutine from inside its previous call, one stack level deeper per call, until a long
// Query overflowed the stack. Steps never block, so the wait is short; a step that did block
// on another store operation started on its own thread would wait for ever, since that
// operation's answers queue behind the blocked step.
void ResumeWithoutNesting(std::function<void()> resume);

namespace detail {

template <class T>
boost::asio::awaitable<void> Deliver(Task<T> task, std::shared_ptr<Done<T>> done) {
  Result<T> result = co_await std::move(task);
  Done<T> answer = std::exchange(*done, nullptr);
  answer(std::move(result));
}

}  // namespace detail

// Runs `task` and hands its result to `done` exactly once: an exception escaping the task
// answers kInternal (and is counted) instead of ending the process or losing the answer.
template <class T>
void Start(Task<T> task, Done<T> done) {
  auto pending = std::make_shared<Done<T>>(std::move(done));
  Spawn(detail::Deliver(std::move(task), pending), [pending] {
    if (!*pending) return;  // the exception came from `done` itself, which was answered
    Done<T> answer = std::exchange(*pending, nullptr);
    answer(Error::Internal("a store operation failed unexpectedly"));
  });
}

// Runs `task` and blocks until it is done. For commands and start-up only: never on the
// thread that delivers the client's answers.
template <class T>
Result<T> Wait(Task<T> task) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  std::future<Result<T>> future = promise->get_future();
  Start<T>(std::move(task), [promise](Result<T> result) { promise->set_value(std::move(result)); });
  return future.get();
}

}  // namespace pcustomer::dynamodb
