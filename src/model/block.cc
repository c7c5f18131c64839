#include "model/block.h"

#include <set>

#include "crypto/merkle.h"
#include "crypto/sha256.h"

namespace shipledger::model {

Bytes ProposalDigest(const v1::Proposal& p) {
  Bytes enc;
  PutLengthPrefixed(&enc, p.chain_id());
  PutU64BE(&enc, p.height());
  PutLengthPrefixed(&enc, p.events_root());
  PutU32BE(&enc, p.proposer());
  PutU64BE(&enc, static_cast<uint64_t>(p.timestamp_ms()));
  PutU32BE(&enc, p.event_count());
  return crypto::Sha256({kProposalDomain, enc});
}

Bytes BlockHash(ByteView proposal_digest, ByteView prev_block_hash) {
  return crypto::Sha256({kBlockDomain, proposal_digest, prev_block_hash});
}

Bytes VoteMessage(std::string_view chain_id, VoteType type, uint64_t view, uint64_t height,
                  ByteView digest) {
  Bytes out(kVoteDomain);
  PutLengthPrefixed(&out, chain_id);
  out.push_back(static_cast<char>(type));
  PutU64BE(&out, view);
  PutU64BE(&out, height);
  PutLengthPrefixed(&out, digest);
  return out;
}

Bytes EventsRoot(const std::vector<EventPtr>& events) {
  std::vector<Bytes> leaves;
  leaves.reserve(events.size());
  for (const auto& e : events) leaves.push_back(e->leaf_hash);
  return crypto::MerkleRoot(leaves);
}

Bytes EventsRoot(const google::protobuf::RepeatedPtrField<v1::SignedEvent>& events) {
  std::vector<Bytes> leaves;
  leaves.reserve(static_cast<size_t>(events.size()));
  for (const auto& e : events) leaves.push_back(EventLeafHash(e));
  return crypto::MerkleRoot(leaves);
}

Bytes ReceiptLeafHash(const v1::Receipt& r, uint32_t rules) {
  const bool full = rules >= kFirstRulesWithFullReceiptLeaf;
  Bytes enc(full ? kReceiptDomainV3 : kReceiptDomain);
  PutLengthPrefixed(&enc, r.event_id());
  PutU64BE(&enc, r.height());
  PutU32BE(&enc, r.index());
  PutU32BE(&enc, static_cast<uint32_t>(r.code()));
  PutLengthPrefixed(&enc, r.reason());
  if (!full) return crypto::MerkleLeafHash(enc);
  PutU32BE(&enc, static_cast<uint32_t>(r.outputs_size()));
  for (const v1::ContractOutput& o : r.outputs()) {
    PutU32BE(&enc, static_cast<uint32_t>(o.kind()));
    PutLengthPrefixed(&enc, o.shipment_id());
    PutU32BE(&enc, o.leg());
    enc.push_back(o.reverse() ? '\x01' : '\x00');
    PutLengthPrefixed(&enc, o.carrier());
    PutLengthPrefixed(&enc, o.offer_id());
    PutU64BE(&enc, static_cast<uint64_t>(o.price_minor()));  // two's complement
    PutLengthPrefixed(&enc, o.reason());
    PutU64BE(&enc, static_cast<uint64_t>(o.out_of_range_ms()));
    PutLengthPrefixed(&enc, o.event_id());
  }
  return crypto::MerkleLeafHash(enc);
}

Bytes ReceiptsRoot(const std::vector<v1::Receipt>& receipts, uint32_t rules) {
  std::vector<Bytes> leaves;
  leaves.reserve(receipts.size());
  for (const auto& r : receipts) leaves.push_back(ReceiptLeafHash(r, rules));
  return crypto::MerkleRoot(leaves);
}

Bytes ResultsDigest(ByteView prev_results, ByteView receipts_root, ByteView state_writes_digest) {
  return crypto::Sha256({prev_results, receipts_root, state_writes_digest});
}

Status VerifyCommitCertificate(const Genesis& genesis, const v1::Proposal& proposal,
                               const v1::CommitCertificate& certificate) {
  const Bytes digest = ProposalDigest(proposal);
  const Bytes message = VoteMessage(genesis.chain_id, VoteType::kCommit, certificate.view(),
                                    proposal.height(), digest);
  std::set<uint32_t> seen;
  for (int i = 0; i < certificate.votes_size(); ++i) {
    const auto& vote = certificate.votes(i);
    const Replica* replica = genesis.FindReplica(vote.replica());
    if (replica == nullptr) {
      return Status::InvalidArgument("commit certificate vote " + std::to_string(i) +
                                     " is by unknown replica " + std::to_string(vote.replica()));
    }
    if (!seen.insert(vote.replica()).second) {
      return Status::InvalidArgument("commit certificate has two votes by replica " +
                                     std::to_string(vote.replica()));
    }
    auto key = replica->node_cert.public_key();
    if (!key.ok()) return key.status();
    Status s = key->Verify(message, vote.signature());
    if (!s.ok()) {
      return Status::InvalidArgument("commit certificate vote of replica " +
                                     std::to_string(vote.replica()) + ": " + s.message());
    }
  }
  if (seen.size() < genesis.quorum()) {
    return Status::InvalidArgument("commit certificate has " + std::to_string(seen.size()) +
                                   " votes; the quorum is " + std::to_string(genesis.quorum()));
  }
  return Status::Ok();
}

}  // namespace shipledger::model
