#include "pcustomer/util/escaped_exceptions.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <string>

namespace pcustomer {
namespace {

std::atomic<uint64_t> escaped{0};

std::string Describe(const std::exception_ptr& failure) {
  if (!failure) return "no exception";
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception of unknown type";
  }
}

}  // namespace

void RecordEscapedException(std::string_view where, const std::exception_ptr& failure) noexcept {
  escaped.fetch_add(1, std::memory_order_relaxed);
  try {
    spdlog::error("uncaught exception in {}: {}", where, Describe(failure));
  } catch (...) {
    // Logging itself failed (out of memory): the count still shows it.
  }
}

uint64_t EscapedExceptionCount() noexcept { return escaped.load(std::memory_order_relaxed); }

}  // namespace pcustomer
