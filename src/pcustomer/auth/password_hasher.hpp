#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Argon2id cost. The defaults are OWASP's recommendation for Argon2id (19 MiB, 2 passes,
// 1 lane): about as slow as a sign-in can afford on one core, and memory-hard so that
// guessing on GPUs stays expensive.
struct PasswordParams {
  uint32_t memory_kib = 19456;
  uint32_t iterations = 2;
  uint32_t parallelism = 1;
  bool operator==(const PasswordParams&) const = default;
};

// Hashes and verifies passwords with Argon2id (libargon2), storing them as PHC strings:
// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" with a random 16-byte salt and a 32-byte
// hash, both in unpadded base64. The parameters travel inside each string, so hashes made
// with older parameters keep verifying; NeedsRehash says when to replace one. Every method
// is const and thread-safe; each hash or verification takes the full Argon2 cost on the
// calling thread, so callers keep it off event loops.
class PasswordHasher {
 public:
  // Precomputes the hash that VerifyDummy checks, so it costs a full hash. Throws
  // std::invalid_argument when `params` are outside what Argon2 accepts (iterations and
  // parallelism at least 1, memory at least 8 KiB per lane): a configuration bug; and
  // std::runtime_error when that first hash cannot be made (out of memory at start).
  explicit PasswordHasher(PasswordParams params = {});

  // The PHC string of `password` under a fresh salt; kUnavailable when Argon2 cannot run
  // (out of memory), which a retry later may not meet.
  Result<std::string> Hash(std::string_view password) const;

  // True when `phc` is an Argon2id (v=19) PHC string and `password` matches it, compared in
  // constant time. False, never an exception, for anything else: a malformed string, another
  // algorithm, or costs beyond sane bounds (a damaged or planted hash must not make one
  // sign-in allocate gigabytes).
  bool Verify(std::string_view phc, std::string_view password) const;

  // True when `phc` was not made with the current parameters, salt and hash sizes (or is
  // malformed): after a successful Verify the caller stores Hash(password) in its place.
  bool NeedsRehash(std::string_view phc) const;

  // Verifies `password` against a hash no password matches, through the same code path and
  // at the same cost as Verify. For sign-ins of unknown usernames, so that the response
  // time does not tell which usernames exist.
  void VerifyDummy(std::string_view password) const;

  const PasswordParams& params() const { return params_; }
  // The hash VerifyDummy verifies against; it has the current parameters.
  const std::string& dummy_phc() const { return dummy_phc_; }

 private:
  PasswordParams params_;
  std::string dummy_phc_;
};

// The sign-in rules for usernames: 3 to 30 characters, each an ASCII letter, digit, '.',
// '_' or '-'. Ok, or kBadRequest with one reason {"source": "username", ...} per broken
// rule.
Status CheckUsernameRules(std::string_view username);

// The rules for new passwords: 8 to 256 characters (Unicode code points of valid UTF-8),
// with at least one upper-case and one lower-case ASCII letter, one digit, and one special
// character (ASCII punctuation, the set Cognito accepts). Ok, or kBadRequest with one
// reason {"source": "password", ...} per broken rule.
Status CheckPasswordRules(std::string_view password);

}  // namespace pcustomer
