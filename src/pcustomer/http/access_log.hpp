#pragma once

#include <spdlog/common.h>

#include <chrono>
#include <string_view>

namespace pcustomer {

// Sets up the stderr loggers: general messages, and access lines at `level` or above.
void InitLogging(spdlog::level::level_enum level);

// One JSON line per request on stderr, at level info:
// {"ts":"...","method":"GET","path":"/pcustomers","status":200,"ms":0.31,"requestId":"..."}
void LogAccess(std::string_view method, std::string_view path, int status,
               std::chrono::steady_clock::duration duration, std::string_view request_id);

// Appends `text` to `out` as the inside of a JSON string.
void AppendJsonEscaped(std::string& out, std::string_view text);

}  // namespace pcustomer
