#pragma once

#include <cassert>
#include <functional>
#include <utility>
#include <variant>

#include "pcustomer/domain/error.hpp"

namespace pcustomer {

// Either a value or an error (an Error unless a lower layer has failures of its own, e.g. the
// DynamoDB client's call errors). Expected failures travel as values, not exceptions.
template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(E error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  E&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, E> state_;
};

// Success without a value.
struct Ok {};
using Status = Result<Ok>;

// Completion of an asynchronous operation. It may run on any thread, and may run before
// the call that started the operation returns; it must not block.
template <class T>
using Done = std::function<void(Result<T>)>;

}  // namespace pcustomer
