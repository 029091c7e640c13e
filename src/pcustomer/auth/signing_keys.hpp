#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "pcustomer/auth/jwks.hpp"
#include "pcustomer/auth/rsa_key.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

struct SigningKeySnapshot;

// How long a retired key stays published beyond the lifetime of the last token it signed:
// covers clock skew between this host and the verifiers.
inline constexpr int64_t kRetiredKeyLeewaySeconds = 60;

// A key that signs, with the kid to put in the token header. Taken together from one
// snapshot, so a concurrent rotation can never pair one key's kid with another key.
struct SigningKey {
  std::string kid;
  RsaKey key;
};

// Base64url of the first 16 bytes of SHA-256 of the public key DER: stable across restarts
// and unique per key, without a registry of names.
std::string KeyIdOf(const RsaKey& key);

// The local identity provider's RS256 keys, kept in <dir>/keys/: one "<kid>.pem" per key
// (unencrypted PKCS#8, mode 0600) and a manifest "keys.json" (see KeyRecord). The newest key
// that is not retired signs; retired keys stay published until their `expires` time so that
// the tokens they signed keep verifying, then they leave the JWKS at once and are deleted
// from disk at the next load or rotation.
//
// Processes sharing the directory (a server, `pcustomer keys rotate`) serialize every change
// with an flock on <dir>/keys/.lock, and every file is replaced atomically (see
// WritePrivateFileAtomically), so a crash never leaves a half-written key or manifest.
// Loading also deletes leftovers from such a crash: temporary files and .pem files that the
// manifest does not list.
//
// Thread-safety: every method may be called concurrently. Readers get an immutable snapshot
// (a shared_ptr swapped under a mutex), so Reload and Rotate never disturb a reader.
class SigningKeyStore {
 public:
  // Unix seconds.
  using Clock = std::function<int64_t()>;

  // Loads the keys of `dir` (created if needed, with keys/ mode 0700), generating the first
  // key if no key signs yet. Fails with Error::Internal on I/O errors, a corrupt manifest, or
  // a listed key file that is missing, unreadable or does not match its kid. `now_seconds`
  // defaults to the system clock.
  static Result<SigningKeyStore> LoadOrCreate(std::filesystem::path dir, Clock now_seconds = {});

  SigningKeyStore(SigningKeyStore&&) noexcept;
  SigningKeyStore& operator=(SigningKeyStore&&) noexcept;
  ~SigningKeyStore();

  // Generates a new signing key and retires every key that signed until now, publishing
  // them until `now + token_lifetime_seconds + kRetiredKeyLeewaySeconds`. Works from the
  // manifest on disk, not this process's snapshot, so it composes with rotations by other
  // processes. Answers the new kid; on failure nothing changes.
  Result<std::string> Rotate(int64_t now, int64_t token_lifetime_seconds);

  // Reads the directory again (picking up a rotation by another process), dropping expired
  // keys. On failure the previous snapshot stays in use.
  Status Reload();

  // The key that signs now.
  SigningKey Current() const;
  std::string CurrentKid() const;
  // Every published public key: the signing key and the unexpired retired keys.
  std::shared_ptr<const JwksKeys> Keys() const;
  // The same keys as a JWKS document, for GET /.well-known/jwks.json.
  std::string JwksJson() const;

 private:
  struct State;
  explicit SigningKeyStore(std::unique_ptr<State> state);
  Status Update(int64_t now, std::optional<int64_t> rotate_lifetime);
  std::shared_ptr<const SigningKeySnapshot> Fresh() const;

  std::unique_ptr<State> state_;
};

}  // namespace pcustomer
