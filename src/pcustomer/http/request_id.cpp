#include "pcustomer/http/request_id.hpp"

#include <atomic>
#include <cstdint>
#include <random>

#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

bool IsSane(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// splitmix64: spreads a counter into well-mixed bits. Ids must be unique, not secret.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::string ChooseRequestId(std::string_view incoming) {
  if (IsSane(incoming)) return std::string(incoming);
  static const uint64_t seed = std::random_device{}() * 0x100000001ULL ^ std::random_device{}();
  static std::atomic<uint64_t> counter{0};
  uint64_t value = Mix(seed + counter.fetch_add(1, std::memory_order_relaxed));
  return HexEncode(std::string_view(reinterpret_cast<const char*>(&value), sizeof value));
}

}  // namespace pcustomer
