#pragma once

#include <string>
#include <string_view>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Secrets the service keeps beside its data, such as the key that signs listing cursors: a
// secret must be the same for every process sharing the store, and must survive restarts,
// or the cursors one process hands out would not verify in another.
//
// Failures: kUnavailable (store unreachable or failing I/O; retrying later may succeed),
// kInternal when the stored secret does not have the form a secret has. Implementations are
// thread-safe.
class SecretStore {
 public:
  virtual ~SecretStore() = default;

  // A random secret of 32 bytes stored under `name`, created on first use and the same
  // for every process sharing the store (cursor signing). Blocking; call at start only.
  virtual Result<std::string> LoadOrCreateSecret(std::string_view name) = 0;
};

}  // namespace pcustomer
