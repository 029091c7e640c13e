#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pcustomer/domain/result.hpp"
#include "pcustomer/domain/user.hpp"

namespace pcustomer {

// Where the identity provider keeps its accounts and refresh tokens. Asynchronous for the
// same reason as CustomerStore: a networked backend (DynamoDB) must never block the server's
// event loops. Usernames are matched ignoring ASCII case (UsernameKey); a user keeps the
// spelling it was created with.
//
// Failures every method may report: kUnavailable (store busy, unreachable or failing I/O;
// retrying later may succeed). Nothing is half-written when an operation fails, and a
// change is durable before its callback runs. Implementations are thread-safe.
class UserStore {
 public:
  virtual ~UserStore() = default;

  // Stores a new user. kConflict when a user with the same username, ignoring case,
  // exists; its one reason is {"source": "username", "desc": "<the existing spelling>"}.
  virtual void CreateUser(User user, Done<Ok> done) = 0;

  // The user named `username` ignoring case, if any.
  virtual void FindUser(std::string username, Done<std::optional<User>> done) = 0;

  // Every user, ordered by lower-cased username.
  virtual void ListUsers(Done<std::vector<User>> done) = 0;

  // Replaces password_hash, role, team and disabled of the user named `user.username`
  // ignoring case; its spelling and created_at stay. kNotFound when there is no such user
  // (never creates). Does not touch its refresh tokens: see RevokeUserTokens.
  virtual void UpdateUser(User user, Done<Ok> done) = 0;

  // How many users exist (the first run seeds an admin when there are none).
  virtual void CountUsers(Done<int64_t> done) = 0;

  // Stores the first token of a new family (a sign-in) as the family's current token.
  // kConflict when `record.token_hash` is already stored (never for random tokens).
  virtual void SaveRefreshToken(RefreshTokenRecord record, Done<Ok> done) = 0;

  // Exchanges a presented refresh token for `next`, atomically. When `presented_hash` is
  // its family's current token, unrevoked and `now < expires_at`: marks it rotated, stores
  // `next` as the family's new current token (taking family_id and username from the
  // presented token, whatever `next` holds) and answers the presented token's record,
  // username included.
  // Refusals, all kUnauthorized:
  //  - "Refresh token reuse detected; sign in again" when `presented_hash` was rotated
  //    before, expired or not: a replayed old token means the chain leaked, so the whole
  //    family is revoked (durably, before `done` runs) and none of its tokens works again;
  //  - "Refresh token is invalid or expired" when it is unknown, revoked, or expired.
  // kConflict, changing nothing, when `next.token_hash` is already stored.
  // Of several concurrent rotations of one token exactly one succeeds; the others count as
  // reuse. Tokens are kept a while past their expiry and then forgotten, after which a
  // rotated one reads as unknown rather than reused.
  virtual void RotateRefreshToken(std::string presented_hash, RefreshTokenRecord next, int64_t now,
                                  Done<RefreshTokenRecord> done) = 0;

  // Revokes every token of the family that `presented_hash` belongs to (sign-out). Ok also
  // when the token is unknown or already revoked: signing out twice is not an error.
  virtual void RevokeRefreshFamily(std::string presented_hash, Done<Ok> done) = 0;

  // Revokes every token of every family of the user named `username` ignoring case (after
  // the user is disabled or its password changes). Ok also when it has none.
  virtual void RevokeUserTokens(std::string username, Done<Ok> done) = 0;
};

}  // namespace pcustomer
