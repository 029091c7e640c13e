#include "pcustomer/auth/remote_key_source.hpp"

#include <mutex>
#include <utility>
#include <vector>

namespace pcustomer {

struct RemoteKeySource::State {
  JwksFetcher fetch;
  Options options;
  mutable std::mutex mutex;
  // Guarded by mutex:
  std::shared_ptr<const JwksKeys> keys = std::make_shared<const JwksKeys>();
  std::optional<int64_t> last_attempt;
  bool fetching = false;
  std::vector<std::function<void()>> waiters;
  std::optional<Error> last_error;

  void Finish(Result<std::string> body) {
    std::optional<Error> error;
    std::shared_ptr<const JwksKeys> fresh;
    if (!body) {
      error = std::move(body).error();
    } else if (Result<JwksKeys> parsed = ParseJwks(*body); !parsed) {
      error = std::move(parsed).error();
    } else if (parsed->empty()) {
      error = Error::Unavailable("JWKS has no usable RS256 key");
    } else {
      fresh = std::make_shared<const JwksKeys>(std::move(parsed).value());
    }
    std::vector<std::function<void()>> done;
    {
      std::lock_guard lock(mutex);
      if (fresh) keys = std::move(fresh);
      last_error = std::move(error);
      fetching = false;
      done.swap(waiters);
    }
    for (auto& callback : done) callback();
  }
};

RemoteKeySource::RemoteKeySource(JwksFetcher fetch, Options options)
    : state_(std::make_shared<State>()) {
  if (!options.now_millis) {
    options.now_millis = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
  }
  state_->fetch = std::move(fetch);
  state_->options = std::move(options);
}

RemoteKeySource::~RemoteKeySource() = default;

std::shared_ptr<const JwksKeys> RemoteKeySource::Current() {
  std::lock_guard lock(state_->mutex);
  return state_->keys;
}

void RemoteKeySource::Refresh(std::function<void()> done) {
  const int64_t now = state_->options.now_millis();
  bool start_fetch = false;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->fetching) {
      state_->waiters.push_back(std::move(done));
      return;
    }
    const auto interval = state_->options.min_refresh_interval.count();
    if (!state_->last_attempt || now - *state_->last_attempt >= interval) {
      state_->last_attempt = now;
      state_->fetching = true;
      state_->waiters.push_back(std::move(done));
      start_fetch = true;
    }
  }
  if (!start_fetch) {
    done();
    return;
  }
  // The callback keeps the state alive, so the source may be destroyed mid-fetch.
  state_->fetch([state = state_](Result<std::string> body) { state->Finish(std::move(body)); });
}

std::optional<Error> RemoteKeySource::last_error() const {
  std::lock_guard lock(state_->mutex);
  return state_->last_error;
}

}  // namespace pcustomer
