// The format test vectors (DESIGN §9 "formats", docs/formats.md): tests/data/format_vectors.txt
// gives inputs of every function that builds signed or hashed bytes, and their outputs; this test
// recomputes each output with the real function. It also holds the code, the vector file and the
// document to one set of domain tags.
//
// With SHIPLEDGER_WRITE_FORMAT_VECTORS=1 the test prints the whole vector file with every output
// computed, between "----- BEGIN format_vectors.txt -----" and "----- END ..." lines, so that an
// engineer fills new vectors (written TO_BE_FILLED) from one build; the file's header says how.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/aead.h"
#include "crypto/ecdh.h"
#include "crypto/ecdsa.h"
#include "crypto/merkle.h"
#include "crypto/sha256.h"
#include "format_vectors_file.h"
#include "interop/dcsa_export.h"
#include "interop/epcis_import.h"
#include "model/block.h"
#include "model/event.h"
#include "model/execution.h"
#include "model/private_fields.h"
#include "model/tracking_code.h"
#include "model/votes.h"

namespace shipledger::model {
namespace {

using testutil::Inputs;
using testutil::ReadFile;
using testutil::Vector;
using testutil::VectorFile;

constexpr std::string_view kPlaceholder = "TO_BE_FILLED";
constexpr std::string_view kBegin = "----- BEGIN format_vectors.txt -----";
constexpr std::string_view kEnd = "----- END format_vectors.txt -----";

VectorFile LoadVectors() { return testutil::LoadVectorFile(SHIPLEDGER_FORMAT_VECTORS); }

bool WriteMode() {
  const char* v = std::getenv("SHIPLEDGER_WRITE_FORMAT_VECTORS");
  return v != nullptr && std::string_view(v) == "1";
}

// Every domain tag of the code, by the name the vector file's `domain` lines give it.
const std::vector<std::pair<std::string, std::string_view>>& CodeDomainTags() {
  static const std::vector<std::pair<std::string, std::string_view>> tags = {
      {"event_sign", kEventSignDomain},
      {"event_id", kEventIdDomain},
      {"cosign", kCosignDomain},
      {"proposal", kProposalDomain},
      {"block", kBlockDomain},
      {"vote", kVoteDomain},
      {"receipt", kReceiptDomain},
      {"receipt_v3", kReceiptDomainV3},
      {"state", kStateDomain},
      {"records", model::kRecordsDomain},
      {"genesis", kGenesisDomain},
      {"commit", kCommitDomain},
      {"wrap", kWrapDomain},
      {"track", kTrackDomain},
      {"dcsa_event_id", interop::kDcsaEventIdDomain},
      {"import_nonce", interop::kImportNonceDomain},
  };
  return tags;
}

// Whether `tag` has the shape of a domain tag: "shipledger/" [SEGMENT "/"] "v" DIGITS, with
// SEGMENT of lower-case letters, digits and '-'. (Scanned by hand: GCC 12's sanitizer builds
// warn inside std::regex, and -Werror makes that a failure.)
bool IsDomainTag(std::string_view tag) {
  constexpr std::string_view kPrefix = "shipledger/";
  if (tag.substr(0, kPrefix.size()) != kPrefix) return false;
  tag.remove_prefix(kPrefix.size());
  const auto is_version = [](std::string_view v) {
    return v.size() >= 2 && v[0] == 'v' &&
           v.find_first_not_of("0123456789", 1) == std::string_view::npos;
  };
  const size_t slash = tag.find('/');
  if (slash == std::string_view::npos) return is_version(tag);
  const std::string_view segment = tag.substr(0, slash);
  return !segment.empty() &&
         segment.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") ==
             std::string_view::npos &&
         is_version(tag.substr(slash + 1));
}

// Every "shipledger/…/vN" string literal under src/.
std::set<std::string> DomainTagsInSources() {
  std::set<std::string> tags;
  const std::filesystem::path src = std::filesystem::path(SHIPLEDGER_SOURCE_DIR) / "src";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(src)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".h" && ext != ".cc")) continue;
    const std::string text = ReadFile(entry.path().string());
    for (size_t at = text.find("\"shipledger/"); at != std::string::npos;
         at = text.find("\"shipledger/", at + 1)) {
      const size_t end = text.find('"', at + 1);
      if (end == std::string::npos) break;
      const std::string_view literal(text.data() + at + 1, end - at - 1);
      if (IsDomainTag(literal)) tags.insert(std::string(literal));
    }
  }
  return tags;
}

