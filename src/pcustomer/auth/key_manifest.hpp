#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// One signing key as listed in <dir>/keys/keys.json.
struct KeyRecord {
  std::string kid;
  int64_t created = 0;             // unix seconds
  std::optional<int64_t> retired;  // unix seconds; none while the key still signs
  // Unix seconds after which the retired key leaves the JWKS and is deleted: retirement +
  // token lifetime + leeway, fixed when the key is retired so that every reader (the server,
  // the CLI) drops it at the same time whatever its own configuration.
  std::optional<int64_t> expires;
  bool operator==(const KeyRecord&) const = default;
};

// True for 1 to 64 characters of the base64url alphabet: a kid is also a file name, so
// nothing else (no '/', no '.') may appear in one.
bool IsValidKid(std::string_view kid);

// {"keys":[{"kid":...,"created":...,"retired":...|null,"expires":...|null}, ...]}.
// Error::Internal when malformed: an invalid or repeated kid, "retired" without "expires"
// or the reverse, a member of the wrong type.
Result<std::vector<KeyRecord>> ParseKeyManifest(std::string_view json);
std::string KeyManifestJson(const std::vector<KeyRecord>& records);

}  // namespace pcustomer
