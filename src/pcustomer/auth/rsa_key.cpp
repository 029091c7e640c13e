#include "pcustomer/auth/rsa_key.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>
#include <optional>
#include <utility>

#include "pcustomer/util/encoding.hpp"

namespace pcustomer {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// OpenSSL reports failures on a per-thread queue; leaving entries there would make a later,
// unrelated caller on this thread see them.
Error Failure(std::string message) {
  ERR_clear_error();
  return Error::Internal(std::move(message));
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

bool BitsInRange(int bits) { return bits >= kMinRsaBits && bits <= kMaxRsaBits; }

// Refuses any password prompt: without this, OpenSSL would ask on the terminal for an
// encrypted key.
int NoPassword(char*, int, int, void*) { return -1; }

std::string BigEndian(const BIGNUM* bn) {
  std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string Param(EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
    ERR_clear_error();
    return {};
  }
  BnPtr bn(raw);
  return BigEndian(bn.get());
}

}  // namespace

Result<RsaKey> RsaKey::Generate(int bits) {
  if (!BitsInRange(bits)) return Error::Internal("RSA key size is out of range");
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits));
  if (pkey == nullptr) return Failure("RSA key generation failed");
  return RsaKey(pkey, true);
}

Result<RsaKey> RsaKey::FromPrivatePem(std::string_view pem) {
  if (pem.size() > 64 * 1024) return Error::Internal("PEM private key is too large");
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Failure("out of memory");
  PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr));
  if (!pkey) return Failure("PEM private key is unreadable or encrypted");
  // "RSA" excludes RSA-PSS keys, which cannot make PKCS#1 v1.5 signatures.
  if (!EVP_PKEY_is_a(pkey.get(), "RSA")) return Failure("PEM private key is not an RSA key");
  if (!BitsInRange(EVP_PKEY_get_bits(pkey.get()))) {
    return Failure("PEM private key size is out of range");
  }
  return RsaKey(pkey.release(), true);
}

Result<RsaKey> RsaKey::FromJwk(std::string_view n, std::string_view e) {
  std::optional<std::string> n_bytes = Base64UrlDecode(n);
  std::optional<std::string> e_bytes = Base64UrlDecode(e);
  if (!n_bytes || !e_bytes) return Error::Internal("JWK n or e is not base64url");
  if (n_bytes->size() > kMaxRsaBits / 8 + 1) return Error::Internal("JWK modulus is too large");
  if (e_bytes->empty() || e_bytes->size() > 8) return Error::Internal("JWK exponent is invalid");
  BnPtr n_bn(BN_bin2bn(Bytes(*n_bytes), static_cast<int>(n_bytes->size()), nullptr));
  BnPtr e_bn(BN_bin2bn(Bytes(*e_bytes), static_cast<int>(e_bytes->size()), nullptr));
  if (!n_bn || !e_bn) return Failure("out of memory");
  if (!BitsInRange(BN_num_bits(n_bn.get())) || !BN_is_odd(n_bn.get())) {
    return Error::Internal("JWK modulus is invalid or out of range");
  }
  if (!BN_is_odd(e_bn.get()) || BN_num_bits(e_bn.get()) < 2) {
    return Error::Internal("JWK exponent is invalid");
  }

  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n_bn.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e_bn.get()) != 1) {
    return Failure("out of memory");
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(builder.get()));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return Failure("JWK is not a usable RSA public key");
  }
  return RsaKey(raw, false);
}

RsaKey::RsaKey(const RsaKey& other) : pkey_(other.pkey_), has_private_(other.has_private_) {
  if (pkey_ != nullptr) EVP_PKEY_up_ref(pkey_);
}

RsaKey& RsaKey::operator=(const RsaKey& other) {
  if (this != &other) *this = RsaKey(other);
  return *this;
}

RsaKey::RsaKey(RsaKey&& other) noexcept
    : pkey_(std::exchange(other.pkey_, nullptr)),
      has_private_(std::exchange(other.has_private_, false)) {}

RsaKey& RsaKey::operator=(RsaKey&& other) noexcept {
  std::swap(pkey_, other.pkey_);
  std::swap(has_private_, other.has_private_);
  return *this;
}

RsaKey::~RsaKey() { EVP_PKEY_free(pkey_); }

int RsaKey::bits() const { return pkey_ == nullptr ? 0 : EVP_PKEY_get_bits(pkey_); }

Result<std::string> RsaKey::ToPrivatePem() const {
  if (!has_private_) return Error::Internal("RSA key has no private part");
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PrivateKey writes PKCS#8 PrivateKeyInfo, unencrypted with these arguments.
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), pkey_, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Failure("writing the PEM private key failed");
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<size_t>(size));
  OPENSSL_cleanse(data, static_cast<size_t>(size));
  return pem;
}

std::string RsaKey::PublicDer() const {
  unsigned char* der = nullptr;
  int size = i2d_PUBKEY(pkey_, &der);
  if (size <= 0) {
    ERR_clear_error();
    return {};
  }
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  return out;
}

std::string RsaKey::PublicJwkJson(std::string_view kid) const {
  const std::string n = Base64UrlEncode(Param(pkey_, OSSL_PKEY_PARAM_RSA_N));
  const std::string e = Base64UrlEncode(Param(pkey_, OSSL_PKEY_PARAM_RSA_E));
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("kty");
  writer.String("RSA");
  writer.Key("use");
  writer.String("sig");
  writer.Key("alg");
  writer.String("RS256");
  writer.Key("kid");
  writer.String(kid.data(), static_cast<rapidjson::SizeType>(kid.size()));
  writer.Key("n");
  writer.String(n.data(), static_cast<rapidjson::SizeType>(n.size()));
  writer.Key("e");
  writer.String(e.data(), static_cast<rapidjson::SizeType>(e.size()));
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<std::string> RsaKey::SignRs256(std::string_view message) const {
  if (!has_private_) return Error::Internal("RSA key has no private part");
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, pkey_) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return Failure("RS256 signing failed to start");
  }
  size_t size = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &size, Bytes(message), message.size()) != 1) {
    return Failure("RS256 signing failed");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     Bytes(message), message.size()) != 1) {
    return Failure("RS256 signing failed");
  }
  signature.resize(size);
  return signature;
}

bool RsaKey::VerifyRs256(std::string_view message, std::string_view signature) const {
  if (pkey_ == nullptr || signature.size() != static_cast<size_t>(EVP_PKEY_get_size(pkey_))) {
    return false;
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  const bool valid = ctx &&
                     EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, pkey_) == 1 &&
                     EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
                     EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(message),
                                      message.size()) == 1;
  if (!valid) ERR_clear_error();
  return valid;
}

}  // namespace pcustomer