// --- Events, blocks, votes, Merkle trees, receipts --------------------------------------

// The event bytes of a vector must be the one encoding protobuf gives their fields, so that the
// field list in the file's comment describes them.
Bytes EventInput(const Inputs& in) {
  const Bytes bytes = in.B("event");
  v1::Event event;
  if (!event.ParseFromString(bytes) || event.SerializeAsString() != bytes) {
    in.Fail("event is not the protobuf encoding of a v1::Event that re-encodes to itself");
  }
  return bytes;
}

v1::SignedEvent Envelope(const Inputs& in) {
  v1::SignedEvent se;
  se.set_event(EventInput(in));
  se.set_signer_cert(in.B("signer_cert"));
  se.set_signature(in.B("signature"));
  const std::vector<Bytes> certs = in.Bs("cosigner_cert");
  const std::vector<Bytes> signatures = in.Bs("cosignature");
  in.SameSize({certs.size(), signatures.size()});
  for (size_t i = 0; i < certs.size() && i < signatures.size(); ++i) {
    v1::CoSignature* c = se.add_cosignatures();
    c->set_signer_cert(certs[i]);
    c->set_signature(signatures[i]);
  }
  return se;
}

v1::Proposal ProposalOf(const Inputs& in) {
  v1::Proposal p;
  p.set_chain_id(in.B("chain_id"));
  p.set_height(in.U("height"));
  p.set_events_root(in.B("events_root"));
  p.set_proposer(in.U32("proposer"));
  p.set_timestamp_ms(in.I("timestamp_ms"));
  p.set_event_count(in.U32("event_count"));
  return p;
}

std::string ViewChangeMessageOf(const Inputs& in) {
  const Bytes chain_id = in.B("chain_id");
  v1::ViewChange vc;
  vc.set_new_view(in.U("new_view"));
  vc.mutable_stable()->set_height(in.U("stable_height"));
  vc.mutable_stable()->set_block_hash(in.B("stable_block_hash"));
  vc.mutable_stable()->set_results(in.B("stable_results"));
  // Prepared certificates, index by index: (view, proposal fields).
  const std::vector<uint64_t> views = in.Us("p_view");
  const std::vector<Bytes> chains = in.Bs("p_chain_id");
  const std::vector<uint64_t> heights = in.Us("p_height");
  const std::vector<Bytes> roots = in.Bs("p_events_root");
  const std::vector<uint64_t> proposers = in.Us("p_proposer");
  const std::vector<int64_t> times = in.Is("p_timestamp_ms");
  const std::vector<uint64_t> counts = in.Us("p_event_count");
  const size_t n = in.SameSize({views.size(), chains.size(), heights.size(), roots.size(),
                                proposers.size(), times.size(), counts.size()});
  if (!in.error().empty()) return {};
  for (size_t i = 0; i < n; ++i) {
    v1::PreparedCertificate* pc = vc.add_prepared();
    pc->set_view(views[i]);
    v1::Proposal* p = pc->mutable_proposal();
    p->set_chain_id(chains[i]);
    p->set_height(heights[i]);
    p->set_events_root(roots[i]);
    p->set_proposer(static_cast<uint32_t>(proposers[i]));
    p->set_timestamp_ms(times[i]);
    p->set_event_count(static_cast<uint32_t>(counts[i]));
  }
  return ToHex(ViewChangeMessage(chain_id, vc));
}

std::string MerkleRootOf(const Inputs& in) {
  std::vector<Bytes> leaves;
  for (const Bytes& data : in.Bs("data")) leaves.push_back(crypto::MerkleLeafHash(data));
  return ToHex(crypto::MerkleRoot(leaves));
}

