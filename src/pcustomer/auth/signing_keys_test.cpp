#include "pcustomer/auth/signing_keys.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "pcustomer/auth/jwt.hpp"
#include "pcustomer/auth/key_manifest.hpp"
#include "pcustomer/auth/local_key_source.hpp"
#include "pcustomer/auth/private_file.hpp"
#include "pcustomer/auth/test_keys.hpp"
#include "pcustomer/auth/token_verifier.hpp"

namespace pcustomer {
namespace {

namespace fs = std::filesystem;
using auth_test::GoodClaims;
using auth_test::kClientId;
using auth_test::kIssuer;
using auth_test::kNow;

constexpr int64_t kLifetime = 3600;

unsigned Mode(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777;
}

std::vector<KeyRecord> Manifest(const fs::path& dir) {
  return ParseKeyManifest(ReadSmallFile(dir / "keys" / "keys.json", 1 << 20).value()).value();
}

class SigningKeyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "pc-auth-keys-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = fs::path(pattern) / "data";  // not there yet: LoadOrCreate makes it
  }
  void TearDown() override { fs::remove_all(dir_.parent_path()); }

  SigningKeyStore Load() {
    return SigningKeyStore::LoadOrCreate(dir_, [this] { return now_; }).value();
  }
  fs::path Pem(const std::string& kid) const { return dir_ / "keys" / (kid + ".pem"); }

  // A verifier over the store's keys, as a server runs it.
  std::unique_ptr<TokenVerifier> Verifier(std::shared_ptr<SigningKeyStore> store) {
    TokenVerifierOptions options;
    options.issuer = kIssuer;
    options.client_id = kClientId;
    options.now_seconds = [this] { return now_; };
    return std::make_unique<TokenVerifier>(
        std::make_shared<LocalKeySource>(std::move(store), std::chrono::milliseconds(0)), options);
  }
  Result<AccessClaims> VerifyNow(TokenVerifier& verifier, const std::string& token) {
    std::optional<Result<AccessClaims>> answer;
    verifier.Verify(token, [&](Result<AccessClaims> result) { answer = std::move(result); });
    EXPECT_TRUE(answer.has_value());
    return answer ? std::move(*answer) : Error::Internal("no answer");
  }
  std::string Token(const SigningKey& key, int64_t exp) {
    AccessClaims claims = GoodClaims(now_);
    claims.exp = exp;
    return SignJwt(AccessClaimsJson(claims), key.key, key.kid).value();
  }

  fs::path dir_;
  int64_t now_ = kNow;
};

TEST_F(SigningKeyStoreTest, FirstLoadCreatesAPrivateKeyFile) {
  SigningKeyStore store = Load();
  const std::string kid = store.CurrentKid();
  EXPECT_EQ(kid, KeyIdOf(store.Current().key));
  EXPECT_EQ(kid.size(), 22u);  // 16 bytes of base64url
  EXPECT_EQ(Mode(Pem(kid)), 0600u);
  EXPECT_EQ(Mode(dir_ / "keys"), 0700u);
  EXPECT_EQ(Manifest(dir_), (std::vector<KeyRecord>{{kid, kNow, {}, {}}}));
  EXPECT_TRUE(store.Current().key.has_private());
  EXPECT_EQ(store.Keys()->size(), 1u);
  EXPECT_EQ(ParseJwks(store.JwksJson()).value().at(kid).PublicDer(),
            store.Current().key.PublicDer());
  // Only the public half is published.
  EXPECT_EQ(store.JwksJson().find("\"d\""), std::string::npos);
}

TEST_F(SigningKeyStoreTest, LoadingAgainKeepsTheKey) {
  const std::string kid = Load().CurrentKid();
  SigningKeyStore again = Load();
  EXPECT_EQ(again.CurrentKid(), kid);
  ASSERT_TRUE(again.Reload().ok());
  EXPECT_EQ(again.CurrentKid(), kid);
  EXPECT_EQ(Manifest(dir_).size(), 1u);
}

TEST_F(SigningKeyStoreTest, RotationPublishesTheOldKeyUntilItsTokensExpire) {
  auto store = std::make_shared<SigningKeyStore>(Load());
  const SigningKey old_key = store->Current();
  auto verifier = Verifier(store);
  // exp far away, so that only the key's retirement can refuse this token.
  const std::string old_token = Token(old_key, kNow + 100 * kLifetime);
  ASSERT_TRUE(VerifyNow(*verifier, old_token).ok());

  now_ += 10;
  const std::string new_kid = store->Rotate(now_, kLifetime).value();
  const int64_t expires = now_ + kLifetime + kRetiredKeyLeewaySeconds;
  EXPECT_NE(new_kid, old_key.kid);
  EXPECT_EQ(store->CurrentKid(), new_kid);
  EXPECT_EQ(Manifest(dir_),
            (std::vector<KeyRecord>{{old_key.kid, kNow, now_, expires}, {new_kid, now_, {}, {}}}));
  EXPECT_EQ(Mode(Pem(new_kid)), 0600u);
  EXPECT_EQ(store->Keys()->size(), 2u);
  EXPECT_EQ(ParseJwks(store->JwksJson()).value().size(), 2u);

  // A fresh verifier (no cache) still accepts the old key's token until the key expires...
  now_ = expires - 1;
  EXPECT_TRUE(VerifyNow(*Verifier(store), old_token).ok());
  EXPECT_TRUE(
      SigningKeyStore::LoadOrCreate(dir_, [this] { return now_; })->Keys()->contains(old_key.kid));

  // ...and not from then on: unpublished at once, deleted from disk at the next load.
  now_ = expires;
  EXPECT_EQ(store->Keys()->size(), 1u);
  EXPECT_FALSE(ParseJwks(store->JwksJson()).value().contains(old_key.kid));
  EXPECT_TRUE(fs::exists(Pem(old_key.kid)));
  // The unknown kid makes the verifier reload the store, which deletes the expired key.
  Result<AccessClaims> refused = VerifyNow(*Verifier(store), old_token);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "Token was signed by an unknown key");
  EXPECT_FALSE(fs::exists(Pem(old_key.kid)));
  EXPECT_EQ(Manifest(dir_), (std::vector<KeyRecord>{{new_kid, kNow + 10, {}, {}}}));
  EXPECT_TRUE(VerifyNow(*verifier, Token(store->Current(), now_ + 60)).ok());
}

