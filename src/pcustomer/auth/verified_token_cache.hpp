#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "pcustomer/auth/jwt.hpp"

namespace pcustomer {

// Claims of tokens whose signature and claims were verified, keyed by the SHA-256 of the
// token, so each token costs one RSA verification however often it is presented. Bounded:
// at most `capacity` entries. Sharded (16 mutexes, chosen by digest) so that threads rarely
// wait on each other. Thread-safe.
class VerifiedTokenCache {
 public:
  static constexpr size_t kShards = 16;

  // `capacity` is spread over the shards, at least one entry each.
  explicit VerifiedTokenCache(size_t capacity);

  // The claims stored for the token whose SHA-256 is `digest`, if any. An entry may outlive
  // its expiry until evicted: the caller re-checks the claims against the clock.
  std::optional<AccessClaims> Find(std::string_view digest) const;

  // Stores `claims` until `expires_at` (unix seconds). When the shard is full, first drops
  // the entries expired at `now`, then, if still full, an arbitrary half of the rest.
  void Insert(std::string_view digest, AccessClaims claims, int64_t expires_at, int64_t now);

  size_t size() const;

 private:
  struct Entry {
    AccessClaims claims;
    int64_t expires_at = 0;
  };
  // A SHA-256 digest is already uniformly spread: any eight bytes of it make a good hash.
  struct DigestHash {
    size_t operator()(const std::string& digest) const;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry, DigestHash> entries;  // guarded by mutex
  };

  Shard& ShardOf(std::string_view digest) const;

  const size_t shard_capacity_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace pcustomer