v1::Receipt ReceiptOf(const Inputs& in) {
  v1::Receipt r;
  r.set_event_id(in.B("event_id"));
  r.set_height(in.U("height"));
  r.set_index(in.U32("index"));
  r.set_code(static_cast<v1::ResultCode>(in.U32("code")));
  r.set_reason(in.B("reason"));
  // Contract outputs, index by index: every ContractOutput field, each key given once per
  // output (output_reverse 0 or 1; output_price and output_out_of_range_ms may be negative).
  const std::vector<uint64_t> kinds = in.Us("output_kind");
  const std::vector<Bytes> shipments = in.Bs("output_shipment_id");
  const std::vector<uint64_t> legs = in.Us("output_leg");
  const std::vector<uint64_t> reverses = in.Us("output_reverse");
  const std::vector<Bytes> carriers = in.Bs("output_carrier");
  const std::vector<Bytes> offers = in.Bs("output_offer_id");
  const std::vector<int64_t> prices = in.Is("output_price");
  const std::vector<Bytes> reasons = in.Bs("output_reason");
  const std::vector<int64_t> out_of_range = in.Is("output_out_of_range_ms");
  const std::vector<Bytes> event_ids = in.Bs("output_event_id");
  const size_t n = in.SameSize({kinds.size(), shipments.size(), legs.size(), reverses.size(),
                                carriers.size(), offers.size(), prices.size(), reasons.size(),
                                out_of_range.size(), event_ids.size()});
  if (!in.error().empty()) return r;
  for (size_t i = 0; i < n; ++i) {
    v1::ContractOutput* o = r.add_outputs();
    o->set_kind(static_cast<v1::ContractOutput::Kind>(kinds[i]));
    o->set_shipment_id(shipments[i]);
    o->set_leg(static_cast<uint32_t>(legs[i]));
    o->set_reverse(reverses[i] != 0);
    o->set_carrier(carriers[i]);
    o->set_offer_id(offers[i]);
    o->set_price_minor(prices[i]);
    o->set_reason(reasons[i]);
    o->set_out_of_range_ms(out_of_range[i]);
    o->set_event_id(event_ids[i]);
  }
  return r;
}

std::string ReceiptsRootOf(const Inputs& in) {
  const std::vector<Bytes> ids = in.Bs("event_id");
  const std::vector<uint64_t> heights = in.Us("height");
  const std::vector<uint64_t> indexes = in.Us("index");
  const std::vector<uint64_t> codes = in.Us("code");
  const std::vector<Bytes> reasons = in.Bs("reason");
  const size_t n =
      in.SameSize({ids.size(), heights.size(), indexes.size(), codes.size(), reasons.size()});
  if (!in.error().empty()) return {};
  std::vector<v1::Receipt> receipts(n);
  for (size_t i = 0; i < n; ++i) {
    receipts[i].set_event_id(ids[i]);
    receipts[i].set_height(heights[i]);
    receipts[i].set_index(static_cast<uint32_t>(indexes[i]));
    receipts[i].set_code(static_cast<v1::ResultCode>(codes[i]));
    receipts[i].set_reason(reasons[i]);
  }
  return ToHex(ReceiptsRoot(receipts, in.U32("rules")));
}

std::string StateWritesDigestOf(const Inputs& in) {
  // Shipments, index by index (a few of ShipmentState's fields), then records put and deleted.
  const std::vector<Bytes> ids = in.Bs("shipment_id");
  const std::vector<uint64_t> statuses = in.Us("status");
  const std::vector<Bytes> booked_by = in.Bs("booked_by");
  const std::vector<Bytes> custodians = in.Bs("custodian");
  const std::vector<uint64_t> booked_heights = in.Us("booked_height");
  const size_t n = in.SameSize(
      {ids.size(), statuses.size(), booked_by.size(), custodians.size(), booked_heights.size()});
  const std::vector<Bytes> keys = in.Bs("record_key");
  const std::vector<Bytes> values = in.Bs("record_value");
  const std::vector<Bytes> deleted = in.Bs("deleted_key");
  const size_t puts = in.SameSize({keys.size(), values.size()});
  if (!in.error().empty()) return {};
  std::map<std::string, v1::ShipmentState> writes;
  for (size_t i = 0; i < n; ++i) {
    v1::ShipmentState& s = writes[ids[i]];
    s.set_shipment_id(ids[i]);
    s.set_status(static_cast<v1::ShipmentStatus>(statuses[i]));
    s.set_booked_by(booked_by[i]);
    s.set_custodian(custodians[i]);
    s.set_booked_height(booked_heights[i]);
  }
  std::map<std::string, std::optional<Bytes>> records;
  for (size_t i = 0; i < puts; ++i) records[keys[i]] = values[i];
  for (const Bytes& key : deleted) records[key] = std::nullopt;
  return ToHex(model::StateWritesDigest(writes, records));
}

