#include "pcustomer/store/dynamodb/dynamodb_user_store.hpp"

#include <utility>

#include "pcustomer/store/dynamodb/dynamodb_call.hpp"
#include "pcustomer/store/dynamodb/dynamodb_json.hpp"

namespace pcustomer {

using dynamodb::AttributeValue;
using dynamodb::BoolAttribute;
using dynamodb::Call;
using dynamodb::CallResult;
using dynamodb::IntegerAttribute;
using dynamodb::Item;
using dynamodb::QueryAll;
using dynamodb::QueryResult;
using dynamodb::Request;
using dynamodb::Start;
using dynamodb::StoreError;
using dynamodb::StringAttribute;
using dynamodb::Task;

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

Task<std::optional<Item>> GetItem(const ContextPtr& context, Item key) {
  return dynamodb::GetItem(context->client, context->table, std::move(key));
}

// An update or delete whose failed condition means there is nothing left to do.
Task<Ok> WriteUnlessGone(ContextPtr context, std::string_view operation, Request request) {
  CallResult answer = co_await Call(context->client, operation, request);
  if (answer.ok()) co_return Ok{};
  switch (answer.error().kind) {
    case DynamoDbFailure::kConditionFailed:  // gone or changed, possibly by this write's own
    case DynamoDbFailure::kOutcomeUnknown:   // lost attempt: either way nothing is left to do
      co_return Ok{};
    default:
      co_return StoreError(answer.error());
  }
}

// Marks a family revoked. Ok when it is gone (nothing of it can be used then either).
Task<Ok> RevokeFamily(ContextPtr context, std::string family_id) {
  if (family_id.empty()) co_return Ok{};
  Request request = context->NewRequest();
  request.key = Key(kRefreshFamilyType, family_id);
  request.update = "SET " + request.Name(kRevoked) + " = " +
                   request.Value("revoked", AttributeValue::Bool(true));
  request.condition = "attribute_exists(" + request.Name(kId) + ")";
  co_return co_await WriteUnlessGone(context, "UpdateItem", std::move(request));
}

// A replayed token ends its family.
Task<RefreshTokenRecord> RefuseReuse(ContextPtr context, std::string family_id) {
  Status revoked = co_await RevokeFamily(context, std::move(family_id));
  if (!revoked.ok()) co_return std::move(revoked).error();
  co_return Error::Unauthorized(kReuseDetected);
}

// Puts `presented` back to current after its successor could not be stored, then answers
// `error`.
Task<RefreshTokenRecord> UndoRotation(ContextPtr context, std::string presented_hash,
                                      std::string next_hash, Error error) {
  Request request = context->NewRequest();
  request.key = Key(kRefreshTokenType, presented_hash);
  request.update = "SET " + request.Name(kState) + " = " +
                   request.Value("current", AttributeValue::S(kCurrent)) + " REMOVE " +
                   request.Name(kRotatedTo);
  request.condition =
      request.Name(kRotatedTo) + " = " + request.Value("next", AttributeValue::S(next_hash));
  (void)co_await WriteUnlessGone(context, "UpdateItem", std::move(request));
  co_return error;
}

// What putting a new item (attribute_not_exists) found: stored, when it is there exactly as
// written (a failed condition may be our own retried put, already applied); otherwise the
// item that holds its key.
struct PutOutcome {
  bool stored = false;
  std::optional<Item> found;
};
Task<PutOutcome> PutNew(ContextPtr context, Item item) {
  Request request = context->NewRequest();
  request.item = item;
  request.condition = "attribute_not_exists(" + request.Name(kId) + ")";
  CallResult answer = co_await Call(context->client, "PutItem", request);
  if (answer.ok()) co_return PutOutcome{.stored = true, .found = std::nullopt};
  switch (answer.error().kind) {
    case DynamoDbFailure::kConditionFailed:  // the key is taken, by another item or by this
    case DynamoDbFailure::kOutcomeUnknown:   // put's own lost attempt: the item tells which
      break;
    default:
      co_return StoreError(answer.error());
  }
  Item key =
      Key(StringAttribute(item, kType).value_or(""), StringAttribute(item, kId).value_or(""));
  Result<std::optional<Item>> stored = co_await GetItem(context, std::move(key));
  if (!stored.ok()) co_return std::move(stored).error();
  const bool ours = stored->has_value() && **stored == item;
  co_return PutOutcome{.stored = ours, .found = std::move(*stored)};
}

// Steps 3 and 4 of a rotation: current -> rotated (recording the successor's hash), then the
// successor is stored.
Task<RefreshTokenRecord> MarkRotatedAndStore(ContextPtr context, RefreshTokenRecord presented,
                                             RefreshTokenRecord next) {
  Request request = context->NewRequest();
  request.key = Key(kRefreshTokenType, presented.token_hash);
  request.update = "SET " + request.Name(kState) + " = " +
                   request.Value("rotated", AttributeValue::S(kRotated)) + ", " +
                   request.Name(kRotatedTo) + " = " +
                   request.Value("next", AttributeValue::S(next.token_hash));
  request.condition =
      request.Name(kState) + " = " + request.Value("current", AttributeValue::S(kCurrent));
  CallResult rotated = co_await Call(context->client, "UpdateItem", request);
  if (!rotated.ok()) {
    switch (rotated.error().kind) {
      case DynamoDbFailure::kConditionFailed:  // rotated by another, or by this update's own
      case DynamoDbFailure::kOutcomeUnknown:   // lost attempt: the token tells which
        break;
      default:
        co_return StoreError(rotated.error());
    }
    Result<std::optional<Item>> stored =
        co_await GetItem(context, Key(kRefreshTokenType, presented.token_hash));
    if (!stored.ok()) co_return std::move(stored).error();
    // Unless it is our own retried update, already applied, another rotation won: for us
    // this token is a replay.
    if (!stored->has_value() || ReadToken(**stored).rotated_to != next.token_hash) {
      co_return co_await RefuseReuse(context, presented.family_id);
    }
  }
  Request put = context->NewRequest();
  put.item = TokenItem(next);
  put.condition = "attribute_not_exists(" + put.Name(kId) + ")";
  CallResult answer = co_await Call(context->client, "PutItem", put);
  if (answer.ok()) co_return presented;
  switch (answer.error().kind) {
    case DynamoDbFailure::kConditionFailed:  // the hash is taken, or this put's own lost
    case DynamoDbFailure::kOutcomeUnknown:   // attempt stored it: the item tells which
      break;
    default:
      co_return co_await UndoRotation(context, presented.token_hash, next.token_hash,
                                      StoreError(answer.error()));
  }
  Result<std::optional<Item>> stored =
      co_await GetItem(context, Key(kRefreshTokenType, next.token_hash));
  if (!stored.ok()) co_return std::move(stored).error();
  // Exactly what we wrote: our own retried put, already applied.
  if (stored->has_value() && **stored == *put.item) co_return presented;
  co_return co_await UndoRotation(context, presented.token_hash, next.token_hash,
                                  Error::Conflict("Refresh token already stored"));
}

Task<Ok> CreateUserItem(ContextPtr context, User user) {
  Result<PutOutcome> put = co_await PutNew(context, UserItem(user));
  if (!put.ok()) co_return std::move(put).error();
  // Exactly what we wrote (the hash has its own salt): our retried put.
  if (put->stored) co_return Ok{};
  const std::string holder = put->found ? ReadUser(*put->found).username : std::string();
  co_return Error::Conflict("Username is already taken", {{"username", holder}});
}

Task<std::optional<User>> FindUserItem(ContextPtr context, std::string username) {
  Result<std::optional<Item>> item =
      co_await GetItem(context, Key(kUserType, UsernameKey(username)));
  if (!item.ok()) co_return std::move(item).error();
  if (!item->has_value()) co_return std::optional<User>();
  co_return std::optional<User>(ReadUser(**item));
}

Request UsersQuery(const ContextPtr& context) {
  Request request = context->NewRequest();
  request.key_condition =
      request.Name(kType) + " = " + request.Value("pk", AttributeValue::S(kUserType));
  request.consistent_read = true;
  return request;
}

Task<std::vector<User>> ListUserItems(ContextPtr context) {
  Result<QueryResult> result = co_await QueryAll(context->client, UsersQuery(context));
  if (!result.ok()) co_return std::move(result).error();
  std::vector<User> users;
  users.reserve(result->items.size());
  for (const Item& item : result->items) users.push_back(ReadUser(item));
  co_return users;
}

Task<Ok> UpdateUserItem(ContextPtr context, Request request) {
  CallResult answer = co_await Call(context->client, "UpdateItem", request);
  if (answer.ok()) co_return Ok{};
  switch (answer.error().kind) {
    // The condition only asks that the user exists, which a lost attempt of this update
    // cannot change: a failed one means the user is gone.
    case DynamoDbFailure::kConditionFailed:
    case DynamoDbFailure::kOutcomeUnknown:
      co_return Error::NotFound("User not found");
    default:
      co_return StoreError(answer.error());
  }
}

Task<int64_t> CountUserItems(ContextPtr context) {
  Request request = UsersQuery(context);
  request.select = "COUNT";
  Result<QueryResult> result = co_await QueryAll(context->client, std::move(request));
  if (!result.ok()) co_return std::move(result).error();
  co_return result->count;
}

Task<Ok> SaveToken(ContextPtr context, RefreshTokenRecord record) {
  // The family first: a token never exists without the family that can revoke it.
  Request family = context->NewRequest();
  Item item = Key(kRefreshFamilyType, record.family_id);
  item[kUsername] = AttributeValue::S(UsernameKey(record.username));
  item[kRevoked] = AttributeValue::Bool(false);
  item[kTimeToLiveAttribute] = AttributeValue::N(ForgetAt(record.expires_at));
  family.item = std::move(item);
  family.condition = "attribute_not_exists(" + family.Name(kId) + ")";
  CallResult answer = co_await Call(context->client, "PutItem", family);
  if (!answer.ok()) {
    switch (answer.error().kind) {
      case DynamoDbFailure::kConditionFailed:  // the family exists (our own retried put, or
      case DynamoDbFailure::kOutcomeUnknown:   // its lost attempt): the token decides
        break;
      default:
        co_return StoreError(answer.error());
    }
  }
  Result<PutOutcome> token = co_await PutNew(context, TokenItem(record));
  if (!token.ok()) co_return std::move(token).error();
  if (token->stored) co_return Ok{};
  co_return Error::Conflict("Refresh token already stored");
}

Task<RefreshTokenRecord> RotateToken(ContextPtr context, std::string presented_hash,
                                     RefreshTokenRecord next, int64_t now) {
  // 1. The presented token.
  Result<std::optional<Item>> found =
      co_await GetItem(context, Key(kRefreshTokenType, presented_hash));
  if (!found.ok()) co_return std::move(found).error();
  if (!found->has_value()) co_return Error::Unauthorized(kInvalidOrExpired);
  StoredToken presented = ReadToken(**found);
  if (presented.record.family_id.empty()) co_return Error::Unauthorized(kInvalidOrExpired);
  next.family_id = presented.record.family_id;
  next.username = presented.record.username;
  // 2. Its family: revoked (or gone) refuses every token of it, rotated ones included. The
  // update keeps the family as long as its newest token.
  Request family = context->NewRequest();
  family.key = Key(kRefreshFamilyType, presented.record.family_id);
  family.update = "SET " + family.Name(kTimeToLiveAttribute) + " = " +
                  family.Value("ttl", AttributeValue::N(ForgetAt(next.expires_at)));
  family.condition = "attribute_exists(" + family.Name(kId) + ") AND " + family.Name(kRevoked) +
                     " = " + family.Value("false", AttributeValue::Bool(false));
  CallResult active = co_await Call(context->client, "UpdateItem", family);
  if (!active.ok()) {
    switch (active.error().kind) {
      // Revoked or gone: the update only moves the family's expiry, so a lost attempt of it
      // cannot be what failed the condition.
      case DynamoDbFailure::kConditionFailed:
      case DynamoDbFailure::kOutcomeUnknown:
        co_return Error::Unauthorized(kInvalidOrExpired);
      default:
        co_return StoreError(active.error());
    }
  }
  if (presented.state == kRotated) {
    // Only a copy of the chain can present a token that was already exchanged: whoever
    // holds the current one may be the thief, so the family ends.
    co_return co_await RefuseReuse(context, presented.record.family_id);
  }
  if (presented.state != kCurrent || now >= presented.record.expires_at) {
    co_return Error::Unauthorized(kInvalidOrExpired);
  }
  // The answer names the user as spelled at creation; read before any write, so that a
  // failure here changes nothing.
  Result<std::optional<Item>> user =
      co_await GetItem(context, Key(kUserType, UsernameKey(presented.record.username)));
  if (!user.ok()) co_return std::move(user).error();
  if (user->has_value()) presented.record.username = ReadUser(**user).username;
  // 3. and 4.
  co_return co_await MarkRotatedAndStore(context, std::move(presented.record), std::move(next));
}

Task<Ok> RevokeFamilyOf(ContextPtr context, std::string presented_hash) {
  Result<std::optional<Item>> found =
      co_await GetItem(context, Key(kRefreshTokenType, presented_hash));
  if (!found.ok()) co_return std::move(found).error();
  if (!found->has_value()) co_return Ok{};
  co_return co_await RevokeFamily(context, ReadToken(**found).record.family_id);
}

Task<Ok> RevokeFamiliesOf(ContextPtr context, std::string username) {
  Request request = context->NewRequest();
  request.key_condition =
      request.Name(kType) + " = " + request.Value("pk", AttributeValue::S(kRefreshFamilyType));
  request.filter = request.Name(kUsername) + " = " +
                   request.Value("username", AttributeValue::S(UsernameKey(username))) + " AND " +
                   request.Name(kRevoked) + " = " +
                   request.Value("false", AttributeValue::Bool(false));
  request.projection = request.Name(kId);
  request.consistent_read = true;
  Result<QueryResult> families = co_await QueryAll(context->client, std::move(request));
  if (!families.ok()) co_return std::move(families).error();
  for (const Item& family : families->items) {
    Status revoked = co_await RevokeFamily(context, StringAttribute(family, kId).value_or(""));
    if (!revoked.ok()) co_return std::move(revoked).error();
  }
  co_return Ok{};
}

}  // namespace

