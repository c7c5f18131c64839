#include "crypto/sha256.h"

#include <openssl/evp.h>

#include "crypto/openssl_util.h"
#include "shipledger/check.h"

namespace shipledger::crypto {

using internal::Sha256Md;
using internal::UniqueMdCtx;

// SHA-256 over in-memory data fails only when OpenSSL cannot allocate or is broken; that is
// not an expected error a caller could handle, so it is checked rather than returned.

Bytes Sha256(ByteView data) {
  Bytes out(kSha256Size, '\0');
  unsigned int len = 0;
  SHIPLEDGER_CHECK(EVP_Digest(data.data(), data.size(),
                              reinterpret_cast<unsigned char*>(out.data()), &len, Sha256Md(),
                              nullptr) == 1);
  SHIPLEDGER_CHECK(len == kSha256Size);
  return out;
}

Bytes Sha256(std::initializer_list<ByteView> parts) {
  Sha256Hasher hasher;
  for (ByteView part : parts) hasher.Update(part);
  return hasher.Finish();
}

struct Sha256Hasher::Impl {
  UniqueMdCtx ctx;
};

Sha256Hasher::Sha256Hasher() : impl_(std::make_unique<Impl>()) {
  impl_->ctx.reset(EVP_MD_CTX_new());
  SHIPLEDGER_CHECK(impl_->ctx != nullptr);
  SHIPLEDGER_CHECK(EVP_DigestInit_ex2(impl_->ctx.get(), Sha256Md(), nullptr) == 1);
}

Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::Update(ByteView data) {
  SHIPLEDGER_CHECK_MSG(impl_->ctx != nullptr, "Sha256Hasher used after Finish()");
  SHIPLEDGER_CHECK(EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()) == 1);
}

Bytes Sha256Hasher::Finish() {
  SHIPLEDGER_CHECK_MSG(impl_->ctx != nullptr, "Sha256Hasher used after Finish()");
  Bytes out(kSha256Size, '\0');
  unsigned int len = 0;
  SHIPLEDGER_CHECK(EVP_DigestFinal_ex(impl_->ctx.get(),
                                      reinterpret_cast<unsigned char*>(out.data()), &len) == 1);
  SHIPLEDGER_CHECK(len == kSha256Size);
  impl_->ctx.reset();
  return out;
}

}  // namespace shipledger::crypto