// --- Private fields --------------------------------------------------------------------------

// NIST CAVP "KAS ECC CDH primitive" P-256, COUNT = 0 (as in tests/unit/crypto/ecdh_test.cc):
// dIUT is the key of the reader organisation of the key-wrap vectors, QCAVS their ephemeral
// point. A field's ciphertext is opened through a wrap of its data key for this reader.
constexpr char kReaderKeyPem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgfX3F9x6yndr4DWIU\n"
    "Yy7q4D2QWK8fttIu2AuttivBpTShRANCAATq0hhZARnoh2spFG/4nKYXcMTtu/l9\n"
    "OM44XtKB2KayMCivYSgf014vpwAlI6zIWkKcsG7mZIMlOJ9Z7fzhQFFB\n"
    "-----END PRIVATE KEY-----\n";
constexpr char kCavsPointHex[] =
    "04700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287"
    "db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac";
constexpr std::string_view kFieldReader = "importer";
constexpr char kFieldWrapIvHex[] = "303132333435363738393a3b";

const Result<crypto::PrivateKey>& ReaderKey() {
  static const Result<crypto::PrivateKey> key = crypto::PrivateKey::FromPem(kReaderKeyPem);
  return key;
}

// The vector's reader_point must be the reader key's own: it is what the reader hashes.
void CheckReaderPoint(const Inputs& in) {
  const Bytes reader_point = in.B("reader_point");
  const Result<crypto::PrivateKey>& key = ReaderKey();
  if (!key.ok()) return;  // reported where the key is used
  const Result<Bytes> point = crypto::EncodePoint(key->public_key());
  if (!point.ok() || *point != reader_point) in.Fail("reader_point is not the reader key's point");
}

// The key-encryption key as model::Open derives it on the reader's side: HKDF-SHA256 of
// ECDH(reader key, ephemeral point), no salt, info PrivateKeyWrapInfo, 32 bytes. nullopt (with
// a failure noted) when a step fails; a failure too when `shared_secret` is given and ECDH
// gives something else.
std::optional<Bytes> ReaderKek(const Inputs& in, ByteView chain_id, ByteView reader_org,
                               ByteView ephemeral_point, std::optional<Bytes> shared_secret) {
  const Result<crypto::PrivateKey>& key = ReaderKey();
  if (!key.ok()) {
    in.Fail("test reader key: " + key.status().message());
    return std::nullopt;
  }
  const Result<Bytes> reader_point = crypto::EncodePoint(key->public_key());
  const Result<crypto::PublicKey> ephemeral = crypto::DecodePoint(ephemeral_point);
  if (!reader_point.ok() || !ephemeral.ok()) {
    in.Fail("ephemeral_point is not a P-256 point");
    return std::nullopt;
  }
  const Result<crypto::SecretBytes> shared = crypto::Ecdh(*key, *ephemeral);
  if (!shared.ok()) {
    in.Fail("ECDH: " + shared.status().message());
    return std::nullopt;
  }
  if (shared_secret.has_value() && Bytes(shared->view()) != *shared_secret) {
    in.Fail("ECDH(reader key, ephemeral_point) is " + ToHex(shared->view()) +
            ", not shared_secret");
  }
  const Result<crypto::SecretBytes> kek = crypto::HkdfSha256(
      shared->view(), "", PrivateKeyWrapInfo(chain_id, reader_org, ephemeral_point, *reader_point),
      crypto::kAes256KeySize);
  if (!kek.ok()) {
    in.Fail("HKDF: " + kek.status().message());
    return std::nullopt;
  }
  return Bytes(kek->view());
}

// A KeyWrap of `dek` for the test reader, made as model::Seal makes one (the ephemeral point
// and IV given instead of random).
std::optional<v1::KeyWrap> WrapForReader(const Inputs& in, ByteView chain_id, ByteView reader_org,
                                         ByteView ephemeral_point, ByteView iv, ByteView dek,
                                         std::optional<Bytes> shared_secret) {
  const std::optional<Bytes> kek =
      ReaderKek(in, chain_id, reader_org, ephemeral_point, std::move(shared_secret));
  if (!kek.has_value()) return std::nullopt;
  const Result<Bytes> wrapped = crypto::AesGcmSeal(*kek, iv, "", dek);
  if (!wrapped.ok()) {
    in.Fail("AES-GCM: " + wrapped.status().message());
    return std::nullopt;
  }
  v1::KeyWrap wrap;
  wrap.set_reader_org(Bytes(reader_org));
  wrap.set_ephemeral_public_key(Bytes(ephemeral_point));
  wrap.set_iv(Bytes(iv));
  wrap.set_wrapped_key(*wrapped);
  return wrap;
}

