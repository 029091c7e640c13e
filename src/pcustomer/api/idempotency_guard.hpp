#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "pcustomer/api/router.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/store/idempotency_store.hpp"

namespace pcustomer {

// How long a first answer is replayed, and how long a claim stands while its request runs:
// longer than any request takes with all its store retries, short enough that a key whose
// process died mid-request is usable again within minutes.
inline constexpr int64_t kIdempotencyKeepMillis = int64_t{24} * 60 * 60 * 1000;
inline constexpr int64_t kIdempotencyLeaseMillis = int64_t{2} * 60 * 1000;

// The key an Idempotency-Key header carries: a Structured Field string ("...", with \" and
// \\ escapes) as the IETF draft writes it, or the bare characters as many clients send them.
// 1-255 printable ASCII characters; kBadRequest otherwise.
Result<std::string> ParseIdempotencyKey(std::string_view header);

// Runs the routes that create or change (CONTRACT.md section 8) at most once per caller and
// key: the first final answer is kept in the store and replayed to the same request (same
// method, path and body) with Idempotent-Replayed: true; another request with the key gets
// 422, and the same one while the first still runs 409 with Retry-After. Answers with a 5xx
// or 429 are not kept, so a retry runs again. Requests without the header run as they are.
class IdempotencyGuard {
 public:
  using Clock = std::function<int64_t()>;  // Unix milliseconds
  IdempotencyGuard(IdempotencyStore& store, Clock clock);

  // Runs `handler` (which must outlive the call) for `request` from `caller` under the key.
  void Run(const Handler& handler, Request request, Principal caller, Reply reply);

 private:
  IdempotencyStore& store_;
  Clock clock_;
};

}  // namespace pcustomer
