#include "pcustomer/auth/verified_token_cache.hpp"

#include <gtest/gtest.h>

#include <string>

#include "pcustomer/util/crypto.hpp"

namespace pcustomer {
namespace {

AccessClaims Claims(int i) {
  AccessClaims claims;
  claims.jti = std::to_string(i);
  return claims;
}

TEST(VerifiedTokenCache, RemembersClaimsByDigest) {
  VerifiedTokenCache cache(100);
  cache.Insert(Sha256("a"), Claims(1), 2000, 1000);
  EXPECT_EQ(cache.Find(Sha256("a"))->jti, "1");
  EXPECT_FALSE(cache.Find(Sha256("b")).has_value());
  EXPECT_EQ(cache.size(), 1u);
}

TEST(VerifiedTokenCache, NeverHoldsMoreThanItsCapacity) {
  VerifiedTokenCache cache(64);
  for (int i = 0; i < 20'000; ++i) {
    cache.Insert(Sha256(std::to_string(i)), Claims(i), 5000, 1000);
    ASSERT_LE(cache.size(), 64u);
  }
  // The newest entry is always kept: eviction happens before insertion.
  EXPECT_TRUE(cache.Find(Sha256("19999")).has_value());
  EXPECT_GE(cache.size(), 16u);
}

// A digest that falls in shard 0, told apart by `id`.
std::string ShardZeroDigest(char id) {
  std::string digest(32, '\0');
  digest[0] = static_cast<char>(VerifiedTokenCache::kShards);  // index = byte % kShards
  digest[20] = id;
  return digest;
}

TEST(VerifiedTokenCache, WhenFullDropsExpiredEntriesFirst) {
  VerifiedTokenCache cache(VerifiedTokenCache::kShards * 4);  // 4 per shard
  for (char id : {'a', 'b', 'c'}) cache.Insert(ShardZeroDigest(id), Claims(id), 1500, 1000);
  cache.Insert(ShardZeroDigest('k'), Claims('k'), 9000, 1000);
  cache.Insert(ShardZeroDigest('n'), Claims('n'), 9000, 2000);  // a, b, c expired at 1500
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.Find(ShardZeroDigest('k')).has_value());
  EXPECT_TRUE(cache.Find(ShardZeroDigest('n')).has_value());
}

TEST(VerifiedTokenCache, WhenFullOfValidEntriesDropsHalf) {
  VerifiedTokenCache cache(VerifiedTokenCache::kShards * 4);
  for (char id : {'a', 'b', 'c', 'd'}) cache.Insert(ShardZeroDigest(id), Claims(id), 9000, 1000);
  EXPECT_EQ(cache.size(), 4u);
  cache.Insert(ShardZeroDigest('e'), Claims('e'), 9000, 1000);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_TRUE(cache.Find(ShardZeroDigest('e')).has_value());
  // Replacing an entry of a full shard evicts nothing.
  cache.Insert(ShardZeroDigest('f'), Claims('f'), 9000, 1000);
  cache.Insert(ShardZeroDigest('f'), Claims('g'), 9000, 1000);
  EXPECT_EQ(cache.size(), 4u);
  EXPECT_EQ(cache.Find(ShardZeroDigest('f'))->jti, std::to_string('g'));
}

}  // namespace
}  // namespace pcustomer
