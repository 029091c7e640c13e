#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pcustomer {

// An account of the built-in identity provider.
struct User {
  std::string username;       // as first spelled; unique ignoring ASCII case (UsernameKey)
  std::string password_hash;  // PHC string, e.g. "$argon2id$v=19$m=19456,t=2,p=1$...$..."
  std::string role;           // "employee" or "admin"
  std::string team;           // "marketing" or "sales"
  bool disabled = false;
  int64_t created_at = 0;  // unix seconds
  bool operator==(const User&) const = default;
};

// A user as the identity provider in use knows one, whoever stores it: who may own leads.
struct DirectoryUser {
  std::string username;  // as the provider spells it
  std::vector<std::string> teams;
  bool enabled = true;
  bool operator==(const DirectoryUser&) const = default;
};

// One refresh token of a sign-in session. Each refresh replaces the family's current token
// with a new one, so a family is the chain of tokens issued from one sign-in; the opaque
// token itself is never stored, only its hash.
struct RefreshTokenRecord {
  std::string token_hash;  // hex SHA-256 of the opaque token
  std::string family_id;
  std::string username;
  int64_t issued_at = 0;   // unix seconds
  int64_t expires_at = 0;  // unix seconds; refused from this second on
  bool operator==(const RefreshTokenRecord&) const = default;
};

// The form under which a username is unique: ASCII letters lower-cased, every other byte
// kept. Usernames are ASCII (see CheckUsernameRules), so this is their case-insensitive key.
inline std::string UsernameKey(std::string_view username) {
  std::string key(username);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

}  // namespace pcustomer
