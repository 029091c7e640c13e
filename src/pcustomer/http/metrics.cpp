#include "pcustomer/http/metrics.hpp"

#include <cstdio>

#include "pcustomer/http/loop.hpp"
#include "pcustomer/util/escaped_exceptions.hpp"

namespace pcustomer {

void HttpMetrics::Record(int status, std::chrono::steady_clock::duration duration) {
  if (status >= 100 && status < 600) by_status_[status].fetch_add(1, std::memory_order_relaxed);
  double seconds = std::chrono::duration<double>(duration).count();
  size_t bucket = 0;
  while (bucket < kBucketBounds.size() && seconds > kBucketBounds[bucket]) ++bucket;
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  duration_micros_total_.fetch_add(
      static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(duration).count()),
      std::memory_order_relaxed);
}

std::string HttpMetrics::Render(const ServerCounters& counters) const {
  std::string out;
  char line[160];
  out += "# HELP pcustomer_http_requests_total HTTP requests answered, by status.\n";
  out += "# TYPE pcustomer_http_requests_total counter\n";
  for (int status = 100; status < 600; ++status) {
    uint64_t count = by_status_[status].load(std::memory_order_relaxed);
    if (count == 0) continue;
    std::snprintf(line, sizeof line, "pcustomer_http_requests_total{status=\"%d\"} %llu\n", status,
                  static_cast<unsigned long long>(count));
    out += line;
  }
  out +=
      "# HELP pcustomer_http_request_duration_seconds Time from the first byte of a request to its "
      "answer.\n";
  out += "# TYPE pcustomer_http_request_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= kBucketBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    if (i < kBucketBounds.size()) {
      std::snprintf(line, sizeof line,
                    "pcustomer_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                    kBucketBounds[i], static_cast<unsigned long long>(cumulative));
    } else {
      std::snprintf(line, sizeof line,
                    "pcustomer_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                    static_cast<unsigned long long>(cumulative));
    }
    out += line;
  }
  std::snprintf(line, sizeof line, "pcustomer_http_request_duration_seconds_sum %.6f\n",
                static_cast<double>(duration_micros_total_.load(std::memory_order_relaxed)) / 1e6);
  out += line;
  std::snprintf(line, sizeof line, "pcustomer_http_request_duration_seconds_count %llu\n",
                static_cast<unsigned long long>(cumulative));
  out += line;
  out += "# HELP pcustomer_http_in_flight_requests Requests being handled now.\n";
  out += "# TYPE pcustomer_http_in_flight_requests gauge\n";
  out += "pcustomer_http_in_flight_requests " + std::to_string(counters.in_flight.load()) + "\n";
  out +=
      "# HELP pcustomer_escaped_exceptions_total Exceptions no handler caught (logged; should stay "
      "0).\n";
  out += "# TYPE pcustomer_escaped_exceptions_total counter\n";
  out += "pcustomer_escaped_exceptions_total " + std::to_string(EscapedExceptionCount()) + "\n";
  out += "# HELP pcustomer_http_open_connections Client connections open now.\n";
  out += "# TYPE pcustomer_http_open_connections gauge\n";
  out += "pcustomer_http_open_connections " + std::to_string(counters.connections.load()) + "\n";
  return out;
}

}  // namespace pcustomer
