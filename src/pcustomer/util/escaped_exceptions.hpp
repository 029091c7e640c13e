#pragma once

#include <cstdint>
#include <exception>
#include <string_view>

namespace pcustomer {

// Where an exception that nothing caught ends up: every coroutine's completion handler and
// every worker thread report it here instead of letting it end the process. The exception is
// logged with `where` (e.g. "http session") and counted; /metrics shows the count as
// pcustomer_escaped_exceptions_total, which should stay 0. Thread-safe; never throws.
void RecordEscapedException(std::string_view where, const std::exception_ptr& failure) noexcept;

// How many RecordEscapedException calls this process has seen.
uint64_t EscapedExceptionCount() noexcept;

}  // namespace pcustomer
