#include "pcustomer/auth/password_hasher.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace pcustomer {
namespace {

// Cheap enough to hash hundreds of times in a test run; the defaults have a test of their own.
constexpr PasswordParams kCheap{64, 1, 1};

// Splits "$argon2id$v=19$m=..,t=..,p=..$salt$hash" at '$'; the first part is empty.
std::vector<std::string> Parts(const std::string& phc) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    const size_t end = phc.find('$', start);
    parts.push_back(phc.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

TEST(PasswordHasherTest, DefaultsAreOwaspsAndShowInTheHash) {
  EXPECT_EQ(PasswordParams{}, (PasswordParams{19456, 2, 1}));
  PasswordHasher hasher;
  const std::string phc = hasher.Hash("Correct#Horse1").value();
  const auto parts = Parts(phc);
  ASSERT_EQ(parts.size(), 6u) << phc;
  EXPECT_EQ(parts[1], "argon2id");
  EXPECT_EQ(parts[2], "v=19");
  EXPECT_EQ(parts[3], "m=19456,t=2,p=1");
  EXPECT_EQ(parts[4].size(), 22u);  // 16 bytes of salt in unpadded base64
  EXPECT_EQ(parts[5].size(), 43u);  // 32 bytes of hash
  EXPECT_TRUE(hasher.Verify(phc, "Correct#Horse1"));
  EXPECT_FALSE(hasher.NeedsRehash(phc));
}

TEST(PasswordHasherTest, RoundTripWithAFreshSaltEachTime) {
  PasswordHasher hasher(kCheap);
  const std::string first = hasher.Hash("Secret#123").value();
  const std::string second = hasher.Hash("Secret#123").value();
  EXPECT_EQ(first.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << first;
  EXPECT_NE(first, second);
  EXPECT_TRUE(hasher.Verify(first, "Secret#123"));
  EXPECT_TRUE(hasher.Verify(second, "Secret#123"));
  // Passwords are bytes: Unicode and embedded NULs are kept whole.
  const std::string unusual = std::string("Mật khẩu#1\0tail", 17);
  EXPECT_TRUE(hasher.Verify(hasher.Hash(unusual).value(), unusual));
  EXPECT_FALSE(hasher.Verify(hasher.Hash(unusual).value(), "Mật khẩu#1"));
}

TEST(PasswordHasherTest, WrongPasswordsDoNotVerify) {
  PasswordHasher hasher(kCheap);
  const std::string phc = hasher.Hash("Secret#123").value();
  for (const char* wrong : {"Secret#124", "secret#123", "Secret#12", "Secret#1234", "", " "}) {
    EXPECT_FALSE(hasher.Verify(phc, wrong)) << wrong;
  }
}

TEST(PasswordHasherTest, MalformedOrForeignHashesAreFalseNeverThrown) {
  PasswordHasher hasher(kCheap);
  const std::string good = hasher.Hash("Secret#123").value();
  const auto parts = Parts(good);
  const std::string salt = parts[4];
  const std::string hash = parts[5];
  const std::vector<std::string> malformed = {
      "",
      "Secret#123",
      "$argon2id$",
      "$argon2id$v=19$m=64,t=1,p=1$" + salt,
      "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$",
      "$argon2id$v=19$m=64,t=1,p=1$$" + hash,
      "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash + "$",
      "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + hash,
      "$argon2d$v=19$m=64,t=1,p=1$" + salt + "$" + hash,
      "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + hash,
      "$argon2id$m=64,t=1,p=1$" + salt + "$" + hash,
      "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + hash,
      "$argon2id$v=19$m=64,t=1$" + salt + "$" + hash,
      "$argon2id$v=19$m=64,t=1,p=1,x=2$" + salt + "$" + hash,
      "$argon2id$v=19$m=,t=1,p=1$" + salt + "$" + hash,
      "$argon2id$v=19$m=abc,t=1,p=1$" + salt + "$" + hash,
      "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + hash,
      "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + hash,
      "$argon2id$v=19$m=99999999999,t=1,p=1$" + salt + "$" + hash,
      "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + hash,  // 4 GiB: refused unrun
      "$argon2id$v=19$m=64,t=1000,p=1$" + salt + "$" + hash,
      "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + hash,
      "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + hash,
      "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash.substr(0, 10),
      "$argon2id$v=19$m=64,t=1,p=1$!!!!$" + hash,
      "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + hash,  // a 4-byte salt: too short for argon2
      "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash + "=",
      "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
      std::string("$argon2id$v=19$m=64,t=1,p=1$") + '\0' + salt + "$" + hash,
  };
  for (const std::string& phc : malformed) {
    bool verified = true;
    EXPECT_NO_THROW(verified = hasher.Verify(phc, "Secret#123")) << phc;
    EXPECT_FALSE(verified) << phc;
    EXPECT_TRUE(hasher.NeedsRehash(phc)) << phc;
  }
  EXPECT_TRUE(hasher.Verify(good, "Secret#123"));  // the pieces were sound
}

TEST(PasswordHasherTest, NeedsRehashWhenTheParametersChanged) {
  PasswordHasher old_hasher(kCheap);
  PasswordHasher new_hasher({128, 1, 1});
  const std::string old_phc = old_hasher.Hash("Secret#123").value();
  EXPECT_FALSE(old_hasher.NeedsRehash(old_phc));
  EXPECT_TRUE(new_hasher.NeedsRehash(old_phc));
  // Old hashes keep verifying, so users can sign in and get rehashed.
  EXPECT_TRUE(new_hasher.Verify(old_phc, "Secret#123"));
  const std::string new_phc = new_hasher.Hash("Secret#123").value();
  EXPECT_FALSE(new_hasher.NeedsRehash(new_phc));
  EXPECT_TRUE(PasswordHasher({64, 2, 1}).NeedsRehash(old_phc));
  EXPECT_TRUE(PasswordHasher({64, 1, 2}).NeedsRehash(old_phc));
}

TEST(PasswordHasherTest, DummyVerificationCostsWhatARealOneCosts) {
  // Argon2's cost depends only on its parameters and the salt and hash lengths, and
  // VerifyDummy runs Verify on the dummy hash; so equal parameters and shapes mean equal
  // work, which a timing assertion could only check flakily.
  PasswordHasher hasher({256, 3, 1});
  const auto dummy = Parts(hasher.dummy_phc());
  const auto real = Parts(hasher.Hash("Secret#123").value());
  ASSERT_EQ(dummy.size(), 6u);
  ASSERT_EQ(real.size(), 6u);
  EXPECT_EQ(dummy[3], "m=256,t=3,p=1");
  for (size_t i = 1; i < 6; ++i) {
    if (i < 4) {
      EXPECT_EQ(dummy[i], real[i]);
    }
    EXPECT_EQ(dummy[i].size(), real[i].size()) << i;
  }
  EXPECT_FALSE(hasher.NeedsRehash(hasher.dummy_phc()));
  for (const char* password : {"", "Secret#123", "anything at all"}) {
    EXPECT_FALSE(hasher.Verify(hasher.dummy_phc(), password));
    hasher.VerifyDummy(password);
  }
}

TEST(PasswordHasherTest, ParametersArgonRefusesAreRefusedAtConstruction) {
  EXPECT_THROW(PasswordHasher({64, 0, 1}), std::invalid_argument);
  EXPECT_THROW(PasswordHasher({64, 1, 0}), std::invalid_argument);
  EXPECT_THROW(PasswordHasher({4, 1, 1}), std::invalid_argument);
  EXPECT_THROW(PasswordHasher({64, 1, 9}), std::invalid_argument);  // under 8 KiB per lane
}

struct RuleCase {
  std::string input;
  bool ok;
  std::vector<std::string> reasons;  // descriptions expected when refused
};

std::vector<std::string> Descriptions(const Status& status, const char* source) {
  std::vector<std::string> descriptions;
  if (status.ok()) return descriptions;
  EXPECT_EQ(status.error().code, ErrorCode::kBadRequest);
  for (const Reason& reason : status.error().reasons) {
    EXPECT_EQ(reason.source, source);
    descriptions.push_back(reason.desc);
  }
  return descriptions;
}

constexpr const char* kUsernameLength = "username must be 3 to 30 characters long";
constexpr const char* kUsernameCharacters =
    "username may contain only letters a-z and A-Z, digits, '.', '_' and '-'";

TEST(PasswordAndUsernameRulesTest, Usernames) {
  const std::vector<RuleCase> cases = {
      {"abc", true, {}},
      {"alice", true, {}},
      {"Alice.Nguyen_01-x", true, {}},
      {"a.b", true, {}},
      {"___", true, {}},
      {"0123456789", true, {}},
      {std::string(30, 'z'), true, {}},
      {"ab", false, {kUsernameLength}},
      {"", false, {kUsernameLength}},
      {std::string(31, 'z'), false, {kUsernameLength}},
      {"alice nguyen", false, {kUsernameCharacters}},
      {"alice@example.com", false, {kUsernameCharacters}},
      {"an#", false, {kUsernameCharacters}},
      {"nguyễn", false, {kUsernameCharacters}},
      {"ali\nce", false, {kUsernameCharacters}},
      {std::string("ali\0ce", 6), false, {kUsernameCharacters}},
      {"a!", false, {kUsernameLength, kUsernameCharacters}},
  };
  for (const RuleCase& c : cases) {
    const Status status = CheckUsernameRules(c.input);
    EXPECT_EQ(status.ok(), c.ok) << c.input;
    EXPECT_EQ(Descriptions(status, "username"), c.reasons) << c.input;
  }
}

constexpr const char* kTooShort = "password must be at least 8 characters long";
constexpr const char* kTooLong = "password must be at most 256 characters long";
constexpr const char* kNoUpper = "password must contain an upper-case letter (A-Z)";
constexpr const char* kNoLower = "password must contain a lower-case letter (a-z)";
constexpr const char* kNoDigit = "password must contain a digit (0-9)";
constexpr const char* kNoSpecial =
    "password must contain a special character such as ! @ # $ % ^ & * - _";
constexpr const char* kNotUtf8 = "password must be valid UTF-8 text";

TEST(PasswordAndUsernameRulesTest, Passwords) {
  const std::string long_ok = "Aa1!" + std::string(252, 'x');
  const std::vector<RuleCase> cases = {
      {"Secret#1", true, {}},
      {"Correct Horse Battery 9!", true, {}},
      {"aB3~aaaa", true, {}},
      {"Zz9_zzzz", true, {}},
      {"Mật khẩu#9", true, {}},
      {"Aa1\"\\'`{}", true, {}},
      {long_ok, true, {}},
      {"Aa1!ạạạạ", true, {}},  // 8 characters, 12 bytes
      {"Aa1!ạạạ", false, {kTooShort}},
      {"Secre#1", false, {kTooShort}},
      {long_ok + "x", false, {kTooLong}},
      {"secret#123", false, {kNoUpper}},
      {"SECRET#123", false, {kNoLower}},
      {"Secret#abc", false, {kNoDigit}},
      {"Secret1234", false, {kNoSpecial}},
      {"Secret 1234", false, {kNoSpecial}},  // a space is not a special character
      {"Secret€1234", false, {kNoSpecial}},
      {"Écoleé#1x", false, {kNoUpper}},  // upper-case means A-Z
      {"", false, {kTooShort, kNoUpper, kNoLower, kNoDigit, kNoSpecial}},
      {"aaaaaaaa", false, {kNoUpper, kNoDigit, kNoSpecial}},
      {"Secret#1\xff", false, {kNotUtf8}},
      {"Secret#1\xc0\xaf", false, {kNotUtf8}},      // overlong '/'
      {"Secret#1\xed\xa0\x80", false, {kNotUtf8}},  // a surrogate
      {"Secret#1\xe1\xba", false, {kNotUtf8}},      // truncated
  };
  for (const RuleCase& c : cases) {
    const Status status = CheckPasswordRules(c.input);
    EXPECT_EQ(status.ok(), c.ok) << c.input;
    EXPECT_EQ(Descriptions(status, "password"), c.reasons) << c.input;
  }
}

}  // namespace
}  // namespace pcustomer
