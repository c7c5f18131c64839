#include "model/votes.h"

#include <set>
#include <string>

#include "model/digest.h"

namespace shipledger::model {

Bytes CheckpointMessage(std::string_view chain_id, uint64_t height, ByteView block_hash,
                        ByteView results) {
  Bytes digest;
  PutLengthPrefixed(&digest, block_hash);
  PutLengthPrefixed(&digest, results);
  return VoteMessage(chain_id, VoteType::kCheckpoint, 0, height, digest);
}

Bytes ViewChangeMessage(std::string_view chain_id, const v1::ViewChange& vc) {
  Bytes out(kVoteDomain);
  PutLengthPrefixed(&out, chain_id);
  out.push_back(static_cast<char>(VoteType::kViewChange));
  PutU64BE(&out, vc.new_view());
  PutU64BE(&out, vc.stable().height());
  PutLengthPrefixed(&out, vc.stable().block_hash());
  PutLengthPrefixed(&out, vc.stable().results());
  PutU32BE(&out, static_cast<uint32_t>(vc.prepared_size()));
  for (const auto& p : vc.prepared()) {
    PutU64BE(&out, p.view());
    PutU64BE(&out, p.proposal().height());
    PutLengthPrefixed(&out, ProposalDigest(p.proposal()));
  }
  return out;
}

Status VerifyReplicaSignature(const Genesis& genesis, uint32_t replica, ByteView message,
                              ByteView signature) {
  const Replica* r = genesis.FindReplica(replica);
  if (r == nullptr) return Status::InvalidArgument("unknown replica " + std::to_string(replica));
  auto key = r->node_cert.public_key();
  if (!key.ok()) return key.status();
  Status s = key->Verify(message, signature);
  if (!s.ok()) {
    return Status::InvalidArgument("signature of replica " + std::to_string(replica) + ": " +
                                   s.message());
  }
  return Status::Ok();
}

Status VerifyCheckpointCertificate(const Genesis& genesis,
                                   const v1::CheckpointCertificate& certificate) {
  if (certificate.height() == 0) {
    if (certificate.block_hash() != genesis.hash || certificate.results() != ZeroDigest() ||
        certificate.votes_size() != 0) {
      return Status::InvalidArgument("checkpoint certificate at height 0 is not the genesis");
    }
    return Status::Ok();
  }
  const Bytes message = CheckpointMessage(genesis.chain_id, certificate.height(),
                                          certificate.block_hash(), certificate.results());
  std::set<uint32_t> seen;
  for (const auto& vote : certificate.votes()) {
    if (!seen.insert(vote.replica()).second) {
      return Status::InvalidArgument("checkpoint certificate has two votes by replica " +
                                     std::to_string(vote.replica()));
    }
    SL_RETURN_IF_ERROR(VerifyReplicaSignature(genesis, vote.replica(), message, vote.signature()));
  }
  if (seen.size() < genesis.quorum()) {
    return Status::InvalidArgument(
        "checkpoint certificate at height " + std::to_string(certificate.height()) + " has " +
        std::to_string(seen.size()) + " votes; the quorum is " + std::to_string(genesis.quorum()));
  }
  return Status::Ok();
}

}  // namespace shipledger::model
