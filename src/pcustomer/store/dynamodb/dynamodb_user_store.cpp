#include "pcustomer/store/dynamodb/dynamodb_user_store.hpp"

#include <functional>
#include <utility>

#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"

namespace pcustomer {

using dynamodb::AttributeValue;
using dynamodb::BoolAttribute;
using dynamodb::Call;
using dynamodb::IntegerAttribute;
using dynamodb::IsConditionFailed;
using dynamodb::Item;
using dynamodb::QueryAll;
using dynamodb::QueryResult;
using dynamodb::Request;
using dynamodb::Response;
using dynamodb::StringAttribute;

struct DynamoDbUserStore::Context {
  Request NewRequest() const {
    Request request;
    request.table = table;
    return request;
  }

  DynamoDbClient& client;
  const std::string table;
};

namespace {

using ContextPtr = std::shared_ptr<DynamoDbUserStore::Context>;

constexpr const char* kReuseDetected = "Refresh token reuse detected; sign in again";
constexpr const char* kInvalidOrExpired = "Refresh token is invalid or expired";
constexpr const char* kCurrent = "current";
constexpr const char* kRotated = "rotated";

constexpr const char* kType = "type";
constexpr const char* kId = "id";
constexpr const char* kUsername = "username";
constexpr const char* kPasswordHash = "passwordHash";
constexpr const char* kRole = "role";
constexpr const char* kTeam = "team";
constexpr const char* kDisabled = "disabled";
constexpr const char* kCreatedAt = "createdAt";
constexpr const char* kFamilyId = "familyId";
constexpr const char* kIssuedAt = "issuedAt";
constexpr const char* kExpiresAt = "expiresAt";
constexpr const char* kState = "state";
constexpr const char* kRotatedTo = "rotatedTo";
constexpr const char* kRevoked = "revoked";

Item Key(std::string_view type, std::string_view id) {
  return {{kType, AttributeValue::S(std::string(type))}, {kId, AttributeValue::S(std::string(id))}};
}

Item UserItem(const User& user) {
  Item item = Key(kUserType, UsernameKey(user.username));
  item[kUsername] = AttributeValue::S(user.username);
  item[kPasswordHash] = AttributeValue::S(user.password_hash);
  item[kRole] = AttributeValue::S(user.role);
  item[kTeam] = AttributeValue::S(user.team);
  item[kDisabled] = AttributeValue::Bool(user.disabled);
  item[kCreatedAt] = AttributeValue::N(user.created_at);
  return item;
}

User ReadUser(const Item& item) {
  return {StringAttribute(item, kUsername).value_or(""),
          StringAttribute(item, kPasswordHash).value_or(""),
          StringAttribute(item, kRole).value_or(""),
          StringAttribute(item, kTeam).value_or(""),
          BoolAttribute(item, kDisabled).value_or(true),
          IntegerAttribute(item, kCreatedAt).value_or(0)};
}

int64_t ForgetAt(int64_t expires_at) { return expires_at + kDynamoDbTokenRetentionSeconds; }

Item TokenItem(const RefreshTokenRecord& record) {
  Item item = Key(kRefreshTokenType, record.token_hash);
  item[kFamilyId] = AttributeValue::S(record.family_id);
  item[kUsername] = AttributeValue::S(record.username);
  item[kIssuedAt] = AttributeValue::N(record.issued_at);
  item[kExpiresAt] = AttributeValue::N(record.expires_at);
  item[kState] = AttributeValue::S(kCurrent);
  item[kTimeToLiveAttribute] = AttributeValue::N(ForgetAt(record.expires_at));
  return item;
}

struct StoredToken {
  RefreshTokenRecord record;
  std::string state;
  std::string rotated_to;
};

StoredToken ReadToken(const Item& item) {
  return {
      {StringAttribute(item, kId).value_or(""), StringAttribute(item, kFamilyId).value_or(""),
       StringAttribute(item, kUsername).value_or(""), IntegerAttribute(item, kIssuedAt).value_or(0),
       IntegerAttribute(item, kExpiresAt).value_or(0)},
      StringAttribute(item, kState).value_or(""),
      StringAttribute(item, kRotatedTo).value_or("")};
}

void GetItem(const ContextPtr& context, Item key, Done<std::optional<Item>> done) {
  dynamodb::GetItem(context->client, context->table, std::move(key), std::move(done));
}

// Marks a family revoked. Ok when it is gone (nothing of it can be used then either).
void RevokeFamily(const ContextPtr& context, const std::string& family_id, Done<Ok> done) {
  if (family_id.empty()) return done(Ok{});
  Request request = context->NewRequest();
  request.key = Key(kRefreshFamilyType, family_id);
  request.update = "SET " + request.Name(kRevoked) + " = " +
                   request.Value("revoked", AttributeValue::Bool(true));
  request.condition = "attribute_exists(" + request.Name(kId) + ")";
  Call(context->client, "UpdateItem", request, [done = std::move(done)](Result<Response> answer) {
    if (answer.ok() || IsConditionFailed(answer.error())) return done(Ok{});
    done(std::move(answer).error());
  });
}

void RevokeEach(const ContextPtr& context, std::vector<Item> families, size_t next, Done<Ok> done) {
  if (next >= families.size()) return done(Ok{});
  const std::string family_id = StringAttribute(families[next], kId).value_or("");
  RevokeFamily(context, family_id,
               [context, families = std::move(families), next,
                done = std::move(done)](Status revoked) mutable {
                 if (!revoked.ok()) return done(std::move(revoked).error());
                 RevokeEach(context, std::move(families), next + 1, std::move(done));
               });
}

// Puts `presented` back to current after its successor could not be stored.
void UndoRotation(const ContextPtr& context, const std::string& presented_hash,
                  const std::string& next_hash, Done<Ok> done) {
  Request request = context->NewRequest();
  request.key = Key(kRefreshTokenType, presented_hash);
  request.update = "SET " + request.Name(kState) + " = " +
                   request.Value("current", AttributeValue::S(kCurrent)) + " REMOVE " +
                   request.Name(kRotatedTo);
  request.condition =
      request.Name(kRotatedTo) + " = " + request.Value("next", AttributeValue::S(next_hash));
  Call(context->client, "UpdateItem", request, [done = std::move(done)](Result<Response> answer) {
    if (answer.ok() || IsConditionFailed(answer.error())) return done(Ok{});
    done(std::move(answer).error());
  });
}

// Step 4 of a rotation: the presented token is rotated; store its successor.
void StoreSuccessor(const ContextPtr& context, RefreshTokenRecord presented,
                    RefreshTokenRecord next, Done<RefreshTokenRecord> done) {
  Request request = context->NewRequest();
  request.item = TokenItem(next);
  request.condition = "attribute_not_exists(" + request.Name(kId) + ")";
  Call(context->client, "PutItem", request,
       [context, presented = std::move(presented), next = std::move(next), written = *request.item,
        done = std::move(done)](Result<Response> answer) mutable {
         if (answer.ok()) return done(std::move(presented));
         auto undo_then = [context, presented_hash = presented.token_hash,
                           next_hash = next.token_hash](Error error,
                                                        Done<RefreshTokenRecord> reply) {
           UndoRotation(context, presented_hash, next_hash,
                        [error = std::move(error), reply = std::move(reply)](
                            const Status& /*undone*/) mutable { reply(std::move(error)); });
         };
         if (!IsConditionFailed(answer.error())) {
           return undo_then(std::move(answer).error(), std::move(done));
         }
         GetItem(context, Key(kRefreshTokenType, next.token_hash),
                 [presented = std::move(presented), written = std::move(written),
                  undo_then = std::move(undo_then),
                  done = std::move(done)](Result<std::optional<Item>> stored) mutable {
                   if (!stored.ok()) return done(std::move(stored).error());
                   // Exactly what we wrote: our own retried put, already applied.
                   if (stored->has_value() && **stored == written) {
                     return done(std::move(presented));
                   }
                   undo_then(Error::Conflict("Refresh token already stored"), std::move(done));
                 });
       });
}

// Step 3 of a rotation: current -> rotated, recording the successor's hash.
void MarkRotated(const ContextPtr& context, RefreshTokenRecord presented, RefreshTokenRecord next,
                 Done<RefreshTokenRecord> done) {
  Request request = context->NewRequest();
  request.key = Key(kRefreshTokenType, presented.token_hash);
  request.update = "SET " + request.Name(kState) + " = " +
                   request.Value("rotated", AttributeValue::S(kRotated)) + ", " +
                   request.Name(kRotatedTo) + " = " +
                   request.Value("next", AttributeValue::S(next.token_hash));
  request.condition =
      request.Name(kState) + " = " + request.Value("current", AttributeValue::S(kCurrent));
  Call(context->client, "UpdateItem", request,
       [context, presented = std::move(presented), next = std::move(next),
        done = std::move(done)](Result<Response> answer) mutable {
         if (answer.ok()) {
           return StoreSuccessor(context, std::move(presented), std::move(next), std::move(done));
         }
         if (!IsConditionFailed(answer.error())) return done(std::move(answer).error());
         // Arguments are evaluated in no set order: the key before `presented` moves.
         Item key = Key(kRefreshTokenType, presented.token_hash);
         GetItem(context, std::move(key),
                 [context, presented = std::move(presented), next = std::move(next),
                  done = std::move(done)](Result<std::optional<Item>> stored) mutable {
                   if (!stored.ok()) return done(std::move(stored).error());
                   if (stored->has_value() && ReadToken(**stored).rotated_to == next.token_hash) {
                     // Our own retried update, already applied.
                     return StoreSuccessor(context, std::move(presented), std::move(next),
                                           std::move(done));
                   }
                   // Another rotation won: for us this token is a replay.
                   const std::string family_id = presented.family_id;
                   RevokeFamily(context, family_id, [done = std::move(done)](Status revoked) {
                     if (!revoked.ok()) return done(std::move(revoked).error());
                     done(Error::Unauthorized(kReuseDetected));
                   });
                 });
       });
}

}  // namespace

DynamoDbUserStore::DynamoDbUserStore(DynamoDbClient& client, std::string table)
    : context_(std::make_shared<Context>(Context{client, std::move(table)})) {}

DynamoDbUserStore::~DynamoDbUserStore() = default;

void DynamoDbUserStore::CreateUser(User user, Done<Ok> done) {
  Request request = context_->NewRequest();
  request.item = UserItem(user);
  request.condition = "attribute_not_exists(" + request.Name(kId) + ")";
  Call(context_->client, "PutItem", request,
       [context = context_, written = *request.item,
        done = std::move(done)](Result<Response> answer) mutable {
         if (answer.ok()) return done(Ok{});
         if (!IsConditionFailed(answer.error())) return done(std::move(answer).error());
         Item key = Key(kUserType, StringAttribute(written, kId).value_or(""));
         GetItem(context, std::move(key),
                 [written = std::move(written),
                  done = std::move(done)](Result<std::optional<Item>> stored) mutable {
                   if (!stored.ok()) return done(std::move(stored).error());
                   // Exactly what we wrote (the hash has its own salt): our retried put.
                   if (stored->has_value() && **stored == written) return done(Ok{});
                   const std::string holder =
                       stored->has_value() ? ReadUser(**stored).username : std::string();
                   done(Error::Conflict("Username is already taken", {{"username", holder}}));
                 });
       });
}

void DynamoDbUserStore::FindUser(std::string username, Done<std::optional<User>> done) {
  if (username.empty()) return done(std::optional<User>());
  GetItem(context_, Key(kUserType, UsernameKey(username)),
          [done = std::move(done)](Result<std::optional<Item>> item) {
            if (!item.ok()) return done(std::move(item).error());
            if (!item->has_value()) return done(std::optional<User>());
            done(std::optional<User>(ReadUser(**item)));
          });
}

void DynamoDbUserStore::ListUsers(Done<std::vector<User>> done) {
  Request request = context_->NewRequest();
  request.key_condition =
      request.Name(kType) + " = " + request.Value("pk", AttributeValue::S(kUserType));
  request.consistent_read = true;
  QueryAll(context_->client, std::move(request),
           [done = std::move(done)](Result<QueryResult> result) {
             if (!result.ok()) return done(std::move(result).error());
             std::vector<User> users;
             users.reserve(result->items.size());
             for (const Item& item : result->items) users.push_back(ReadUser(item));
             done(std::move(users));
           });
}

void DynamoDbUserStore::UpdateUser(User user, Done<Ok> done) {
  if (user.username.empty()) return done(Error::NotFound("User not found"));
  Request request = context_->NewRequest();
  request.key = Key(kUserType, UsernameKey(user.username));
  std::string update;
  auto set = [&](const char* attribute, AttributeValue value) {
    update += update.empty() ? "SET " : ", ";
    update += request.Name(attribute) + " = " + request.Value(attribute, std::move(value));
  };
  set(kPasswordHash, AttributeValue::S(user.password_hash));
  set(kRole, AttributeValue::S(user.role));
  set(kTeam, AttributeValue::S(user.team));
  set(kDisabled, AttributeValue::Bool(user.disabled));
  request.update = std::move(update);
  request.condition = "attribute_exists(" + request.Name(kId) + ")";
  Call(context_->client, "UpdateItem", request, [done = std::move(done)](Result<Response> answer) {
    if (answer.ok()) return done(Ok{});
    if (IsConditionFailed(answer.error())) return done(Error::NotFound("User not found"));
    done(std::move(answer).error());
  });
}

void DynamoDbUserStore::CountUsers(Done<int64_t> done) {
  Request request = context_->NewRequest();
  request.key_condition =
      request.Name(kType) + " = " + request.Value("pk", AttributeValue::S(kUserType));
  request.select = "COUNT";
  request.consistent_read = true;
  QueryAll(context_->client, std::move(request),
           [done = std::move(done)](Result<QueryResult> result) {
             if (!result.ok()) return done(std::move(result).error());
             done(result->count);
           });
}

void DynamoDbUserStore::SaveRefreshToken(RefreshTokenRecord record, Done<Ok> done) {
  // The family first: a token never exists without the family that can revoke it.
  Request family = context_->NewRequest();
  Item item = Key(kRefreshFamilyType, record.family_id);
  item[kUsername] = AttributeValue::S(UsernameKey(record.username));
  item[kRevoked] = AttributeValue::Bool(false);
  item[kTimeToLiveAttribute] = AttributeValue::N(ForgetAt(record.expires_at));
  family.item = std::move(item);
  family.condition = "attribute_not_exists(" + family.Name(kId) + ")";
  Call(context_->client, "PutItem", family,
       [context = context_, record = std::move(record),
        done = std::move(done)](Result<Response> answer) mutable {
         // A failed condition: the family exists (our own retried put); the token decides.
         if (!answer.ok() && !IsConditionFailed(answer.error())) {
           return done(std::move(answer).error());
         }
         Request request = context->NewRequest();
         request.item = TokenItem(record);
         request.condition = "attribute_not_exists(" + request.Name(kId) + ")";
         Call(context->client, "PutItem", request,
              [context, written = *request.item, hash = record.token_hash,
               done = std::move(done)](Result<Response> put) mutable {
                if (put.ok()) return done(Ok{});
                if (!IsConditionFailed(put.error())) return done(std::move(put).error());
                GetItem(context, Key(kRefreshTokenType, hash),
                        [written = std::move(written),
                         done = std::move(done)](Result<std::optional<Item>> stored) {
                          if (!stored.ok()) return done(std::move(stored).error());
                          if (stored->has_value() && **stored == written) return done(Ok{});
                          done(Error::Conflict("Refresh token already stored"));
                        });
              });
       });
}

void DynamoDbUserStore::RotateRefreshToken(std::string presented_hash, RefreshTokenRecord next,
                                           int64_t now, Done<RefreshTokenRecord> done) {
  if (presented_hash.empty()) return done(Error::Unauthorized(kInvalidOrExpired));
  // 1. The presented token.
  GetItem(context_, Key(kRefreshTokenType, presented_hash),
          [context = context_, next = std::move(next), now,
           done = std::move(done)](Result<std::optional<Item>> found) mutable {
            if (!found.ok()) return done(std::move(found).error());
            if (!found->has_value()) return done(Error::Unauthorized(kInvalidOrExpired));
            StoredToken presented = ReadToken(**found);
            next.family_id = presented.record.family_id;
            next.username = presented.record.username;
            // 2. Its family: revoked (or gone) refuses every token of it, rotated ones included.
            // The update keeps the family as long as its newest token.
            Request family = context->NewRequest();
            family.key = Key(kRefreshFamilyType, presented.record.family_id);
            family.update = "SET " + family.Name(kTimeToLiveAttribute) + " = " +
                            family.Value("ttl", AttributeValue::N(ForgetAt(next.expires_at)));
            family.condition = "attribute_exists(" + family.Name(kId) + ") AND " +
                               family.Name(kRevoked) + " = " +
                               family.Value("false", AttributeValue::Bool(false));
            if (presented.record.family_id.empty()) {
              return done(Error::Unauthorized(kInvalidOrExpired));
            }
            Call(context->client, "UpdateItem", family,
                 [context, presented = std::move(presented), next = std::move(next), now,
                  done = std::move(done)](Result<Response> active) mutable {
                   if (!active.ok()) {
                     if (IsConditionFailed(active.error())) {
                       return done(Error::Unauthorized(kInvalidOrExpired));
                     }
                     return done(std::move(active).error());
                   }
                   if (presented.state == kRotated) {
                     // Only a copy of the chain can present a token that was already exchanged:
                     // whoever holds the current one may be the thief, so the family ends.
                     const std::string family_id = presented.record.family_id;
                     return RevokeFamily(context, family_id,
                                         [done = std::move(done)](Status revoked) {
                                           if (!revoked.ok())
                                             return done(std::move(revoked).error());
                                           done(Error::Unauthorized(kReuseDetected));
                                         });
                   }
                   if (presented.state != kCurrent || now >= presented.record.expires_at) {
                     return done(Error::Unauthorized(kInvalidOrExpired));
                   }
                   // The answer names the user as spelled at creation; read before any write, so
                   // that a failure here changes nothing.
                   const std::string user_key = UsernameKey(presented.record.username);
                   GetItem(context, Key(kUserType, user_key),
                           [context, presented = std::move(presented), next = std::move(next),
                            done = std::move(done)](Result<std::optional<Item>> user) mutable {
                             if (!user.ok()) return done(std::move(user).error());
                             if (user->has_value()) {
                               presented.record.username = ReadUser(**user).username;
                             }
                             // 3. and 4.
                             MarkRotated(context, std::move(presented.record), std::move(next),
                                         std::move(done));
                           });
                 });
          });
}

void DynamoDbUserStore::RevokeRefreshFamily(std::string presented_hash, Done<Ok> done) {
  if (presented_hash.empty()) return done(Ok{});
  GetItem(context_, Key(kRefreshTokenType, presented_hash),
          [context = context_, done = std::move(done)](Result<std::optional<Item>> found) mutable {
            if (!found.ok()) return done(std::move(found).error());
            if (!found->has_value()) return done(Ok{});
            RevokeFamily(context, ReadToken(**found).record.family_id, std::move(done));
          });
}

void DynamoDbUserStore::RevokeUserTokens(std::string username, Done<Ok> done) {
  Request request = context_->NewRequest();
  request.key_condition =
      request.Name(kType) + " = " + request.Value("pk", AttributeValue::S(kRefreshFamilyType));
  request.filter = request.Name(kUsername) + " = " +
                   request.Value("username", AttributeValue::S(UsernameKey(username))) + " AND " +
                   request.Name(kRevoked) + " = " +
                   request.Value("false", AttributeValue::Bool(false));
  request.projection = request.Name(kId);
  request.consistent_read = true;
  QueryAll(context_->client, std::move(request),
           [context = context_, done = std::move(done)](Result<QueryResult> families) mutable {
             if (!families.ok()) return done(std::move(families).error());
             RevokeEach(context, std::move(families->items), 0, std::move(done));
           });
}

}  // namespace pcustomer
