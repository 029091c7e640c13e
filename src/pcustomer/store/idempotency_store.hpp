#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// A final answer kept under an idempotency key, replayed to a retry of the same request.
struct KeptAnswer {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Location, ETag
  bool operator==(const KeptAnswer&) const = default;
};

// A kept answer's headers as stored: "Name: value" lines (header values hold no line breaks),
// and back.
std::string EncodeKeptHeaders(const std::vector<std::pair<std::string, std::string>>& headers);
std::vector<std::pair<std::string, std::string>> DecodeKeptHeaders(std::string_view text);

// A fresh claim token: random, so a claim whose outcome was unknown can tell itself apart.
std::string NewClaimToken();

// What a claim of a key found.
struct IdempotencyClaim {
  enum class Outcome {
    kClaimed,       // nobody holds the key: run the request, then Keep or Release
    kInFlight,      // the same request holds it and has not answered yet
    kReplay,        // the same request answered `answer`
    kOtherRequest,  // another request (method, path or body) holds it
  };
  Outcome outcome = Outcome::kClaimed;
  std::string token;  // kClaimed: proves the claim to Keep and Release
  KeptAnswer answer;  // kReplay
};

// Where idempotency keys (CONTRACT.md section 8) live: in the store beside the leads, so a
// key survives a restart and every instance sharing the store sees it. Keys and fingerprints
// are opaque to the store (the API layer hashes the caller, the key and the request into
// them); times are Unix milliseconds chosen by the caller, so tests control expiry.
//
// Failures: kUnavailable (store busy or unreachable). Implementations are thread-safe.
class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;

  // Takes `key` for the request `fingerprint` until `lease_until`, unless a record that has
  // not expired at `now` holds it: then answers what that record says. An abandoned claim
  // (its process died before answering) expires at its lease and may be claimed again.
  virtual void Claim(std::string key, std::string fingerprint, int64_t now, int64_t lease_until,
                     Done<IdempotencyClaim> done) = 0;

  // Keeps `answer` under the key claimed with `token` until `keep_until`. Ok without effect
  // when the claim was lost (its lease ran out and another request took the key).
  virtual void Keep(std::string key, std::string token, KeptAnswer answer, int64_t keep_until,
                    Done<Ok> done) = 0;

  // Gives up the claim made with `token` (the answer is not kept): the next request with the
  // key runs. Ok without effect when the claim was lost.
  virtual void Release(std::string key, std::string token, Done<Ok> done) = 0;
};

}  // namespace pcustomer
