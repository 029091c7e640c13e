#pragma once

#include <future>
#include <memory>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Runs an asynchronous operation and waits for its result: for command-line tools and
// start-up, never for request handling.
template <class T, class Start>
Result<T> Wait(Start start) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  auto future = promise->get_future();
  start([promise](Result<T> result) { promise->set_value(std::move(result)); });
  return future.get();
}

}  // namespace pcustomer
