// KeySigner: a Signer over a replica's node key (the key whose certificate the genesis pins).
// Thread-safety: Sign is const and may be called from any thread.
#pragma once

#include "consensus/replica.h"
#include "crypto/ecdsa.h"

namespace shipledger::consensus {

class KeySigner final : public Signer {
 public:
  explicit KeySigner(crypto::PrivateKey key) : key_(std::move(key)) {}
  Result<Bytes> Sign(ByteView message) const override { return key_.Sign(message); }

 private:
  crypto::PrivateKey key_;
};

}  // namespace shipledger::consensus
