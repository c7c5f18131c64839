#include "model/proof.h"

#include <utility>

#include "crypto/merkle.h"
#include "model/block.h"
#include "model/event.h"
#include "model/validation.h"
#include "model/votes.h"

namespace shipledger::model {

namespace {

std::string Short(ByteView hash) { return ToHex(hash).substr(0, 16) + "..."; }

Status Invalid(std::string message) { return Status::InvalidArgument(std::move(message)); }

// An RFC 6962 path of `leaves[index]` as repeated bytes.
Status AddPath(const std::vector<Bytes>& leaves, uint32_t index,
               google::protobuf::RepeatedPtrField<std::string>* out) {
  SL_ASSIGN_OR_RETURN(crypto::InclusionProof path, crypto::MakeInclusionProof(leaves, index));
  for (Bytes& node : path.path) out->Add(std::move(node));
  return Status::Ok();
}

crypto::InclusionProof PathOf(const google::protobuf::RepeatedPtrField<std::string>& path,
                              uint32_t index, uint32_t tree_size) {
  crypto::InclusionProof proof;
  proof.index = index;
  proof.tree_size = tree_size;
  proof.path.assign(path.begin(), path.end());
  return proof;
}

// Walks the results chain from the event's block to the checkpoint: each recorded results
// digest must be the hash of the previous one and its height's roots, the block hashes must
// link, and the end must be what the checkpoint certifies.
Status CheckResultsChain(const Genesis& genesis, const v1::EventProof& proof, Bytes block_hash) {
  const v1::CheckpointCertificate& checkpoint = proof.checkpoint();
  if (Status s = VerifyCheckpointCertificate(genesis, checkpoint); !s.ok()) {
    return Invalid("checkpoint certificate: " + s.message());
  }
  const uint64_t height = proof.proposal().height();
  Bytes results = proof.prev_results();
  for (int i = 0; i < proof.results_chain_size(); ++i) {
    const v1::ResultsLink& link = proof.results_chain(i);
    const uint64_t want = height + static_cast<uint64_t>(i);
    const std::string at = "results chain at height " + std::to_string(want) + ": ";
    if (link.height() != want) {
      return Invalid(at + "entry " + std::to_string(i) + " says height " +
                     std::to_string(link.height()));
    }
    if (i > 0) block_hash = BlockHash(link.proposal_digest(), block_hash);
    results = ResultsDigest(results, link.receipts_root(), link.state_writes_digest());
    if (results != link.results()) {
      return Invalid(at + "recorded results " + Short(link.results()) +
                     " are not SHA-256(results of height " + std::to_string(want - 1) +
                     " ‖ receipts_root ‖ state_writes_digest) = " + Short(results));
    }
  }
  const uint64_t end = height + static_cast<uint64_t>(proof.results_chain_size()) - 1;
  if (checkpoint.height() != end) {
    return Invalid("checkpoint certificate is for height " + std::to_string(checkpoint.height()) +
                   ", the results chain ends at height " + std::to_string(end));
  }
  if (checkpoint.block_hash() != block_hash) {
    return Invalid("block hash link: blocks " + std::to_string(height) + ".." +
                   std::to_string(end) + " hash to " + Short(block_hash) + " at height " +
                   std::to_string(end) + ", the checkpoint certifies " +
                   Short(checkpoint.block_hash()));
  }
  if (checkpoint.results() != results) {
    return Invalid("results chain: results at height " + std::to_string(end) + " are " +
                   Short(results) + ", the checkpoint certifies " + Short(checkpoint.results()));
  }
  return Status::Ok();
}

// The receipt must be this event's, at its place, with a verdict, on the path to the block's
// receipts root as the results chain records it.
Status CheckReceipt(const Genesis& genesis, const v1::EventProof& proof, ByteView event_id) {
  const v1::Receipt& receipt = proof.receipt();
  const uint64_t height = proof.proposal().height();
  if (receipt.event_id() != event_id) {
    return Invalid("receipt is for event " + ToHex(receipt.event_id()) + ", not " +
                   ToHex(event_id));
  }
  if (receipt.height() != height || receipt.index() != proof.index()) {
    return Invalid("receipt says height/index " + std::to_string(receipt.height()) + "/" +
                   std::to_string(receipt.index()) + ", the event is at " + std::to_string(height) +
                   "/" + std::to_string(proof.index()));
  }
  const v1::ResultCode code = receipt.code();
  if (code != v1::RESULT_CODE_VALID && code != v1::RESULT_CODE_REJECTED &&
      code != v1::RESULT_CODE_DUPLICATE) {
    return Invalid("receipt code " + std::to_string(code) + " is not a verdict");
  }
  if (proof.results_chain_size() == 0) return Invalid("results chain is empty");
  const v1::ResultsLink& first = proof.results_chain(0);
  if (first.height() != height) {
    return Invalid("results chain starts at height " + std::to_string(first.height()) +
                   ", the event's block is " + std::to_string(height));
  }
  if (first.proposal_digest() != ProposalDigest(proof.proposal())) {
    return Invalid("results chain at height " + std::to_string(height) +
                   ": proposal digest is not the certified proposal's");
  }
  Status path = crypto::VerifyInclusion(
      ReceiptLeafHash(receipt, genesis.ContractRulesAt(height)),
      PathOf(proof.receipt_path(), proof.index(), proof.proposal().event_count()),
      first.receipts_root());
  if (!path.ok()) {
    return Invalid("receipt Merkle path (receipts_root of height " + std::to_string(height) +
                   "): " + path.message());
  }
  return Status::Ok();
}

}  // namespace

v1::ResultsLink MakeResultsLink(uint64_t height, ByteView proposal_digest, ByteView receipts_root,
                                ByteView state_writes_digest, ByteView results) {
  v1::ResultsLink link;
  link.set_height(height);
  link.set_proposal_digest(Bytes(proposal_digest));
  link.set_receipts_root(Bytes(receipts_root));
  link.set_state_writes_digest(Bytes(state_writes_digest));
  link.set_results(Bytes(results));
  return link;
}

Result<v1::EventProof> BuildEventProof(const EventProofParts& parts) {
  const v1::Block& block = parts.block;
  const uint64_t height = block.proposal().height();
  const std::string where = "block " + std::to_string(height) + ": ";
  const auto count = static_cast<size_t>(block.events_size());
  if (parts.index >= count) {
    return Status::DataLoss(where + "no event " + std::to_string(parts.index));
  }
  if (parts.receipts.size() != count) {
    return Status::DataLoss(where + std::to_string(parts.receipts.size()) + " receipts for " +
                            std::to_string(count) + " events");
  }
  if (parts.results_chain.empty() || parts.results_chain.front().height() != height) {
    return Status::DataLoss(where + "the results chain does not start at its height");
  }
  if (parts.checkpoint.has_value() &&
      parts.checkpoint->height() != parts.results_chain.back().height()) {
    return Status::DataLoss(where + "the results chain does not end at the checkpoint");
  }
  std::vector<Bytes> event_leaves;
  std::vector<Bytes> receipt_leaves;
  event_leaves.reserve(count);
  receipt_leaves.reserve(count);
  for (const v1::SignedEvent& e : block.events()) event_leaves.push_back(EventLeafHash(e));
  for (const v1::Receipt& r : parts.receipts) {
    receipt_leaves.push_back(ReceiptLeafHash(r, parts.contract_rules));
  }
  if (crypto::MerkleRoot(receipt_leaves) != parts.results_chain.front().receipts_root()) {
    return Status::DataLoss(where + "its receipts do not hash to the recorded receipts root");
  }

  v1::EventProof proof;
  proof.set_genesis_hash(parts.genesis_hash);
  *proof.mutable_event() = block.events(static_cast<int>(parts.index));
  proof.set_index(parts.index);
  SL_RETURN_IF_ERROR(AddPath(event_leaves, parts.index, proof.mutable_events_path()));
  *proof.mutable_proposal() = block.proposal();
  *proof.mutable_commit_certificate() = block.certificate();
  proof.set_prev_block_hash(block.prev_block_hash());
  *proof.mutable_receipt() = parts.receipts[parts.index];
  SL_RETURN_IF_ERROR(AddPath(receipt_leaves, parts.index, proof.mutable_receipt_path()));
  proof.set_prev_results(parts.prev_results);
  for (const v1::ResultsLink& link : parts.results_chain) *proof.add_results_chain() = link;
  if (parts.checkpoint.has_value()) *proof.mutable_checkpoint() = *parts.checkpoint;
  return proof;
}

Result<EventProofVerdict> VerifyEventProof(std::shared_ptr<const Genesis> genesis,
                                           const v1::EventProof& proof) {
  const Genesis& g = *genesis;
  if (proof.genesis_hash() != g.hash) {
    return Invalid("wrong genesis: the proof is for the chain with genesis hash " +
                   ToHex(proof.genesis_hash()) + ", the genesis file has hash " + ToHex(g.hash));
  }
  const v1::Proposal& proposal = proof.proposal();
  const uint64_t height = proposal.height();
  if (proposal.chain_id() != g.chain_id) {
    return Invalid("proposal chain id '" + proposal.chain_id() + "' is not the genesis chain id '" +
                   g.chain_id + "'");
  }
  if (height == 0) return Invalid("proposal height 0 is the genesis, not a block");
  if (Status s = VerifyCommitCertificate(g, proposal, proof.commit_certificate()); !s.ok()) {
    return Invalid("block " + std::to_string(height) + ": " + s.message());
  }

  // DESIGN §3: the certificates are judged at block time, never at the verifier's clock.
  ValidateOptions options;
  options.cert_time_ms = proposal.timestamp_ms();
  const EventValidator validator(genesis);
  auto admitted = validator.Validate(proof.event(), options);
  if (!admitted.ok()) return Invalid("event: " + admitted.status().message());
  const AdmittedEvent& event = **admitted;
  if (proof.index() >= proposal.event_count()) {
    return Invalid("event index " + std::to_string(proof.index()) + " is outside the block's " +
                   std::to_string(proposal.event_count()) + " events");
  }
  Status included = crypto::VerifyInclusion(
      event.leaf_hash, PathOf(proof.events_path(), proof.index(), proposal.event_count()),
      proposal.events_root());
  if (!included.ok()) {
    return Invalid("events Merkle path (event " + std::to_string(proof.index()) + " of " +
                   std::to_string(proposal.event_count()) + "): " + included.message());
  }
  SL_RETURN_IF_ERROR(CheckReceipt(g, proof, event.id));

  EventProofVerdict verdict;
  verdict.event_id = event.id;
  verdict.event = event.event;
  verdict.cosigned_by = event.cosigned_by;
  verdict.height = height;
  verdict.index = proof.index();
  verdict.block_time_ms = proposal.timestamp_ms();
  verdict.block_hash = BlockHash(ProposalDigest(proposal), proof.prev_block_hash());
  verdict.code = proof.receipt().code();
  verdict.reason = proof.receipt().reason();
  verdict.contract_rules = g.ContractRulesAt(height);
  if (verdict.contract_rules >= kFirstRulesWithFullReceiptLeaf) {
    verdict.outputs.assign(proof.receipt().outputs().begin(), proof.receipt().outputs().end());
  }
  if (!proof.has_checkpoint()) {
    if (proof.results_chain_size() != 1) {
      return Invalid("results chain runs past height " + std::to_string(height) +
                     " but the proof has no checkpoint certificate");
    }
    return verdict;
  }
  SL_RETURN_IF_ERROR(CheckResultsChain(g, proof, verdict.block_hash));
  verdict.certified = true;
  verdict.checkpoint_height = proof.checkpoint().height();
  return verdict;
}

}  // namespace shipledger::model
