#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace pcustomer {

struct ServerCounters;

// Request counters and a latency histogram, rendered in the Prometheus text format.
// Recording is a few relaxed atomic increments, cheap enough for every request.
class HttpMetrics {
 public:
  void Record(int status, std::chrono::steady_clock::duration duration);
  // The exposition text; `counters` adds the live in-flight and connection gauges.
  std::string Render(const ServerCounters& counters) const;

  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBucketBounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};

 private:
  std::array<std::atomic<uint64_t>, 600> by_status_{};
  std::array<std::atomic<uint64_t>, kBucketBounds.size() + 1> buckets_{};  // last: +Inf
  std::atomic<uint64_t> duration_micros_total_{0};
};

}  // namespace pcustomer
