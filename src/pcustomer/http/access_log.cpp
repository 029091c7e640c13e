#include "pcustomer/http/access_log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>

#include "pcustomer/util/clock.hpp"

namespace pcustomer {

namespace {
std::shared_ptr<spdlog::logger> access_logger;
}  // namespace

void InitLogging(spdlog::level::level_enum level) {
  // Both go to stderr; stdout carries only the line announcing the listening URL.
  auto general = spdlog::stderr_logger_mt("pcustomer");
  general->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  spdlog::set_default_logger(general);
  access_logger = spdlog::stderr_logger_mt("access");
  access_logger->set_pattern("%v");
  spdlog::set_level(level);
}

void AppendJsonEscaped(std::string& out, std::string_view text) {
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      // Control bytes, and high bytes that may not be UTF-8: the line stays valid JSON.
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
}

void LogAccess(std::string_view method, std::string_view path, int status,
               std::chrono::steady_clock::duration duration, std::string_view request_id) {
  if (!access_logger || !access_logger->should_log(spdlog::level::info)) return;
  std::string line = "{\"ts\":\"" + FormatIsoMillis(NowUnixMillis()) + "\",\"method\":\"";
  AppendJsonEscaped(line, method);
  line += "\",\"path\":\"";
  AppendJsonEscaped(line, path.substr(0, 512));
  char tail[64];
  double ms = std::chrono::duration<double, std::milli>(duration).count();
  std::snprintf(tail, sizeof tail, "\",\"status\":%d,\"ms\":%.3f,\"requestId\":\"", status, ms);
  line += tail;
  AppendJsonEscaped(line, request_id);
  line += "\"}";
  access_logger->info(line);
}

}  // namespace pcustomer
