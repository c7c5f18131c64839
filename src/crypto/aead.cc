#include "crypto/aead.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>

#include "crypto/openssl_util.h"

namespace shipledger::crypto {

using internal::TakeOpenSslError;

namespace {

using UniqueCipherCtx = internal::Owned<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;

const unsigned char* Data(ByteView v) { return reinterpret_cast<const unsigned char*>(v.data()); }

// Inputs beyond int range cannot be passed to EVP_*Update in one call; private fields are far
// smaller, so such input is refused rather than chunked.
bool FitsInt(ByteView v) { return v.size() <= static_cast<size_t>(INT_MAX); }

Status CheckSizes(ByteView key, ByteView iv, ByteView aad, ByteView text) {
  if (key.size() != kAes256KeySize) {
    return Status::InvalidArgument("AES-256-GCM key must be 32 bytes, got " +
                                   std::to_string(key.size()));
  }
  if (iv.size() != kGcmIvSize) {
    return Status::InvalidArgument("AES-GCM IV must be 12 bytes, got " + std::to_string(iv.size()));
  }
  if (!FitsInt(aad) || !FitsInt(text)) return Status::InvalidArgument("AES-GCM input too large");
  return Status::Ok();
}

// A context initialised for AES-256-GCM in the given direction with key, IV and AAD.
Result<UniqueCipherCtx> NewContext(bool encrypt, ByteView key, ByteView iv, ByteView aad) {
  UniqueCipherCtx ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr) return Status::Internal("AES-GCM context: " + TakeOpenSslError());
  // The default IV length of GCM is 12 bytes, which is the only one accepted here.
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Data(key), Data(iv),
                        encrypt ? 1 : 0) != 1) {
    return Status::Internal("AES-GCM init: " + TakeOpenSslError());
  }
  int len = 0;
  if (!aad.empty() &&
      EVP_CipherUpdate(ctx.get(), nullptr, &len, Data(aad), static_cast<int>(aad.size())) != 1) {
    return Status::Internal("AES-GCM AAD: " + TakeOpenSslError());
  }
  return ctx;
}

}  // namespace

Result<Bytes> RandomBytes(size_t n) {
  Bytes out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return Status::Internal("random bytes (OpenSSL RAND_bytes): " + TakeOpenSslError());
  }
  return out;
}

Result<SecretBytes> RandomKey() {
  SecretBytes key(Bytes(kAes256KeySize, '\0'));
  if (RAND_priv_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    return Status::Internal("random key (OpenSSL RAND_priv_bytes): " + TakeOpenSslError());
  }
  return key;
}

Result<Bytes> AesGcmSeal(ByteView key, ByteView iv, ByteView aad, ByteView plaintext) {
  SL_RETURN_IF_ERROR(CheckSizes(key, iv, aad, plaintext));
  SL_ASSIGN_OR_RETURN(UniqueCipherCtx ctx, NewContext(true, key, iv, aad));
  Bytes out(plaintext.size() + kGcmTagSize, '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  if (!plaintext.empty() && EVP_EncryptUpdate(ctx.get(), p, &len, Data(plaintext),
                                              static_cast<int>(plaintext.size())) != 1) {
    return Status::Internal("AES-GCM encrypt: " + TakeOpenSslError());
  }
  int final_len = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), p + len, &final_len) != 1 ||
      static_cast<size_t>(len + final_len) != plaintext.size()) {
    return Status::Internal("AES-GCM encrypt final: " + TakeOpenSslError());
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize),
                          p + plaintext.size()) != 1) {
    return Status::Internal("AES-GCM tag: " + TakeOpenSslError());
  }
  return out;
}

Result<SecretBytes> AesGcmOpen(ByteView key, ByteView iv, ByteView aad, ByteView sealed) {
  SL_RETURN_IF_ERROR(CheckSizes(key, iv, aad, sealed));
  if (sealed.size() < kGcmTagSize) {
    return Status::InvalidArgument("AES-GCM ciphertext is shorter than its 16-byte tag");
  }
  const ByteView ciphertext = sealed.substr(0, sealed.size() - kGcmTagSize);
  Bytes tag(sealed.substr(ciphertext.size()));
  SL_ASSIGN_OR_RETURN(UniqueCipherCtx ctx, NewContext(false, key, iv, aad));
  SecretBytes plain(Bytes(ciphertext.size(), '\0'));
  int len = 0;
  if (!ciphertext.empty() && EVP_DecryptUpdate(ctx.get(), plain.data(), &len, Data(ciphertext),
                                               static_cast<int>(ciphertext.size())) != 1) {
    return Status::Internal("AES-GCM decrypt: " + TakeOpenSslError());
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize),
                          tag.data()) != 1) {
    return Status::Internal("AES-GCM tag: " + TakeOpenSslError());
  }
  int final_len = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), plain.data() + len, &final_len) != 1) {
    TakeOpenSslError();
    // `plain` holds unauthenticated output; its destructor wipes it.
    return Status::InvalidArgument("AES-GCM authentication failed (wrong key, IV, AAD or data)");
  }
  return plain;
}

}  // namespace shipledger::crypto
