#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "pcustomer/auth/key_source.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// Fetches a JWKS document, e.g. GET
// https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json, and answers its
// body, or an error when the provider cannot be reached or does not answer 200. Must not
// block; `done` may run on any thread, before the call returns or later.
using JwksFetcher = std::function<void(Done<std::string> done)>;

// Keys of a remote issuer, fetched on Refresh and kept in memory. Serves the last good key
// set whenever a fetch fails, answers garbage, or answers no usable key, so a provider outage
// never locks out tokens signed by keys already known. Concurrent Refresh calls share one
// fetch; a new fetch starts at most once per `min_refresh_interval`. Starts empty: call
// Refresh once at startup. Thread-safe; the object may be destroyed while a fetch is in
// flight.
class RemoteKeySource final : public KeySource {
 public:
  struct Options {
    std::chrono::milliseconds min_refresh_interval = std::chrono::seconds(5);
    std::function<int64_t()> now_millis;  // monotonic milliseconds; default steady_clock
  };

  RemoteKeySource(JwksFetcher fetch, Options options);
  explicit RemoteKeySource(JwksFetcher fetch) : RemoteKeySource(std::move(fetch), Options{}) {}
  ~RemoteKeySource() override;

  std::shared_ptr<const JwksKeys> Current() override;
  void Refresh(std::function<void()> done) override;

  // Why the last fetch was not used, for health checks and logs; none after a success.
  std::optional<Error> last_error() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace pcustomer
