#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "pcustomer/auth/key_source.hpp"
#include "pcustomer/auth/signing_keys.hpp"

namespace pcustomer {

// The keys of this process's own identity provider. Refresh reloads the key directory, which
// picks up a `pcustomer keys rotate` run by another process; it reads a few small files on
// the calling thread, at most once per `min_reload_interval`. Thread-safe.
class LocalKeySource final : public KeySource {
 public:
  explicit LocalKeySource(std::shared_ptr<SigningKeyStore> store,
                          std::chrono::milliseconds min_reload_interval = std::chrono::seconds(1))
      : store_(std::move(store)), min_reload_interval_(min_reload_interval) {}

  std::shared_ptr<const JwksKeys> Current() override { return store_->Keys(); }
  // A failed reload keeps the previous keys; the failure shows in the next rotation or
  // restart, which report errors.
  void Refresh(std::function<void()> done) override;

 private:
  std::shared_ptr<SigningKeyStore> store_;
  const std::chrono::milliseconds min_reload_interval_;
  std::mutex mutex_;
  std::optional<std::chrono::steady_clock::time_point> last_reload_;  // guarded by mutex_
};

}  // namespace pcustomer
