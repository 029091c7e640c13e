#pragma once

#include <functional>
#include <memory>

#include "pcustomer/auth/jwks.hpp"

namespace pcustomer {

// Where a TokenVerifier gets the public keys of the token issuer.
class KeySource {
 public:
  virtual ~KeySource() = default;

  // The keys known now; never null (empty before any key is known). Cheap, non-blocking and
  // safe to call from any thread. The map is immutable: a refresh publishes a new one.
  virtual std::shared_ptr<const JwksKeys> Current() = 0;

  // Asks for the issuer's current keys, e.g. after a token named an unknown kid. `done`
  // runs exactly once, on any thread, possibly before Refresh returns, when the attempt is
  // over: whether it succeeded or not, and Current() then answers the newest keys known
  // (a failed attempt keeps the previous keys). Implementations rate-limit attempts and may
  // answer at once without trying. Must not block on the network.
  virtual void Refresh(std::function<void()> done) = 0;
};

}  // namespace pcustomer