std::string KeyWrapKekOf(const Inputs& in) {
  CheckReaderPoint(in);
  const std::optional<Bytes> kek = ReaderKek(in, in.B("chain_id"), in.B("reader_org"),
                                             in.B("ephemeral_point"), in.B("shared_secret"));
  return kek.has_value() ? ToHex(*kek) : std::string();
}

std::string KeyWrapOf(const Inputs& in) {
  CheckReaderPoint(in);
  const Bytes chain_id = in.B("chain_id");
  const Bytes reader_org = in.B("reader_org");
  const std::optional<v1::KeyWrap> wrap =
      WrapForReader(in, chain_id, reader_org, in.B("ephemeral_point"), in.B("iv"), in.B("dek"),
                    in.B("shared_secret"));
  if (!wrap.has_value()) return {};
  // model::Open must unwrap it: then the composition above is the one the code uses.
  v1::Event event;
  event.set_chain_id(chain_id);
  *event.mutable_private_envelope()->add_readers() = *wrap;
  const Result<std::vector<OpenedField>> opened = Open(event, reader_org, *ReaderKey());
  if (!opened.ok()) in.Fail("model::Open does not unwrap it: " + opened.status().message());
  return ToHex(wrap->wrapped_key());
}

std::string FieldCiphertextOf(const Inputs& in) {
  const Bytes chain_id = in.B("chain_id");
  const Bytes shipment_id = in.B("shipment_id");
  const Bytes nonce = in.B("nonce");
  const Bytes name = in.B("name");
  const Bytes value = in.B("value");
  const Bytes salt = in.B("salt");
  const Bytes dek = in.B("dek");
  const Bytes iv = in.B("iv");
  Bytes plaintext;
  PutLengthPrefixed(&plaintext, value);
  plaintext.append(salt);
  const Result<Bytes> sealed =
      crypto::AesGcmSeal(dek, iv, PrivateFieldAad(chain_id, shipment_id, nonce, name), plaintext);
  if (!sealed.ok()) {
    in.Fail("AES-GCM: " + sealed.status().message());
    return {};
  }
  // model::Open must decrypt it to `value` under its commitment: then the plaintext and AAD
  // above are the ones the code uses. The data key reaches the test reader in a wrap.
  v1::Event event;
  event.set_chain_id(chain_id);
  event.set_shipment_id(shipment_id);
  event.set_nonce(nonce);
  v1::PrivateField* field = event.mutable_private_envelope()->add_fields();
  field->set_name(name);
  field->set_commitment(PrivateFieldCommitment(name, value, salt));
  field->set_iv(iv);
  field->set_ciphertext(*sealed);
  const std::optional<v1::KeyWrap> wrap =
      WrapForReader(in, chain_id, kFieldReader, FromHex(kCavsPointHex).value_or(Bytes()),
                    FromHex(kFieldWrapIvHex).value_or(Bytes()), dek, std::nullopt);
  if (!wrap.has_value()) return {};
  *event.mutable_private_envelope()->add_readers() = *wrap;
  const Result<std::vector<OpenedField>> opened = Open(event, kFieldReader, *ReaderKey());
  if (!opened.ok() || opened->size() != 1 || !(*opened)[0].status.ok() ||
      (*opened)[0].value != value) {
    in.Fail("model::Open does not open it to its value under its commitment");
  }
  return ToHex(*sealed);
}

// --- Signatures --------------------------------------------------------------------------------

// What PublicKey::Verify says of a signature's encoding, before the ECDSA check decides.
std::string SignatureEncodingOf(const Inputs& in) {
  static const Result<crypto::PrivateKey> key = crypto::PrivateKey::Generate();
  if (!key.ok()) {
    in.Fail("key generation: " + key.status().message());
    return {};
  }
  const Status s = key->public_key().Verify("shipledger format vectors", in.B("signature"));
  const std::string& m = s.message();
  if (m.find("high S") != std::string::npos) return "high_s";
  if (m.find("malformed signature DER") != std::string::npos) return "malformed";
  if (m.find("does not match") != std::string::npos) return "encoding_ok";
  in.Fail("unexpected verification result: " + (s.ok() ? std::string("OK") : s.ToString()));
  return {};
}

