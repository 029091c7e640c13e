#pragma once

// Lets one coroutine through at a time, the others in arrival order. Round-robin creates of
// one process pass it one by one, so that they do not all race for the same turn item
// (assignment_turn.hpp): the conditional update then only sorts out other processes. Private
// to store/dynamodb.

// <utility> first: Boost 1.74's awaitable.hpp uses std::exchange without including it.
#include <utility>
// clang-format off
#include <boost/asio/awaitable.hpp>
// clang-format on
#include <deque>
#include <functional>
#include <mutex>

namespace pcustomer::dynamodb {

class Turnstile {
 public:
  // Resumes once the caller holds the turnstile; Leave() must follow.
  boost::asio::awaitable<void> Enter();
  // Lets the next waiting coroutine through.
  void Leave();

 private:
  std::mutex mutex_;
  bool held_ = false;
  std::deque<std::function<void()>> waiting_;
};

// Holds a Turnstile entered: leaves it when it goes out of scope, however the holder ends.
class TurnstilePass {
 public:
  explicit TurnstilePass(Turnstile& turnstile) : turnstile_(turnstile) {}
  TurnstilePass(const TurnstilePass&) = delete;
  TurnstilePass& operator=(const TurnstilePass&) = delete;
  ~TurnstilePass() { turnstile_.Leave(); }

 private:
  Turnstile& turnstile_;
};

}  // namespace pcustomer::dynamodb
