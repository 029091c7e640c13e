#include "pcustomer/store/sqlite/sqlite_user_store.hpp"

#include <utility>

#include "pcustomer/store/sqlite/connection.hpp"
#include "pcustomer/store/sqlite/group_commit_writer.hpp"
#include "pcustomer/store/sqlite/refresh_token_queries.hpp"
#include "pcustomer/store/sqlite/user_queries.hpp"

namespace pcustomer {

SqliteUserStore::SqliteUserStore(std::shared_ptr<SqliteDatabase> database)
    : database_(std::move(database)) {}

SqliteUserStore::~SqliteUserStore() = default;

void SqliteUserStore::CreateUser(User user, Done<Ok> done) {
  database_->Write(sqlite::MakeWriteOp<Ok>(
      [user = std::move(user)](sqlite::Connection& db) { return sqlite::InsertUser(db, user); },
      std::move(done)));
}

void SqliteUserStore::FindUser(std::string username, Done<std::optional<User>> done) {
  database_->ReadWith<std::optional<User>>(
      [&](sqlite::Connection& db) { return sqlite::SelectUser(db, username); }, done);
}

void SqliteUserStore::ListUsers(Done<std::vector<User>> done) {
  database_->ReadWith<std::vector<User>>(
      [](sqlite::Connection& db) { return sqlite::SelectUsers(db); }, done);
}

void SqliteUserStore::UpdateUser(User user, Done<Ok> done) {
  database_->Write(sqlite::MakeWriteOp<Ok>(
      [user = std::move(user)](sqlite::Connection& db) { return sqlite::UpdateUser(db, user); },
      std::move(done)));
}

void SqliteUserStore::CountUsers(Done<int64_t> done) {
  database_->ReadWith<int64_t>([](sqlite::Connection& db) { return sqlite::CountUsers(db); }, done);
}

void SqliteUserStore::SaveRefreshToken(RefreshTokenRecord record, Done<Ok> done) {
  database_->Write(sqlite::MakeWriteOp<Ok>(
      [record = std::move(record)](sqlite::Connection& db) {
        return sqlite::InsertRefreshToken(db, record);
      },
      std::move(done)));
}

void SqliteUserStore::RotateRefreshToken(std::string presented_hash, RefreshTokenRecord next,
                                         int64_t now, Done<RefreshTokenRecord> done) {
  // A refusal travels inside a successful outcome so that the writer commits what it
  // changed (a revoked family); only a store failure rolls the op back.
  database_->Write(sqlite::MakeWriteOp<sqlite::RotationOutcome>(
      [presented_hash = std::move(presented_hash), next = std::move(next),
       now](sqlite::Connection& db) {
        return sqlite::RotateRefreshToken(db, presented_hash, next, now);
      },
      [done = std::move(done)](Result<sqlite::RotationOutcome> outcome) {
        if (!outcome.ok()) {
          done(std::move(outcome).error());
        } else {
          done(std::move(outcome->answer));
        }
      }));
}

void SqliteUserStore::RevokeRefreshFamily(std::string presented_hash, Done<Ok> done) {
  database_->Write(sqlite::MakeWriteOp<Ok>(
      [presented_hash = std::move(presented_hash)](sqlite::Connection& db) {
        return sqlite::RevokeRefreshFamily(db, presented_hash);
      },
      std::move(done)));
}

void SqliteUserStore::RevokeUserTokens(std::string username, Done<Ok> done) {
  database_->Write(sqlite::MakeWriteOp<Ok>(
      [username = std::move(username)](sqlite::Connection& db) {
        return sqlite::RevokeUserTokens(db, username);
      },
      std::move(done)));
}

}  // namespace pcustomer
