#include "pcustomer/auth/local_identity_provider.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "pcustomer/auth/jwt.hpp"
#include "pcustomer/auth/local_key_source.hpp"
#include "pcustomer/util/clock.hpp"
#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

constexpr int64_t kKeyReloadSeconds = 60;

Error WrongCredentials() { return Error::Unauthorized("Incorrect username or password"); }

std::string NewOpaqueToken() { return Base64UrlEncode(RandomBytes(32)); }

// The id token: who the user is, for the client's own use (never accepted as access).
std::string IdTokenPayload(const AccessClaims& access) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
  auto string_field = [&json](const char* key, const std::string& value) {
    json.Key(key);
    json.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  json.StartObject();
  string_field("iss", access.iss);
  string_field("sub", access.sub);
  string_field("aud", access.client_id);
  string_field("token_use", "id");
  string_field("cognito:username", access.username);
  string_field("custom:role", access.role);
  json.Key("cognito:groups");
  json.StartArray();
  for (const std::string& group : access.groups)
    json.String(group.c_str(), static_cast<rapidjson::SizeType>(group.size()));
  json.EndArray();
  json.Key("auth_time");
  json.Int64(access.iat);
  json.Key("iat");
  json.Int64(access.iat);
  json.Key("exp");
  json.Int64(access.exp);
  string_field("jti", Base64UrlEncode(RandomBytes(16)));
  json.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string RefreshTokenHash(std::string_view token) { return HexEncode(Sha256(token)); }

LocalIdentityProvider::LocalIdentityProvider(UserStore& users,
                                             std::shared_ptr<SigningKeyStore> keys,
                                             LocalIdentityOptions options)
    : users_(users),
      keys_(keys),
      options_(std::move(options)),
      hasher_(options_.password_params),
      throttle_(options_.now_seconds
                    ? SignInThrottle::Clock([now = options_.now_seconds] { return now() * 1000; })
                    : SignInThrottle::Clock{}),
      verifier_(std::make_shared<LocalKeySource>(keys),
                TokenVerifierOptions{options_.issuer, options_.client_id, 60, 10, 100'000,
                                     options_.now_seconds}),
      hashing_(options_.hashing_threads, options_.max_queued_hashes) {
  last_key_reload_ = Now();
}

int64_t LocalIdentityProvider::Now() const {
  return options_.now_seconds ? options_.now_seconds() : NowUnixMillis() / 1000;
}

void LocalIdentityProvider::SignIn(std::string username, std::string password,
                                   std::string client_address, Done<AuthTokens> done) {
  auto ask_again = [this, username, password, client_address, done] {
    SignIn(username, password, client_address, done);
  };
  SignInThrottle::Decision decision =
      throttle_.Begin(username, client_address, std::move(ask_again));
  if (decision.admission == SignInThrottle::Admission::kQueued) return;
  if (decision.admission == SignInThrottle::Admission::kRefused)
    return done(SignInRefused(decision));
  std::string lookup = username;
  users_.FindUser(
      std::move(lookup), [this, username = std::move(username), password = std::move(password),
                          client_address = std::move(client_address),
                          done](Result<std::optional<User>> found) mutable {
        if (!found) {
          throttle_.Finish(username, client_address, SignInThrottle::Outcome::kAbandoned);
          return done(std::move(found).error());
        }
        // The lambda is copied into the pool's std::function, so it holds only copyable state.
        auto check = [this, username, password, client_address, user = std::move(*found),
                      done]() mutable {
          CheckPassword(std::move(username), std::move(password), std::move(client_address),
                        std::move(user), std::move(done));
        };
        if (!hashing_.TryPost(std::move(check))) {
          throttle_.Finish(username, client_address, SignInThrottle::Outcome::kAbandoned);
          done(Error::Unavailable("Too many sign-ins in progress; retry shortly"));
        }
      });
}

void LocalIdentityProvider::CheckPassword(std::string username, std::string password,
                                          std::string client_address, std::optional<User> user,
                                          Done<AuthTokens> done) {
  bool accepted = false;
  if (user) {
    accepted = hasher_.Verify(user->password_hash, password) && !user->disabled;
  } else {
    hasher_.VerifyDummy(password);
  }
  throttle_.Finish(
      username, client_address,
      accepted ? SignInThrottle::Outcome::kAccepted : SignInThrottle::Outcome::kRejected);
  if (!accepted) return done(WrongCredentials());
  if (hasher_.NeedsRehash(user->password_hash)) {
    // Parameters changed since this hash was made: store one with today's, best effort.
    if (Result<std::string> hash = hasher_.Hash(password); hash.ok()) {
      User rehashed = *user;
      rehashed.password_hash = std::move(hash).value();
      users_.UpdateUser(std::move(rehashed), [](Status) {});
    }
  }
  StartSession(*user, std::move(done));
}

void LocalIdentityProvider::ReloadKeysIfStale() {
  int64_t now = Now();
  int64_t last = last_key_reload_.load();
  if (now - last < kKeyReloadSeconds || !last_key_reload_.compare_exchange_strong(last, now))
    return;
  (void)keys_->Reload();  // a failed reload keeps signing with the current key
}

Result<AuthTokens> LocalIdentityProvider::IssueTokens(const User& user) {
  ReloadKeysIfStale();
  SigningKey key = keys_->Current();
  AccessClaims claims;
  claims.iss = options_.issuer;
  claims.sub = UsernameKey(user.username);
  claims.username = user.username;
  claims.client_id = options_.client_id;
  claims.token_use = "access";
  claims.role = user.role;
  claims.groups = {user.team};
  claims.jti = Base64UrlEncode(RandomBytes(16));
  claims.iat = Now();
  claims.exp = claims.iat + options_.access_token_seconds;
  auto access = SignJwt(AccessClaimsJson(claims), key.key, key.kid);
  if (!access) return std::move(access).error();
  auto id = SignJwt(IdTokenPayload(claims), key.key, key.kid);
  if (!id) return std::move(id).error();
  return AuthTokens{std::move(*id), std::move(*access), std::nullopt,
                    options_.access_token_seconds};
}

void LocalIdentityProvider::StartSession(const User& user, Done<AuthTokens> done) {
  auto tokens = IssueTokens(user);
  if (!tokens) return done(std::move(tokens).error());
  std::string refresh = NewOpaqueToken();
  RefreshTokenRecord record{RefreshTokenHash(refresh), Base64UrlEncode(RandomBytes(16)),
                            user.username, Now(), Now() + options_.refresh_token_seconds};
  tokens->refresh_token = std::move(refresh);
  users_.SaveRefreshToken(std::move(record),
                          [tokens = std::move(*tokens), done = std::move(done)](Status saved) {
                            if (!saved) return done(saved.error());
                            done(tokens);
                          });
}

void LocalIdentityProvider::Refresh(std::string refresh_token,
                                    std::optional<std::string> /*username*/,
                                    Done<AuthTokens> done) {
  std::string next = NewOpaqueToken();
  RefreshTokenRecord next_record{RefreshTokenHash(next), "", "", Now(),
                                 Now() + options_.refresh_token_seconds};
  users_.RotateRefreshToken(
      RefreshTokenHash(refresh_token), std::move(next_record), Now(),
      [this, next = std::move(next),
       done = std::move(done)](Result<RefreshTokenRecord> presented) mutable {
        if (!presented) return done(std::move(presented).error());
        users_.FindUser(presented->username, [this, next = std::move(next), done = std::move(done)](
                                                 Result<std::optional<User>> found) {
          if (!found) return done(std::move(found).error());
          if (!*found || (*found)->disabled) {
            return done(Error::Unauthorized("Refresh token is invalid or expired"));
          }
          // RSA signing takes about a millisecond: not on the store's writer thread.
          auto issue = [this, user = **found, next, done] {
            auto tokens = IssueTokens(user);
            if (!tokens) return done(std::move(tokens).error());
            tokens->refresh_token = next;
            done(std::move(*tokens));
          };
          if (!hashing_.TryPost(std::move(issue)))
            done(Error::Unavailable("Too many requests in progress; retry shortly"));
        });
      });
}

void LocalIdentityProvider::SignOut(std::string refresh_token, Done<Ok> done) {
  users_.RevokeRefreshFamily(RefreshTokenHash(refresh_token), std::move(done));
}

void LocalIdentityProvider::Authenticate(std::string access_token, Done<Principal> done) {
  verifier_.Verify(access_token, [done = std::move(done)](Result<AccessClaims> claims) {
    if (!claims) return done(std::move(claims).error());
    done(Principal{claims->username, claims->role, claims->groups, claims->sub});
  });
}

std::optional<std::string> LocalIdentityProvider::PublicJwks() const { return keys_->JwksJson(); }

void LocalIdentityProvider::LookUpUser(std::string username,
                                       Done<std::optional<DirectoryUser>> done) {
  users_.FindUser(std::move(username), [done = std::move(done)](Result<std::optional<User>> user) {
    if (!user.ok()) return done(std::move(user).error());
    if (!user->has_value()) return done(std::optional<DirectoryUser>());
    const User& found = **user;
    done(
        std::optional<DirectoryUser>(DirectoryUser{found.username, {found.team}, !found.disabled}));
  });
}

void LocalIdentityProvider::TeamMembers(std::string team, Done<std::vector<std::string>> done) {
  users_.ListUsers(
      [team = std::move(team), done = std::move(done)](Result<std::vector<User>> users) {
        if (!users.ok()) return done(std::move(users).error());
        std::vector<std::string> members;
        for (const User& user : *users) {
          if (user.team == team && !user.disabled) members.push_back(user.username);
        }
        std::sort(members.begin(), members.end());
        done(std::move(members));
      });
}

}  // namespace pcustomer
