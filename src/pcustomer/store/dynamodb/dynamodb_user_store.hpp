#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/store/user_store.hpp"

namespace pcustomer {

// Partition values of the identity provider's items in the customers' table.
inline constexpr const char* kUserType = "pcustomer_user";
inline constexpr const char* kRefreshTokenType = "pcustomer_refresh";
inline constexpr const char* kRefreshFamilyType = "pcustomer_refresh_family";
// The attribute DynamoDB's time to live reads (CreateTable enables it): tokens and families
// are forgotten this long after they expire. While kept, replaying a rotated token still
// revokes its family; afterwards it reads as unknown, which refuses it all the same.
inline constexpr const char* kTimeToLiveAttribute = "ttl";
inline constexpr int64_t kDynamoDbTokenRetentionSeconds = int64_t{24} * 60 * 60;

// The user store in the same table as the customers:
//  - users {type: kUserType, id: UsernameKey, username, passwordHash, role, team, disabled,
//    createdAt};
//  - refresh tokens {type: kRefreshTokenType, id: token_hash, familyId, username, issuedAt,
//    expiresAt, state: "current" | "rotated", rotatedTo, ttl};
//  - families {type: kRefreshFamilyType, id: family_id, username: UsernameKey, revoked, ttl},
//    so revoking a family is one write and checking a token reads token and family.
//
// Rotation without transactions: the presented token moves from current to rotated by a
// conditional update that also records the next token's hash, then the next token is put.
// Of concurrent rotations exactly one update succeeds; every other one finds the token
// rotated by someone else, which is reuse, and revokes the family (so, unlike the SQLite
// store, all losers report reuse). A failed condition whose token names our next hash is our
// own retried update, already applied. When the next token cannot be stored the presented
// token is put back to current, so an outage does not end the session.
//
// Callbacks run on the client's thread. Thread-safe. The store may be destroyed while
// operations are in flight; the client must outlive them.
class DynamoDbUserStore final : public UserStore {
 public:
  DynamoDbUserStore(DynamoDbClient& client, std::string table);
  ~DynamoDbUserStore() override;

  DynamoDbUserStore(const DynamoDbUserStore&) = delete;
  DynamoDbUserStore& operator=(const DynamoDbUserStore&) = delete;

  void CreateUser(User user, Done<Ok> done) override;
  void FindUser(std::string username, Done<std::optional<User>> done) override;
  // A Query of the users' partition: ascending sort keys are lower-cased usernames.
  void ListUsers(Done<std::vector<User>> done) override;
  void UpdateUser(User user, Done<Ok> done) override;
  // A Query with Select COUNT over the users' partition.
  void CountUsers(Done<int64_t> done) override;
  void SaveRefreshToken(RefreshTokenRecord record, Done<Ok> done) override;
  void RotateRefreshToken(std::string presented_hash, RefreshTokenRecord next, int64_t now,
                          Done<RefreshTokenRecord> done) override;
  void RevokeRefreshFamily(std::string presented_hash, Done<Ok> done) override;
  // Queries the families' partition filtered on the user (fine at the scale of one
  // company's sign-ins) and revokes each family still active.
  void RevokeUserTokens(std::string username, Done<Ok> done) override;

  struct Context;

 private:
  std::shared_ptr<Context> context_;
};

}  // namespace pcustomer