TEST_F(SigningKeyStoreTest, RotationDropsKeysThatExpired) {
  SigningKeyStore store = Load();
  const std::string first = store.CurrentKid();
  const std::string second = store.Rotate(now_, 0).value();
  now_ += kRetiredKeyLeewaySeconds;
  const std::string third = store.Rotate(now_, kLifetime).value();
  EXPECT_FALSE(fs::exists(Pem(first)));
  EXPECT_TRUE(fs::exists(Pem(second)));
  std::set<std::string> published;
  for (const auto& [kid, key] : *store.Keys()) published.insert(kid);
  EXPECT_EQ(published, (std::set<std::string>{second, third}));
}

TEST_F(SigningKeyStoreTest, ReloadPicksUpARotationByAnotherProcess) {
  auto server = std::make_shared<SigningKeyStore>(Load());
  const std::string old_kid = server->CurrentKid();
  SigningKeyStore cli = Load();
  const std::string new_kid = cli.Rotate(now_, kLifetime).value();
  EXPECT_EQ(server->CurrentKid(), old_kid);

  // A token signed with the new key (by another instance) makes the verifier reload.
  auto verifier = Verifier(server);
  EXPECT_TRUE(VerifyNow(*verifier, Token(cli.Current(), now_ + 60)).ok());
  EXPECT_EQ(verifier->stats().refreshes, 1u);
  EXPECT_EQ(server->CurrentKid(), new_kid);
}

TEST_F(SigningKeyStoreTest, LoadingRemovesCrashLeftovers) {
  const std::string kid = Load().CurrentKid();
  std::ofstream(dir_ / "keys" / ".tmp-0123456789abcdef") << "half a key";
  std::ofstream(dir_ / "keys" / "Orphan0000000000000000.pem") << "unlisted";
  std::ofstream(dir_ / "keys" / "notes.txt") << "kept";
  SigningKeyStore store = Load();
  EXPECT_EQ(store.CurrentKid(), kid);
  EXPECT_FALSE(fs::exists(dir_ / "keys" / ".tmp-0123456789abcdef"));
  EXPECT_FALSE(fs::exists(dir_ / "keys" / "Orphan0000000000000000.pem"));
  EXPECT_TRUE(fs::exists(dir_ / "keys" / "notes.txt"));
  EXPECT_TRUE(fs::exists(Pem(kid)));
}

TEST_F(SigningKeyStoreTest, CorruptDirectoryFailsInsteadOfReplacingKeys) {
  const std::string kid = Load().CurrentKid();
  const fs::path manifest = dir_ / "keys" / "keys.json";
  const std::string good = ReadSmallFile(manifest, 1 << 20).value();

  ASSERT_TRUE(WritePrivateFileAtomically(manifest, "{not json").ok());
  EXPECT_FALSE(SigningKeyStore::LoadOrCreate(dir_).ok());

  // A key file that is not the key its name says.
  ASSERT_TRUE(WritePrivateFileAtomically(manifest, good).ok());
  const std::string pem = ReadSmallFile(Pem(kid), 1 << 16).value();
  ASSERT_TRUE(
      WritePrivateFileAtomically(Pem(kid), auth_test::TestKey(0).ToPrivatePem().value()).ok());
  EXPECT_FALSE(SigningKeyStore::LoadOrCreate(dir_).ok());

  fs::remove(Pem(kid));
  EXPECT_FALSE(SigningKeyStore::LoadOrCreate(dir_).ok());

  // Nothing was replaced: the real key still loads.
  ASSERT_TRUE(WritePrivateFileAtomically(Pem(kid), pem).ok());
  EXPECT_EQ(Load().CurrentKid(), kid);
}

TEST_F(SigningKeyStoreTest, FailedReloadKeepsServingTheLastKeys) {
  SigningKeyStore store = Load();
  const std::string kid = store.CurrentKid();
  ASSERT_TRUE(WritePrivateFileAtomically(dir_ / "keys" / "keys.json", "[]").ok());
  EXPECT_FALSE(store.Reload().ok());
  EXPECT_EQ(store.CurrentKid(), kid);
  EXPECT_EQ(store.Keys()->size(), 1u);
}

}  // namespace
}  // namespace pcustomer
