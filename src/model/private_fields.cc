#include "model/private_fields.h"

#include <set>

#include "crypto/aead.h"
#include "crypto/ecdh.h"
#include "crypto/sha256.h"

namespace shipledger::model {

namespace {

// KEK = HKDF-SHA256(ECDH(mine, theirs), no salt, PrivateKeyWrapInfo(...)), 32 bytes.
Result<crypto::SecretBytes> DeriveKek(const crypto::PrivateKey& mine,
                                      const crypto::PublicKey& theirs, std::string_view chain_id,
                                      std::string_view reader_org, ByteView ephemeral_point,
                                      ByteView reader_point) {
  SL_ASSIGN_OR_RETURN(crypto::SecretBytes shared, crypto::Ecdh(mine, theirs));
  return crypto::HkdfSha256(shared.view(), "",
                            PrivateKeyWrapInfo(chain_id, reader_org, ephemeral_point, reader_point),
                            crypto::kAes256KeySize);
}

Result<v1::KeyWrap> WrapFor(const Reader& reader, const crypto::SecretBytes& dek,
                            std::string_view chain_id) {
  SL_ASSIGN_OR_RETURN(const crypto::PrivateKey ephemeral, crypto::PrivateKey::Generate());
  SL_ASSIGN_OR_RETURN(Bytes ephemeral_point, crypto::EncodePoint(ephemeral.public_key()));
  SL_ASSIGN_OR_RETURN(const Bytes reader_point, crypto::EncodePoint(reader.encryption_key));
  SL_ASSIGN_OR_RETURN(const crypto::SecretBytes kek,
                      DeriveKek(ephemeral, reader.encryption_key, chain_id, reader.org,
                                ephemeral_point, reader_point));
  SL_ASSIGN_OR_RETURN(Bytes iv, crypto::RandomBytes(crypto::kGcmIvSize));
  SL_ASSIGN_OR_RETURN(Bytes wrapped, crypto::AesGcmSeal(kek.view(), iv, "", dek.view()));
  v1::KeyWrap wrap;
  wrap.set_reader_org(reader.org);
  wrap.set_ephemeral_public_key(std::move(ephemeral_point));
  wrap.set_iv(std::move(iv));
  wrap.set_wrapped_key(std::move(wrapped));
  return wrap;
}

Result<v1::PrivateField> SealField(const PrivateValue& field, const crypto::SecretBytes& dek,
                                   std::string_view chain_id, std::string_view shipment_id,
                                   ByteView nonce, Bytes* salt_out) {
  SL_ASSIGN_OR_RETURN(Bytes salt, crypto::RandomBytes(kSaltSize));
  SL_ASSIGN_OR_RETURN(Bytes iv, crypto::RandomBytes(crypto::kGcmIvSize));
  Bytes encoded;
  encoded.reserve(4 + field.value.size() + kSaltSize);
  PutLengthPrefixed(&encoded, field.value);
  encoded.append(salt);
  const crypto::SecretBytes plaintext(std::move(encoded));
  SL_ASSIGN_OR_RETURN(
      Bytes ciphertext,
      crypto::AesGcmSeal(dek.view(), iv, PrivateFieldAad(chain_id, shipment_id, nonce, field.name),
                         plaintext.view()));
  v1::PrivateField out;
  out.set_name(field.name);
  out.set_commitment(PrivateFieldCommitment(field.name, field.value, salt));
  out.set_iv(std::move(iv));
  out.set_ciphertext(std::move(ciphertext));
  *salt_out = std::move(salt);
  return out;
}

// Decrypts one field with the data key and checks it against its commitment.
OpenedField OpenField(const v1::Event& event, const v1::PrivateField& field,
                      const crypto::SecretBytes& dek) {
  OpenedField out;
  out.name = field.name();
  auto plaintext = crypto::AesGcmOpen(
      dek.view(), field.iv(),
      PrivateFieldAad(event.chain_id(), event.shipment_id(), event.nonce(), field.name()),
      field.ciphertext());
  if (!plaintext.ok()) {
    out.status = Status::InvalidArgument("private field '" + field.name() +
                                         "' does not decrypt: " + plaintext.status().message());
    return out;
  }
  ByteReader reader(plaintext->view());
  ByteView value;
  ByteView salt;
  if (!reader.ReadLengthPrefixed(&value) || !reader.ReadBytes(kSaltSize, &salt) ||
      !reader.empty()) {
    out.status = Status::InvalidArgument("private field '" + field.name() +
                                         "' decrypts to a malformed plaintext");
    return out;
  }
  out.value = std::string(value);
  out.salt = Bytes(salt);
  if (PrivateFieldCommitment(field.name(), value, salt) != field.commitment()) {
    out.status = Status::DataLoss("FRAUD: private field '" + field.name() +
                                  "' does not match its commitment in the signed event");
  }
  return out;
}

}  // namespace

Bytes PrivateFieldCommitment(std::string_view name, std::string_view value, ByteView salt) {
  Bytes data(kCommitDomain);
  PutLengthPrefixed(&data, name);
  PutLengthPrefixed(&data, value);
  data.append(salt);
  return crypto::Sha256(data);
}

Bytes PrivateFieldAad(std::string_view chain_id, std::string_view shipment_id, ByteView nonce,
                      std::string_view name) {
  Bytes aad;
  PutLengthPrefixed(&aad, chain_id);
  PutLengthPrefixed(&aad, shipment_id);
  PutLengthPrefixed(&aad, nonce);
  PutLengthPrefixed(&aad, name);
  return aad;
}

Bytes PrivateKeyWrapInfo(std::string_view chain_id, std::string_view reader_org,
                         ByteView ephemeral_point, ByteView reader_point) {
  Bytes info(kWrapDomain);
  PutLengthPrefixed(&info, chain_id);
  PutLengthPrefixed(&info, reader_org);
  info.append(ephemeral_point);
  info.append(reader_point);
  return info;
}

Result<std::vector<Reader>> ReadersFromGenesis(const Genesis& genesis, std::string_view signer_org,
                                               const std::vector<std::string>& orgs) {
  std::vector<Reader> readers;
  std::set<std::string, std::less<>> seen;
  std::vector<std::string_view> wanted = {signer_org};
  wanted.insert(wanted.end(), orgs.begin(), orgs.end());
  for (std::string_view id : wanted) {
    if (!seen.emplace(id).second) continue;
    const Organisation* org = genesis.FindOrganisation(id);
    if (org == nullptr) {
      return Status::InvalidArgument("reader '" + std::string(id) +
                                     "' is not an organisation of this network");
    }
    if (!org->encryption_key.has_value()) {
      return Status::FailedPrecondition("organisation '" + org->id +
                                        "' has no encryption_key in the genesis");
    }
    readers.push_back(Reader{org->id, *org->encryption_key});
  }
  return readers;
}

Result<SealedFields> Seal(const std::vector<PrivateValue>& fields,
                          const std::vector<Reader>& readers, std::string_view chain_id,
                          std::string_view shipment_id, ByteView nonce) {
  if (fields.empty()) return Status::InvalidArgument("no private fields to seal");
  if (readers.empty()) return Status::InvalidArgument("private fields need at least one reader");
  std::set<std::string_view> names;
  for (const PrivateValue& f : fields) {
    if (f.name.empty()) return Status::InvalidArgument("a private field needs a name");
    if (!names.insert(f.name).second) {
      return Status::InvalidArgument("private field '" + f.name + "' is given twice");
    }
  }
  std::set<std::string_view> orgs;
  for (const Reader& r : readers) {
    if (!orgs.insert(r.org).second) {
      return Status::InvalidArgument("reader '" + r.org + "' is named twice");
    }
  }
  SL_ASSIGN_OR_RETURN(const crypto::SecretBytes dek, crypto::RandomKey());
  SealedFields out;
  for (const PrivateValue& f : fields) {
    Bytes salt;
    SL_ASSIGN_OR_RETURN(*out.envelope.add_fields(),
                        SealField(f, dek, chain_id, shipment_id, nonce, &salt));
    out.salts.push_back(std::move(salt));
  }
  for (const Reader& r : readers) {
    SL_ASSIGN_OR_RETURN(*out.envelope.add_readers(), WrapFor(r, dek, chain_id));
  }
  return out;
}

bool IsReader(const v1::Event& event, std::string_view org) {
  for (const v1::KeyWrap& w : event.private_envelope().readers()) {
    if (w.reader_org() == org) return true;
  }
  return false;
}

Result<std::vector<OpenedField>> Open(const v1::Event& event, std::string_view reader_org,
                                      const crypto::PrivateKey& key) {
  const v1::KeyWrap* wrap = nullptr;
  for (const v1::KeyWrap& w : event.private_envelope().readers()) {
    if (w.reader_org() == reader_org) wrap = &w;
  }
  if (wrap == nullptr) {
    return Status::PermissionDenied("organisation '" + std::string(reader_org) +
                                    "' is not a reader of this event's private fields");
  }
  const auto unwrap_error = [&](const Status& s) {
    return Status::InvalidArgument("cannot unwrap the data key for '" + std::string(reader_org) +
                                   "' (wrong encryption key, or a corrupt wrap): " + s.message());
  };
  auto ephemeral = crypto::DecodePoint(wrap->ephemeral_public_key());
  if (!ephemeral.ok()) return unwrap_error(ephemeral.status());
  SL_ASSIGN_OR_RETURN(const Bytes reader_point, crypto::EncodePoint(key.public_key()));
  auto kek = DeriveKek(key, *ephemeral, event.chain_id(), reader_org, wrap->ephemeral_public_key(),
                       reader_point);
  if (!kek.ok()) return unwrap_error(kek.status());
  auto dek = crypto::AesGcmOpen(kek->view(), wrap->iv(), "", wrap->wrapped_key());
  if (!dek.ok()) return unwrap_error(dek.status());
  if (dek->size() != crypto::kAes256KeySize) {
    return unwrap_error(Status::InvalidArgument("the data key is not 32 bytes"));
  }
  std::vector<OpenedField> out;
  for (const v1::PrivateField& field : event.private_envelope().fields()) {
    out.push_back(OpenField(event, field, *dek));
  }
  return out;
}

bool IsFraud(const Status& status) { return status.code() == Code::kDataLoss; }

Status VerifyDisclosedField(const v1::Event& event, std::string_view name, std::string_view value,
                            ByteView salt) {
  for (const v1::PrivateField& field : event.private_envelope().fields()) {
    if (field.name() != name) continue;
    if (salt.size() != kSaltSize) {
      return Status::InvalidArgument("a disclosed salt must be 32 bytes, got " +
                                     std::to_string(salt.size()));
    }
    if (PrivateFieldCommitment(name, value, salt) != field.commitment()) {
      return Status::InvalidArgument("disclosed value of '" + std::string(name) +
                                     "' does not match the commitment in the signed event");
    }
    return Status::Ok();
  }
  return Status::NotFound("the event has no private field '" + std::string(name) + "'");
}

}  // namespace shipledger::model
