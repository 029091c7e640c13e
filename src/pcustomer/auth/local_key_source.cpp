#include "pcustomer/auth/local_key_source.hpp"

namespace pcustomer {

void LocalKeySource::Refresh(std::function<void()> done) {
  const auto now = std::chrono::steady_clock::now();
  bool reload = false;
  {
    std::lock_guard lock(mutex_);
    if (!last_reload_ || now - *last_reload_ >= min_reload_interval_) {
      last_reload_ = now;
      reload = true;
    }
  }
  if (reload) (void)store_->Reload();
  done();
}

}  // namespace pcustomer
