#include "pcustomer/api/idempotency_guard.hpp"

#include <memory>
#include <utility>

#include "pcustomer/api/error_response.hpp"
#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

constexpr size_t kMaxKeyLength = 255;

Error BadKey() {
  return Error::BadRequest(
      "Idempotency-Key must be 1-255 printable ASCII characters",
      {{"Idempotency-Key", "1-255 printable ASCII characters, optionally in double quotes"}});
}

bool Printable(char c) { return c >= 0x20 && c <= 0x7e; }

// Headers a replay repeats; the rest (Retry-After, ...) belongs to the moment it was sent.
bool KeptHeader(const std::string& name) { return name == "Location" || name == "ETag"; }

// The caller's scope: the token's sub, which stays when a username is reused.
std::string StoreKey(const Principal& caller, std::string_view key) {
  std::string scope = caller.sub.empty() ? "username:" + caller.username : "sub:" + caller.sub;
  return HexEncode(Sha256(scope + '\n' + std::string(key)));
}

// What makes two requests "the same": method, path and body, byte for byte.
std::string Fingerprint(const Request& request) {
  return HexEncode(Sha256(request.method + '\n' + request.path + '\n' + request.body));
}

bool Kept(int status) { return status < 500 && status != 429; }

Response Replayed(KeptAnswer answer) {
  Response response = JsonResponse(std::move(answer.body), answer.status);
  response.headers = std::move(answer.headers);
  response.headers.emplace_back("Idempotent-Replayed", "true");
  return response;
}

}  // namespace

Result<std::string> ParseIdempotencyKey(std::string_view header) {
  std::string key;
  if (header.size() >= 2 && header.front() == '"' && header.back() == '"') {
    header = header.substr(1, header.size() - 2);
    for (size_t i = 0; i < header.size(); ++i) {
      char c = header[i];
      if (c == '"') return BadKey();
      if (c == '\\') {
        if (i + 1 == header.size() || (header[i + 1] != '"' && header[i + 1] != '\\')) {
          return BadKey();
        }
        c = header[++i];
      }
      key += c;
    }
  } else {
    key = std::string(header);
  }
  if (key.empty() || key.size() > kMaxKeyLength) return BadKey();
  for (char c : key) {
    if (!Printable(c)) return BadKey();
  }
  return key;
}

IdempotencyGuard::IdempotencyGuard(IdempotencyStore& store, Clock clock)
    : store_(store), clock_(std::move(clock)) {}

void IdempotencyGuard::Run(const Handler& handler, Request request, Principal caller, Reply reply) {
  if (request.idempotency_key.empty()) {
    return handler(std::move(request), std::move(caller), std::move(reply));
  }
  Result<std::string> key = ParseIdempotencyKey(request.idempotency_key);
  if (!key) return reply(ErrorResponse(key.error()));
  std::string store_key = StoreKey(caller, *key);
  std::string fingerprint = Fingerprint(request);
  const int64_t now = clock_();
  // The request moves into the claim's completion; the handler runs from there.
  auto pending =
      std::make_shared<std::pair<Request, Principal>>(std::move(request), std::move(caller));
  store_.Claim(
      store_key, std::move(fingerprint), now, now + kIdempotencyLeaseMillis,
      [this, &handler, store_key, pending,
       reply = std::move(reply)](Result<IdempotencyClaim> claim) mutable {
        if (!claim) return reply(ErrorResponse(claim.error()));
        switch (claim->outcome) {
          case IdempotencyClaim::Outcome::kReplay:
            return reply(Replayed(std::move(claim->answer)));
          case IdempotencyClaim::Outcome::kOtherRequest:
            return reply(
                ErrorResponse({ErrorCode::kUnprocessableEntity,
                               "This Idempotency-Key was used for another request",
                               {{"Idempotency-Key", "a key carries one method, path and body"}}}));
          case IdempotencyClaim::Outcome::kInFlight: {
            Error running = Error::Conflict(
                "A request with this Idempotency-Key is still running; retry shortly",
                {{"Idempotency-Key", "in flight"}});
            running.retry_after_seconds = 1;
            return reply(ErrorResponse(running));
          }
          case IdempotencyClaim::Outcome::kClaimed:
            break;
        }
        Reply finish = [this, store_key, token = std::move(claim->token),
                        reply = std::move(reply)](Response response) mutable {
          // The answer reaches the client only once it is kept (or the claim released), so
          // a retry that follows it at once replays instead of running again. A failure to
          // keep leaves the claim to its lease: retries see 409 until it ends.
          auto send = [reply = std::move(reply), response = std::make_shared<Response>(response)](
                          const Status&) { reply(std::move(*response)); };
          if (!Kept(response.status)) return store_.Release(store_key, token, send);
          KeptAnswer answer{response.status, response.body, {}};
          for (const auto& header : response.headers) {
            if (KeptHeader(header.first)) answer.headers.push_back(header);
          }
          store_.Keep(store_key, token, std::move(answer), clock_() + kIdempotencyKeepMillis, send);
        };
        handler(std::move(pending->first), std::move(pending->second), std::move(finish));
      });
}

}  // namespace pcustomer
