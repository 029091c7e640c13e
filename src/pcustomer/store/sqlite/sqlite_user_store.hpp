#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pcustomer/store/sqlite/sqlite_database.hpp"
#include "pcustomer/store/user_store.hpp"

namespace pcustomer {

// The embedded user store, on the same SqliteDatabase as the customer store: reads answer on
// the calling thread from pooled read-only connections; writes join the customers' writes
// on the single writer thread and their group commits, and run their callbacks there once
// durable (or on the calling thread, with kUnavailable, when the queue is full).
class SqliteUserStore final : public UserStore {
 public:
  explicit SqliteUserStore(std::shared_ptr<SqliteDatabase> database);

  // Lets go of the database; queued writes finish when it closes (see ~SqliteDatabase).
  ~SqliteUserStore() override;

  SqliteUserStore(const SqliteUserStore&) = delete;
  SqliteUserStore& operator=(const SqliteUserStore&) = delete;

  void CreateUser(User user, Done<Ok> done) override;
  void FindUser(std::string username, Done<std::optional<User>> done) override;
  void ListUsers(Done<std::vector<User>> done) override;
  void UpdateUser(User user, Done<Ok> done) override;
  void CountUsers(Done<int64_t> done) override;
  void SaveRefreshToken(RefreshTokenRecord record, Done<Ok> done) override;
  void RotateRefreshToken(std::string presented_hash, RefreshTokenRecord next, int64_t now,
                          Done<RefreshTokenRecord> done) override;
  void RevokeRefreshFamily(std::string presented_hash, Done<Ok> done) override;
  void RevokeUserTokens(std::string username, Done<Ok> done) override;

 private:
  std::shared_ptr<SqliteDatabase> database_;
};

}  // namespace pcustomer