DynamoDbUserStore::DynamoDbUserStore(DynamoDbClient& client, std::string table)
    : context_(std::make_shared<Context>(Context{client, std::move(table)})) {}

DynamoDbUserStore::~DynamoDbUserStore() = default;

void DynamoDbUserStore::CreateUser(User user, Done<Ok> done) {
  Start(CreateUserItem(context_, std::move(user)), std::move(done));
}

void DynamoDbUserStore::FindUser(std::string username, Done<std::optional<User>> done) {
  if (username.empty()) return done(std::optional<User>());
  Start(FindUserItem(context_, std::move(username)), std::move(done));
}

void DynamoDbUserStore::ListUsers(Done<std::vector<User>> done) {
  Start(ListUserItems(context_), std::move(done));
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
  Start(UpdateUserItem(context_, std::move(request)), std::move(done));
}

void DynamoDbUserStore::CountUsers(Done<int64_t> done) {
  Start(CountUserItems(context_), std::move(done));
}

void DynamoDbUserStore::SaveRefreshToken(RefreshTokenRecord record, Done<Ok> done) {
  Start(SaveToken(context_, std::move(record)), std::move(done));
}

void DynamoDbUserStore::RotateRefreshToken(std::string presented_hash, RefreshTokenRecord next,
                                           int64_t now, Done<RefreshTokenRecord> done) {
  if (presented_hash.empty()) return done(Error::Unauthorized(kInvalidOrExpired));
  Start(RotateToken(context_, std::move(presented_hash), std::move(next), now), std::move(done));
}

void DynamoDbUserStore::RevokeRefreshFamily(std::string presented_hash, Done<Ok> done) {
  if (presented_hash.empty()) return done(Ok{});
  Start(RevokeFamilyOf(context_, std::move(presented_hash)), std::move(done));
}

void DynamoDbUserStore::RevokeUserTokens(std::string username, Done<Ok> done) {
  Start(RevokeFamiliesOf(context_, std::move(username)), std::move(done));
}

}  // namespace pcustomer
