#include "pcustomer/auth/password_hasher.hpp"

#include <argon2.h>

#include <charconv>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

#include "pcustomer/util/crypto.hpp"
#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

constexpr uint32_t kSaltBytes = 16;
constexpr uint32_t kHashBytes = 32;
constexpr const char* kPrefix = "$argon2id$v=19$";

// Bounds on the costs Verify accepts from a stored string: far above any setting worth
// using, far below what would let one damaged row exhaust the host.
constexpr uint32_t kMaxMemoryKib = 1024 * 1024;  // 1 GiB
constexpr uint32_t kMaxIterations = 64;
constexpr uint32_t kMaxParallelism = 16;

constexpr size_t kMinUsernameLength = 3;
constexpr size_t kMaxUsernameLength = 30;
constexpr size_t kMinPasswordLength = 8;
constexpr size_t kMaxPasswordLength = 256;

std::optional<uint32_t> ParseDecimal(std::string_view text) {
  // No sign, no leading zeros: argon2 writes numbers one way, so any other spelling is not
  // one of ours.
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  uint32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Bytes encoded by `text` in unpadded standard base64, as argon2 writes salts and hashes;
// none for any other character or an impossible length.
std::optional<size_t> Base64Bytes(std::string_view text) {
  if (text.empty() || text.size() % 4 == 1) return std::nullopt;
  for (char c : text) {
    const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (!alphabet) return std::nullopt;
  }
  return text.size() * 3 / 4;
}

// What decides the cost of verifying against a PHC string.
struct PhcShape {
  PasswordParams params;
  size_t salt_bytes = 0;
  size_t hash_bytes = 0;
};

// The shape of an Argon2id v=19 PHC string as argon2 writes it:
// "$argon2id$v=19$m=<n>,t=<n>,p=<n>$<salt>$<hash>"; none for anything else.
std::optional<PhcShape> ParsePhc(std::string_view phc) {
  if (phc.substr(0, std::strlen(kPrefix)) != kPrefix) return std::nullopt;
  std::string_view rest = phc.substr(std::strlen(kPrefix));
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t end = rest.find('$', start);
    parts.push_back(rest.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (parts.size() != 3) return std::nullopt;
  std::string_view costs = parts[0];
  std::optional<uint32_t> values[3];
  const char* names[3] = {"m=", "t=", "p="};
  for (int i = 0; i < 3; ++i) {
    if (costs.substr(0, 2) != names[i]) return std::nullopt;
    costs.remove_prefix(2);
    const size_t comma = costs.find(',');
    // A comma must follow m and t, and nothing may follow p.
    if ((i < 2) == (comma == std::string_view::npos)) return std::nullopt;
    values[i] = ParseDecimal(costs.substr(0, comma));
    if (!values[i]) return std::nullopt;
    costs = i < 2 ? costs.substr(comma + 1) : std::string_view();
  }
  const std::optional<size_t> salt_bytes = Base64Bytes(parts[1]);
  const std::optional<size_t> hash_bytes = Base64Bytes(parts[2]);
  if (!salt_bytes || !hash_bytes) return std::nullopt;
  return PhcShape{{*values[0], *values[1], *values[2]}, *salt_bytes, *hash_bytes};
}

bool WithinBounds(const PasswordParams& params) {
  return params.memory_kib <= kMaxMemoryKib && params.iterations >= 1 &&
         params.iterations <= kMaxIterations && params.parallelism >= 1 &&
         params.parallelism <= kMaxParallelism;
}

// The number of code points of `text`; none when it is not valid UTF-8 (overlong forms,
// surrogates and values beyond U+10FFFF included).
std::optional<size_t> CountCodePoints(std::string_view text) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++count) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t code = 0;
    if (lead < 0x80) {
      length = 1;
      code = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code = lead & 0x07u;
    } else {
      return std::nullopt;
    }
    if (i + length > text.size()) return std::nullopt;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      code = (code << 6) | (next & 0x3Fu);
    }
    constexpr uint32_t kMinOfLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinOfLength[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return std::nullopt;
    }
    i += length;
  }
  return count;
}

bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiPunctuation(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

}  // namespace

PasswordHasher::PasswordHasher(PasswordParams params) : params_(params) {
  if (params_.iterations < 1 || params_.parallelism < 1 ||
      params_.memory_kib < 8 * params_.parallelism) {
    throw std::invalid_argument("Argon2 parameters out of range");
  }
  // Hashing random bytes: no password a caller can send matches it.
  Result<std::string> dummy = Hash(HexEncode(RandomBytes(kSaltBytes)));
  if (!dummy.ok()) throw std::runtime_error(dummy.error().Described());
  dummy_phc_ = std::move(dummy).value();
}

Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  const std::string salt = RandomBytes(kSaltBytes);
  std::string encoded(argon2_encodedlen(params_.iterations, params_.memory_kib, params_.parallelism,
                                        kSaltBytes, kHashBytes, Argon2_id),
                      '\0');
  const int rc = argon2id_hash_encoded(params_.iterations, params_.memory_kib, params_.parallelism,
                                       password.data(), password.size(), salt.data(), salt.size(),
                                       kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    return Error::Unavailable("Password hashing is unavailable; retry shortly",
                              std::string("Argon2 hashing failed: ") + argon2_error_message(rc), 1);
  }
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

bool PasswordHasher::Verify(std::string_view phc, std::string_view password) const {
  const std::optional<PhcShape> stored = ParsePhc(phc);
  if (!stored || !WithinBounds(stored->params)) return false;
  // argon2 reads a NUL-terminated string.
  const std::string encoded(phc);
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool PasswordHasher::NeedsRehash(std::string_view phc) const {
  const std::optional<PhcShape> stored = ParsePhc(phc);
  return !stored || stored->params != params_ || stored->salt_bytes != kSaltBytes ||
         stored->hash_bytes != kHashBytes;
}

void PasswordHasher::VerifyDummy(std::string_view password) const {
  // The result is false by construction; only the time spent matters.
  static_cast<void>(Verify(dummy_phc_, password));
}

Status CheckUsernameRules(std::string_view username) {
  std::vector<Reason> reasons;
  if (username.size() < kMinUsernameLength || username.size() > kMaxUsernameLength) {
    reasons.push_back({"username", "username must be 3 to 30 characters long"});
  }
  for (char c : username) {
    if (!IsAsciiUpper(c) && !IsAsciiLower(c) && !IsAsciiDigit(c) && c != '.' && c != '_' &&
        c != '-') {
      reasons.push_back(
          {"username", "username may contain only letters a-z and A-Z, digits, '.', '_' and '-'"});
      break;
    }
  }
  if (!reasons.empty()) return Error::Validation(std::move(reasons));
  return Ok{};
}

Status CheckPasswordRules(std::string_view password) {
  const std::optional<size_t> length = CountCodePoints(password);
  if (!length) return Error::Validation({{"password", "password must be valid UTF-8 text"}});
  std::vector<Reason> reasons;
  if (*length < kMinPasswordLength) {
    reasons.push_back({"password", "password must be at least 8 characters long"});
  }
  if (*length > kMaxPasswordLength) {
    reasons.push_back({"password", "password must be at most 256 characters long"});
  }
  bool upper = false;
  bool lower = false;
  bool digit = false;
  bool special = false;
  for (char c : password) {
    upper = upper || IsAsciiUpper(c);
    lower = lower || IsAsciiLower(c);
    digit = digit || IsAsciiDigit(c);
    special = special || IsAsciiPunctuation(c);
  }
  if (!upper) reasons.push_back({"password", "password must contain an upper-case letter (A-Z)"});
  if (!lower) reasons.push_back({"password", "password must contain a lower-case letter (a-z)"});
  if (!digit) reasons.push_back({"password", "password must contain a digit (0-9)"});
  if (!special) {
    reasons.push_back(
        {"password", "password must contain a special character such as ! @ # $ % ^ & * - _"});
  }
  if (!reasons.empty()) return Error::Validation(std::move(reasons));
  return Ok{};
}

}  // namespace pcustomer
