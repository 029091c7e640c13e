#include "pcustomer/auth/signing_keys.hpp"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

#include "pcustomer/auth/key_manifest.hpp"
#include "pcustomer/auth/private_file.hpp"
#include "pcustomer/util/clock.hpp"
#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxManifestBytes = 1024 * 1024;
constexpr size_t kMaxPemBytes = 64 * 1024;
constexpr int kSigningKeyBits = 2048;

}  // namespace

std::string KeyIdOf(const RsaKey& key) {
  return Base64UrlEncode(Sha256(key.PublicDer()).substr(0, 16));
}

// What readers see: immutable once built.
struct SigningKeySnapshot {
  struct Key {
    KeyRecord record;
    RsaKey key;
  };
  std::vector<Key> keys;  // none expired when built
  SigningKey current;
  std::shared_ptr<const JwksKeys> jwks_keys;
  std::string jwks_json;
  // When the next retired key expires: the snapshot must be rebuilt without it from then on.
  int64_t next_expiry = std::numeric_limits<int64_t>::max();
};

namespace {

using LoadedKey = SigningKeySnapshot::Key;

fs::path KeysDirectory(const fs::path& dir) { return dir / "keys"; }
fs::path ManifestPath(const fs::path& keys_dir) { return keys_dir / "keys.json"; }
fs::path PemPath(const fs::path& keys_dir, std::string_view kid) {
  return keys_dir / (std::string(kid) + ".pem");
}

Status EnsureKeysDirectory(const fs::path& keys_dir) {
  std::error_code error;
  fs::create_directories(keys_dir.parent_path(), error);
  if (error) return Error::Internal("cannot create " + keys_dir.parent_path().string());
  if (::mkdir(keys_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Error::Internal("cannot create " + keys_dir.string() + ": " + std::strerror(errno));
  }
  return Ok{};
}

Result<std::vector<KeyRecord>> ReadManifest(const fs::path& keys_dir) {
  Result<std::string> text = ReadSmallFile(ManifestPath(keys_dir), kMaxManifestBytes);
  if (!text) {
    if (text.error().code == ErrorCode::kNotFound) return std::vector<KeyRecord>{};
    return std::move(text).error();
  }
  return ParseKeyManifest(*text);
}

Result<RsaKey> ReadKey(const fs::path& keys_dir, const KeyRecord& record) {
  Result<std::string> pem = ReadSmallFile(PemPath(keys_dir, record.kid), kMaxPemBytes);
  if (!pem) return Error::Internal("signing key " + record.kid + ": " + pem.error().message);
  Result<RsaKey> key = RsaKey::FromPrivatePem(*pem);
  OPENSSL_cleanse(pem->data(), pem->size());
  if (!key) return Error::Internal("signing key " + record.kid + ": " + key.error().message);
  if (KeyIdOf(*key) != record.kid) {
    return Error::Internal("signing key " + record.kid + " does not match its kid");
  }
  return key;
}

Result<LoadedKey> CreateKey(const fs::path& keys_dir, int64_t now) {
  Result<RsaKey> key = RsaKey::Generate(kSigningKeyBits);
  if (!key) return std::move(key).error();
  Result<std::string> pem = key->ToPrivatePem();
  if (!pem) return std::move(pem).error();
  std::string kid = KeyIdOf(*key);
  Status written = WritePrivateFileAtomically(PemPath(keys_dir, kid), *pem);
  OPENSSL_cleanse(pem->data(), pem->size());
  if (!written) return std::move(written).error();
  return LoadedKey{KeyRecord{std::move(kid), now, std::nullopt, std::nullopt},
                   std::move(key).value()};
}

bool Signs(const KeyRecord& record) { return !record.retired.has_value(); }

// Removes what a crash can leave behind: temporary files and keys the manifest does not
// list (written just before a manifest update that never happened, or dropped just after
// one). Only called with the directory lock held, so no other process is mid-change.
void DeleteUnlistedFiles(const fs::path& keys_dir, const std::vector<KeyRecord>& records) {
  std::set<std::string, std::less<>> listed;
  for (const KeyRecord& record : records) listed.insert(record.kid + ".pem");
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(keys_dir, error)) {
    const std::string name = entry.path().filename().string();
    const bool orphan_key = name.ends_with(".pem") && !listed.contains(name);
    if (name.starts_with(".tmp-") || orphan_key) fs::remove(entry.path(), error);
  }
}

// Brings the directory up to date under its lock: drops expired keys, retires the signing
// keys and adds a new one if `rotate_lifetime` is set, adds a first key if none signs, then
// answers every remaining key. The manifest is written after any new key file and before
// any deletion, so a crash at any point leaves a directory that loads.
Result<std::vector<LoadedKey>> Synchronize(const fs::path& dir, int64_t now,
                                           std::optional<int64_t> rotate_lifetime) {
  const fs::path keys_dir = KeysDirectory(dir);
  if (Status ready = EnsureKeysDirectory(keys_dir); !ready) return std::move(ready).error();
  Result<FileLock> lock = FileLock::Acquire(keys_dir / ".lock");
  if (!lock) return std::move(lock).error();

  Result<std::vector<KeyRecord>> manifest = ReadManifest(keys_dir);
  if (!manifest) return std::move(manifest).error();
  std::vector<KeyRecord> records = std::move(manifest).value();
  const size_t listed = records.size();
  std::erase_if(records, [now](const KeyRecord& r) { return r.expires && *r.expires <= now; });
  bool changed = records.size() != listed;

  std::optional<LoadedKey> created;
  if (rotate_lifetime || std::none_of(records.begin(), records.end(), Signs)) {
    Result<LoadedKey> key = CreateKey(keys_dir, now);
    if (!key) return std::move(key).error();
    if (std::any_of(records.begin(), records.end(),
                    [&](const KeyRecord& r) { return r.kid == key->record.kid; })) {
      return Error::Internal("a new signing key has the kid of an existing key");
    }
    created = std::move(key).value();
    changed = true;
  }
  if (rotate_lifetime) {
    for (KeyRecord& record : records) {
      if (!Signs(record)) continue;
      record.retired = now;
      record.expires = now + *rotate_lifetime + kRetiredKeyLeewaySeconds;
    }
  }

  std::vector<LoadedKey> keys;
  for (const KeyRecord& record : records) {
    Result<RsaKey> key = ReadKey(keys_dir, record);
    if (!key) return std::move(key).error();
    keys.push_back(LoadedKey{record, std::move(key).value()});
  }
  if (created) {
    records.push_back(created->record);
    keys.push_back(std::move(*created));
  }
  if (changed) {
    Status written = WritePrivateFileAtomically(ManifestPath(keys_dir), KeyManifestJson(records));
    if (!written) return std::move(written).error();
  }
  DeleteUnlistedFiles(keys_dir, records);
  return keys;
}

int64_t SystemNowSeconds() { return NowUnixMillis() / 1000; }

// Precondition: `keys` holds at least one signing key (Synchronize guarantees it, and
// signing keys never expire).
std::shared_ptr<const SigningKeySnapshot> BuildSnapshot(std::vector<LoadedKey> keys, int64_t now) {
  std::erase_if(keys,
                [now](const LoadedKey& k) { return k.record.expires && *k.record.expires <= now; });
  auto jwks_keys = std::make_shared<JwksKeys>();
  std::vector<std::pair<std::string, RsaKey>> published;
  const LoadedKey* current = nullptr;
  int64_t next_expiry = std::numeric_limits<int64_t>::max();
  for (const LoadedKey& key : keys) {
    jwks_keys->emplace(key.record.kid, key.key);
    published.emplace_back(key.record.kid, key.key);
    if (key.record.expires) {
      next_expiry = std::min(next_expiry, *key.record.expires);
    } else if (current == nullptr || key.record.created >= current->record.created) {
      current = &key;
    }
  }
  SigningKey signing{current->record.kid, current->key};
  return std::make_shared<const SigningKeySnapshot>(SigningKeySnapshot{
      std::move(keys), std::move(signing), std::move(jwks_keys), JwksJson(published), next_expiry});
}

}  // namespace

