#pragma once

// Internal to the http layer: runs the router from a coroutine. Handlers answer through a
// callback, possibly from a store thread; the answer is posted back to the session's loop.

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <exception>
#include <memory>

#include "pcustomer/api/error_response.hpp"
#include "pcustomer/api/router.hpp"

namespace pcustomer {

// Owns the coroutine's completion handler until the handler answers. Holding work on the
// loop keeps it running while a store operation is pending. If every copy of the reply is
// dropped unanswered (a bug), the client still gets a 500 instead of a hung connection.
template <class Handler>
class ReplyState {
 public:
  ReplyState(Handler handler, boost::asio::io_context& io)
      : handler_(std::move(handler)), work_(io.get_executor()) {}
  ~ReplyState() {
    if (!answered_.load()) Answer(ErrorResponse(Error::Internal("a handler dropped its reply")));
  }

  void Answer(Response response) {
    if (answered_.exchange(true)) return;  // a second answer is a bug: keep the first
    boost::asio::post(work_.get_executor(),
                      [handler = std::move(handler_), response = std::move(response)]() mutable {
                        handler(std::move(response));
                      });
  }

 private:
  Handler handler_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::atomic<bool> answered_{false};
};

template <class Token>
auto AsyncDispatch(const Router& router, boost::asio::io_context& io, Request request,
                   Token&& token) {
  return boost::asio::async_initiate<Token, void(Response)>(
      [&router, &io](auto handler, Request pending) {
        auto state = std::make_shared<ReplyState<decltype(handler)>>(std::move(handler), io);
        try {
          router.Dispatch(std::move(pending),
                          [state](Response response) { state->Answer(std::move(response)); });
        } catch (const std::exception& e) {
          spdlog::error("request handler threw: {}", e.what());
          state->Answer(ErrorResponse(Error::Internal("handler exception")));
        }
      },
      token, std::move(request));
}

}  // namespace pcustomer
