#include "pcustomer/auth/verified_token_cache.hpp"

#include <algorithm>
#include <cstring>
#include <functional>

namespace pcustomer {

size_t VerifiedTokenCache::DigestHash::operator()(const std::string& digest) const {
  if (digest.size() < 16) return std::hash<std::string>{}(digest);
  size_t hash = 0;
  std::memcpy(&hash, digest.data() + 8, sizeof hash);  // bytes 0-7 pick the shard
  return hash;
}

VerifiedTokenCache::VerifiedTokenCache(size_t capacity)
    : shard_capacity_(std::max<size_t>(1, capacity / kShards)) {}

VerifiedTokenCache::Shard& VerifiedTokenCache::ShardOf(std::string_view digest) const {
  const size_t index = digest.empty() ? 0 : static_cast<unsigned char>(digest[0]) % kShards;
  return shards_[index];
}

std::optional<AccessClaims> VerifiedTokenCache::Find(std::string_view digest) const {
  Shard& shard = ShardOf(digest);
  std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(std::string(digest));
  if (it == shard.entries.end()) return std::nullopt;
  return it->second.claims;
}

void VerifiedTokenCache::Insert(std::string_view digest, AccessClaims claims, int64_t expires_at,
                                int64_t now) {
  Shard& shard = ShardOf(digest);
  std::lock_guard lock(shard.mutex);
  auto& entries = shard.entries;
  if (entries.size() >= shard_capacity_ && !entries.contains(std::string(digest))) {
    std::erase_if(entries, [now](const auto& entry) { return entry.second.expires_at <= now; });
    // Halving, rather than dropping one entry, keeps the cost of eviction amortized
    // constant when a flood of distinct valid tokens keeps the shard full.
    if (entries.size() >= shard_capacity_) {
      for (auto it = entries.begin();
           it != entries.end() && entries.size() > shard_capacity_ / 2;) {
        it = entries.erase(it);
      }
    }
  }
  entries.insert_or_assign(std::string(digest), Entry{std::move(claims), expires_at});
}

size_t VerifiedTokenCache::size() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.entries.size();
  }
  return total;
}

}  // namespace pcustomer
