#include "pcustomer/store/dynamodb/turnstile.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <utility>

#include "pcustomer/store/dynamodb/coroutine.hpp"

namespace pcustomer::dynamodb {

boost::asio::awaitable<void> Turnstile::Enter() {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void()>(
      [this](auto resume) {
        auto shared = std::make_shared<decltype(resume)>(std::move(resume));
        std::function<void()> go = [shared] { ResumeWithoutNesting([shared] { (*shared)(); }); };
        {
          std::lock_guard<std::mutex> lock(mutex_);
          if (held_) {
            waiting_.push_back(std::move(go));
            return;
          }
          held_ = true;
        }
        go();
      },
      boost::asio::use_awaitable);
}

void Turnstile::Leave() {
  std::function<void()> next;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (waiting_.empty()) {
      held_ = false;
      return;
    }
    next = std::move(waiting_.front());
    waiting_.pop_front();
  }
  next();
}

}  // namespace pcustomer::dynamodb
