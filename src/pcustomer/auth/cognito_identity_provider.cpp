#include "pcustomer/auth/cognito_identity_provider.hpp"

#include <future>

#include "pcustomer/auth/remote_key_source.hpp"
#include "pcustomer/util/clock.hpp"
#include "pcustomer/util/crypto.hpp"

namespace pcustomer {
namespace {

constexpr size_t kRoleCacheCapacity = 100'000;

AuthTokens ToAuthTokens(CognitoTokens tokens) {
  return AuthTokens{std::move(tokens.id_token), std::move(tokens.access_token),
                    std::move(tokens.refresh_token), tokens.expires_in_seconds};
}

// Cognito's and the HTTP client's own words go to the log, not to clients.
Error HidePeerText(Error error) {
  if (error.code != ErrorCode::kUnavailable) return error;
  return Error::Unavailable("The identity provider is unavailable; retry shortly",
                            error.Described(),
                            error.retry_after_seconds > 0 ? error.retry_after_seconds : 1);
}

Done<CognitoTokens> ForwardTokens(Done<AuthTokens> done) {
  return [done = std::move(done)](Result<CognitoTokens> tokens) {
    if (!tokens) return done(HidePeerText(std::move(tokens).error()));
    done(ToAuthTokens(std::move(*tokens)));
  };
}

Principal ToPrincipal(const AccessClaims& claims) {
  return Principal{claims.username, claims.role, claims.groups, claims.sub};
}

int64_t NowSeconds() { return NowUnixMillis() / 1000; }

}  // namespace

CognitoIdentityProvider::CognitoIdentityProvider(CognitoSettings settings, HttpTransport& transport)
    : client_(std::move(settings), transport),
      keys_(std::make_shared<RemoteKeySource>(
          [this](Done<std::string> done) { client_.FetchJwks(std::move(done)); })),
      verifier_(keys_,
                TokenVerifierOptions{client_.issuer(), client_.client_id(), 60, 10, 100'000, {}}),
      roles_(kRoleCacheCapacity) {}

CognitoIdentityProvider::~CognitoIdentityProvider() = default;

Status CognitoIdentityProvider::FetchKeys(std::chrono::milliseconds timeout) {
  auto fetched = std::make_shared<std::promise<void>>();
  auto future = fetched->get_future();
  keys_->Refresh([fetched] { fetched->set_value(); });
  if (future.wait_for(timeout) != std::future_status::ready) {
    return Error::Unavailable("the user pool's keys did not arrive in time");
  }
  if (auto error = keys_->last_error()) return *error;
  return Ok{};
}

void CognitoIdentityProvider::SignIn(std::string username, std::string password,
                                     std::string client_address, Done<AuthTokens> done) {
  // Cognito throttles too, but per pool: this keeps one attacker from locking out everyone.
  auto ask_again = [this, username, password, client_address, done] {
    SignIn(username, password, client_address, done);
  };
  SignInThrottle::Decision decision =
      throttle_.Begin(username, client_address, std::move(ask_again));
  if (decision.admission == SignInThrottle::Admission::kQueued) return;
  if (decision.admission == SignInThrottle::Admission::kRefused)
    return done(SignInRefused(decision));
  client_.SignIn(
      username, std::move(password),
      [this, username, client_address, done = std::move(done)](Result<CognitoTokens> tokens) {
        if (!tokens) {
          bool rejected = tokens.error().code == ErrorCode::kUnauthorized;
          throttle_.Finish(
              username, client_address,
              rejected ? SignInThrottle::Outcome::kRejected : SignInThrottle::Outcome::kAbandoned);
          return done(HidePeerText(std::move(tokens).error()));
        }
        throttle_.Finish(username, client_address, SignInThrottle::Outcome::kAccepted);
        done(ToAuthTokens(std::move(*tokens)));
      });
}

void CognitoIdentityProvider::Refresh(std::string refresh_token,
                                      std::optional<std::string> username, Done<AuthTokens> done) {
  client_.Refresh(std::move(refresh_token), username, ForwardTokens(std::move(done)));
}

void CognitoIdentityProvider::SignOut(std::string refresh_token, Done<Ok> done) {
  client_.RevokeRefreshToken(std::move(refresh_token),
                             [done = std::move(done)](Result<Ok> revoked) {
                               if (!revoked) return done(HidePeerText(std::move(revoked).error()));
                               done(Ok{});
                             });
}

void CognitoIdentityProvider::Authenticate(std::string access_token, Done<Principal> done) {
  verifier_.Verify(access_token, [this, access_token,
                                  done = std::move(done)](Result<AccessClaims> claims) mutable {
    if (!claims) return done(HidePeerText(std::move(claims).error()));
    if (!claims->role.empty()) return done(ToPrincipal(*claims));
    std::string digest = Sha256(access_token);
    if (auto known = roles_.Find(digest); known && known->exp == claims->exp)
      return done(ToPrincipal(*known));
    // Only a verified token reaches Cognito: junk never costs a network call.
    client_.GetUser(std::move(access_token),
                    [this, digest, claims = std::move(*claims),
                     done = std::move(done)](Result<CognitoUser> user) mutable {
                      if (!user) return done(HidePeerText(std::move(user).error()));
                      if (auto role = user->FindAttribute("custom:role"))
                        claims.role = std::string(*role);
                      roles_.Insert(digest, claims, claims.exp, NowSeconds());
                      done(ToPrincipal(claims));
                    });
  });
}

void CognitoIdentityProvider::LookUpUser(std::string, Done<std::optional<DirectoryUser>> done) {
  done(Error::Unavailable("Lead owners cannot be checked against Cognito yet"));
}

void CognitoIdentityProvider::TeamMembers(std::string, Done<std::vector<std::string>> done) {
  done(Error::Unavailable("Team members cannot be listed from Cognito yet"));
}

}  // namespace pcustomer