struct SigningKeyStore::State {
  fs::path dir;
  Clock now_seconds;
  // Held across a whole update so that two updates in this process cannot install their
  // snapshots in the opposite order of their reads.
  std::mutex update_mutex;
  mutable std::mutex mutex;
  mutable std::shared_ptr<const SigningKeySnapshot> snapshot;  // guarded by mutex; never null
};

SigningKeyStore::SigningKeyStore(std::unique_ptr<State> state) : state_(std::move(state)) {}
SigningKeyStore::SigningKeyStore(SigningKeyStore&&) noexcept = default;
SigningKeyStore& SigningKeyStore::operator=(SigningKeyStore&&) noexcept = default;
SigningKeyStore::~SigningKeyStore() = default;

Result<SigningKeyStore> SigningKeyStore::LoadOrCreate(fs::path dir, Clock now_seconds) {
  auto state = std::make_unique<State>();
  state->dir = std::move(dir);
  state->now_seconds = now_seconds ? std::move(now_seconds) : Clock(SystemNowSeconds);
  const int64_t now = state->now_seconds();
  Result<std::vector<LoadedKey>> keys = Synchronize(state->dir, now, std::nullopt);
  if (!keys) return std::move(keys).error();
  state->snapshot = BuildSnapshot(std::move(keys).value(), now);
  return SigningKeyStore(std::move(state));
}

Result<std::string> SigningKeyStore::Rotate(int64_t now, int64_t token_lifetime_seconds) {
  if (token_lifetime_seconds < 0) return Error::Internal("token lifetime is negative");
  std::lock_guard update(state_->update_mutex);
  if (Status updated = Update(now, token_lifetime_seconds); !updated) {
    return std::move(updated).error();
  }
  std::lock_guard lock(state_->mutex);
  return state_->snapshot->current.kid;
}

Status SigningKeyStore::Reload() {
  std::lock_guard update(state_->update_mutex);
  return Update(state_->now_seconds(), std::nullopt);
}

// Precondition: update_mutex is held.
Status SigningKeyStore::Update(int64_t now, std::optional<int64_t> rotate_lifetime) {
  Result<std::vector<LoadedKey>> keys = Synchronize(state_->dir, now, rotate_lifetime);
  if (!keys) return std::move(keys).error();
  auto snapshot = BuildSnapshot(std::move(keys).value(), now);
  std::lock_guard lock(state_->mutex);
  state_->snapshot = std::move(snapshot);
  return Ok{};
}

std::shared_ptr<const SigningKeySnapshot> SigningKeyStore::Fresh() const {
  const int64_t now = state_->now_seconds();
  std::lock_guard lock(state_->mutex);
  if (now >= state_->snapshot->next_expiry) {
    // A retired key expired since the last load: stop publishing it now, without touching
    // the disk (the next load or rotation deletes it).
    state_->snapshot = BuildSnapshot(state_->snapshot->keys, now);
  }
  return state_->snapshot;
}

SigningKey SigningKeyStore::Current() const { return Fresh()->current; }
std::string SigningKeyStore::CurrentKid() const { return Fresh()->current.kid; }
std::shared_ptr<const JwksKeys> SigningKeyStore::Keys() const { return Fresh()->jwks_keys; }
std::string SigningKeyStore::JwksJson() const { return Fresh()->jwks_json; }

}  // namespace pcustomer
