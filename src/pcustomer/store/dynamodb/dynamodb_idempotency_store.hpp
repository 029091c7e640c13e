#pragma once

#include <cstdint>
#include <string>

#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/store/idempotency_store.hpp"

namespace pcustomer {

// Idempotency keys in the customers' table, outside the customer partition: an item
// {type: kIdempotencyType, id: key, fingerprint, token, expiresAt, status (0 while the first
// request runs), headers, body, ttl} per key. A claim is a PutItem conditioned on no live
// item; TTL erases expired items eventually, so reads judge expiry by expiresAt themselves.
// The client must outlive the store.
class DynamoDbIdempotencyStore final : public IdempotencyStore {
 public:
  DynamoDbIdempotencyStore(DynamoDbClient& client, std::string table);

  void Claim(std::string key, std::string fingerprint, int64_t now, int64_t lease_until,
             Done<IdempotencyClaim> done) override;
  void Keep(std::string key, std::string token, KeptAnswer answer, int64_t keep_until,
            Done<Ok> done) override;
  void Release(std::string key, std::string token, Done<Ok> done) override;

 private:
  DynamoDbClient& client_;
  const std::string table_;
};

}  // namespace pcustomer