// --- One function per kind ---------------------------------------------------------------

using Compute = std::string (*)(const Inputs&);

const std::map<std::string, Compute>& Kinds() {
  static const std::map<std::string, Compute> kinds = {
      {"event_signing_message",
       [](const Inputs& in) { return ToHex(EventSigningMessage(EventInput(in))); }},
      {"event_signing_digest",
       [](const Inputs& in) { return ToHex(crypto::Sha256(EventSigningMessage(EventInput(in)))); }},
      {"event_id", [](const Inputs& in) { return ToHex(EventId(EventInput(in))); }},
      {"cosign_message", [](const Inputs& in) { return ToHex(CosignMessage(in.B("event_id"))); }},
      {"envelope_encoding", [](const Inputs& in) { return ToHex(EnvelopeEncoding(Envelope(in))); }},
      {"event_leaf", [](const Inputs& in) { return ToHex(EventLeafHash(Envelope(in))); }},
      {"proposal_digest", [](const Inputs& in) { return ToHex(ProposalDigest(ProposalOf(in))); }},
      {"block_hash",
       [](const Inputs& in) {
         return ToHex(BlockHash(in.B("proposal_digest"), in.B("prev_block_hash")));
       }},
      {"vote_message",
       [](const Inputs& in) {
         const uint32_t type = in.U32("type");
         if (type < 1 || type > 3) in.Fail("vote_message type must be 1, 2 or 3");
         return ToHex(VoteMessage(in.B("chain_id"), static_cast<VoteType>(type), in.U("view"),
                                  in.U("height"), in.B("digest")));
       }},
      {"checkpoint_message",
       [](const Inputs& in) {
         return ToHex(CheckpointMessage(in.B("chain_id"), in.U("height"), in.B("block_hash"),
                                        in.B("results")));
       }},
      {"view_change_message", &ViewChangeMessageOf},
      {"merkle_leaf", [](const Inputs& in) { return ToHex(crypto::MerkleLeafHash(in.B("data"))); }},
      {"merkle_node",
       [](const Inputs& in) { return ToHex(crypto::MerkleNodeHash(in.B("left"), in.B("right"))); }},
      {"merkle_root", &MerkleRootOf},
      {"receipt_leaf",
       [](const Inputs& in) { return ToHex(ReceiptLeafHash(ReceiptOf(in), in.U32("rules"))); }},
      {"receipts_root", &ReceiptsRootOf},
      {"state_writes_digest", &StateWritesDigestOf},
      {"results_digest",
       [](const Inputs& in) {
         return ToHex(ResultsDigest(in.B("prev_results"), in.B("receipts_root"),
                                    in.B("state_writes_digest")));
       }},
      {"tracking_hash",
       [](const Inputs& in) { return ToHex(TrackingHash(CanonicalTrackingCode(in.B("code")))); }},
      {"commitment",
       [](const Inputs& in) {
         return ToHex(PrivateFieldCommitment(in.B("name"), in.B("value"), in.B("salt")));
       }},
      {"private_field_aad",
       [](const Inputs& in) {
         return ToHex(
             PrivateFieldAad(in.B("chain_id"), in.B("shipment_id"), in.B("nonce"), in.B("name")));
       }},
      {"private_field_ciphertext", &FieldCiphertextOf},
      {"key_wrap_info",
       [](const Inputs& in) {
         return ToHex(PrivateKeyWrapInfo(in.B("chain_id"), in.B("reader_org"),
                                         in.B("ephemeral_point"), in.B("reader_point")));
       }},
      {"key_wrap_kek", &KeyWrapKekOf},
      {"key_wrap", &KeyWrapOf},
      {"signature_encoding", &SignatureEncodingOf},
  };
  return kinds;
}

// --- Tests -----------------------------------------------------------------------------------

