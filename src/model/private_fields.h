// Private fields of an event (DESIGN §4): sealing them for reader organisations, opening them
// as a reader, and checking a disclosed (name, value, salt) against the event's commitment.
// The exact encoding is documented in proto/shipledger/v1/types.proto (PrivateEnvelope) and
// docs/private-fields.md. The structure check nodes run is in model/envelope_check.h.
// Thread-safety: free functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crypto/ecdsa.h"
#include "model/genesis.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::model {

inline constexpr std::string_view kCommitDomain = "shipledger/commit/v1";
inline constexpr std::string_view kWrapDomain = "shipledger/wrap/v1";
inline constexpr size_t kSaltSize = 32;
inline constexpr size_t kCommitmentSize = 32;
inline constexpr size_t kWrappedKeySize = 48;  // 32-byte data key ‖ 16-byte tag
// Sealed plaintext overhead: the 4-byte value length, the salt and the GCM tag.
inline constexpr size_t kSealedFieldOverhead = 4 + kSaltSize + 16;

// SHA-256(kCommitDomain ‖ len‖name ‖ len‖value ‖ salt).
Bytes PrivateFieldCommitment(std::string_view name, std::string_view value, ByteView salt);
// The AAD of a field: len‖chain_id ‖ len‖shipment_id ‖ len‖nonce ‖ len‖name.
Bytes PrivateFieldAad(std::string_view chain_id, std::string_view shipment_id, ByteView nonce,
                      std::string_view name);
// The HKDF-SHA256 info of a key wrap for `reader_org`:
// kWrapDomain ‖ len‖chain_id ‖ len‖reader_org ‖ ephemeral_point ‖ reader_point, both points
// uncompressed (65 bytes each) and not length-prefixed.
Bytes PrivateKeyWrapInfo(std::string_view chain_id, std::string_view reader_org,
                         ByteView ephemeral_point, ByteView reader_point);

struct PrivateValue {
  std::string name;
  std::string value;
};

struct Reader {
  std::string org;
  crypto::PublicKey encryption_key;  // the organisation's key from the genesis
};

// The readers of an event signed by `signer_org`: the signer's organisation first, then `orgs`
// in order, each once, with their genesis encryption keys. INVALID_ARGUMENT naming an org that
// is not in the genesis; FAILED_PRECONDITION naming one without an encryption_key.
Result<std::vector<Reader>> ReadersFromGenesis(const Genesis& genesis, std::string_view signer_org,
                                               const std::vector<std::string>& orgs);

struct SealedFields {
  v1::PrivateEnvelope envelope;
  std::vector<Bytes> salts;  // salts[i] is the salt of envelope.fields(i)
};

// Encrypts `fields` under a fresh data key and wraps it for each reader (fresh ephemeral key
// per reader). REQUIRES nothing of the caller: INVALID_ARGUMENT when there are no fields or no
// readers, a name is empty or repeated, or a reader is named twice; INTERNAL on a crypto failure.
// The caller puts the envelope into an event with these chain id, shipment id and nonce.
Result<SealedFields> Seal(const std::vector<PrivateValue>& fields,
                          const std::vector<Reader>& readers, std::string_view chain_id,
                          std::string_view shipment_id, ByteView nonce);

// True if `org` has a key wrap in the event's envelope.
bool IsReader(const v1::Event& event, std::string_view org);

struct OpenedField {
  std::string name;
  std::string value;  // empty unless the field decrypted
  Bytes salt;
  // OK; INVALID_ARGUMENT when the field does not decrypt or its plaintext is malformed; or
  // DATA_LOSS ("FRAUD: ...") when it decrypts but does not match its commitment — the signer
  // committed to something other than what the readers received (IsFraud).
  Status status;
};

// Opens every private field of `event` as `reader_org` holding `key` (its encryption private
// key). PERMISSION_DENIED when reader_org is not a reader; INVALID_ARGUMENT when the data key
// does not unwrap (wrong key, or a corrupt wrap). Per-field failures are in OpenedField::status.
Result<std::vector<OpenedField>> Open(const v1::Event& event, std::string_view reader_org,
                                      const crypto::PrivateKey& key);

// True for the status Open gives a field whose commitment does not match.
bool IsFraud(const Status& status);

// OK iff the event has a private field `name` whose commitment is that of (name, value, salt):
// what a third party checks of a disclosure. NOT_FOUND when there is no such field;
// INVALID_ARGUMENT when the salt is not 32 bytes or the commitment does not match.
Status VerifyDisclosedField(const v1::Event& event, std::string_view name, std::string_view value,
                            ByteView salt);

}  // namespace shipledger::model