TEST(FormatVectors, EveryOutputIsWhatTheCodeComputes) {
  const VectorFile file = LoadVectors();
  ASSERT_FALSE(file.vectors.empty());
  std::map<int, std::string> computed;  // by line number
  int unfilled = 0;
  for (const Vector& v : file.vectors) {
    const std::string where = "line " + std::to_string(v.line) + " (" + v.kind + " " + v.name + ")";
    const auto kind = Kinds().find(v.kind);
    if (kind == Kinds().end()) {
      ADD_FAILURE() << where << ": unknown kind";
      continue;
    }
    const std::string out = kind->second(v.inputs);
    for (const std::string& key : v.inputs.Unused()) {
      ADD_FAILURE() << where << ": '" << key << "' is not an input of " << v.kind;
    }
    if (!v.inputs.error().empty()) {
      ADD_FAILURE() << where << ": " << v.inputs.error();
      continue;
    }
    computed[v.line] = out;
    if (v.expected == kPlaceholder) {
      ++unfilled;
      continue;
    }
    // In the write mode too: an output already written must not change.
    EXPECT_EQ(out, v.expected) << where;
  }
  if (WriteMode()) {
    std::cout << kBegin << "\n";
    for (size_t i = 0; i < file.lines.size(); ++i) {
      const std::string& line = file.lines[i];
      const auto it = computed.find(static_cast<int>(i + 1));
      if (it == computed.end()) {
        std::cout << line << "\n";
      } else {
        std::cout << line.substr(0, line.rfind("=>")) << "=> " << it->second << "\n";
      }
    }
    std::cout << kEnd << std::endl;
    return;
  }
  EXPECT_EQ(unfilled, 0) << unfilled << " vectors are still " << kPlaceholder
                         << ": fill them as the header of " << SHIPLEDGER_FORMAT_VECTORS << " says";
}

TEST(FormatVectors, FileCoversEveryKindAndTheMerkleSizes) {
  const VectorFile file = LoadVectors();
  std::set<std::string> kinds;
  std::set<size_t> merkle_sizes;
  for (const Vector& v : file.vectors) {
    kinds.insert(v.kind);
    if (v.kind == "merkle_root") merkle_sizes.insert(v.inputs.Bs("data").size());
  }
  for (const auto& entry : Kinds()) EXPECT_EQ(kinds.count(entry.first), 1u) << entry.first;
  for (size_t n : {0u, 1u, 2u, 3u, 5u}) {
    EXPECT_EQ(merkle_sizes.count(n), 1u) << "no merkle_root of " << n << " leaves";
  }
}

TEST(FormatVectors, DomainLinesAreExactlyTheCodesTags) {
  const VectorFile file = LoadVectors();
  std::map<std::string, std::string> declared;
  for (const testutil::DomainLine& d : file.domains) {
    EXPECT_TRUE(declared.emplace(d.name, d.tag).second) << "line " << d.line << ": " << d.name;
  }
  for (const auto& [name, tag] : CodeDomainTags()) {
    const auto it = declared.find(name);
    if (it == declared.end()) {
      ADD_FAILURE() << "no line: domain " << name << " \"" << tag << "\"";
      continue;
    }
    EXPECT_EQ(it->second, tag) << name;
    declared.erase(it);
  }
  for (const auto& entry : declared) {
    ADD_FAILURE() << "domain " << entry.first << " is not the code's";
  }
}

TEST(FormatVectors, EveryDomainTagInTheSourcesIsKnownHere) {
  std::set<std::string_view> known;
  for (const auto& entry : CodeDomainTags()) known.insert(entry.second);
  const std::set<std::string> found = DomainTagsInSources();
  EXPECT_GE(found.size(), known.size());
  for (const std::string& tag : found) {
    EXPECT_EQ(known.count(tag), 1u) << "\"" << tag << "\" is in src/ but not in CodeDomainTags(), "
                                    << "the vector file's domain lines and docs/formats.md";
  }
}

TEST(FormatVectors, DocumentNamesEveryDomainTag) {
  const std::string doc = ReadFile(SHIPLEDGER_FORMATS_DOC);
  std::set<std::string> tags = DomainTagsInSources();
  for (const auto& entry : CodeDomainTags()) tags.insert(std::string(entry.second));
  for (const std::string& tag : tags) {
    EXPECT_NE(doc.find("\"" + tag + "\""), std::string::npos)
        << SHIPLEDGER_FORMATS_DOC << " does not name \"" << tag << "\"";
  }
}

}  // namespace
}  // namespace shipledger::model
