#include "cli/verifier.h"

#include <set>

#include "model/block.h"
#include "model/event.h"

namespace shipledger::cli {

namespace {

std::string Short(ByteView hash) { return ToHex(hash).substr(0, 16); }

}  // namespace

ChainVerifier::ChainVerifier(std::shared_ptr<const model::Genesis> genesis)
    : genesis_(genesis), validator_(std::move(genesis)) {}

Status ChainVerifier::CheckEvents(const v1::Block& block) const {
  model::ValidateOptions options;
  // DESIGN §3: certificate validity is judged at block time, never at the verifier's clock.
  options.cert_time_ms = block.proposal().timestamp_ms();
  std::set<Bytes> ids;
  for (int i = 0; i < block.events_size(); ++i) {
    const v1::SignedEvent& se = block.events(i);
    const Bytes id = model::EventId(se.event());
    const std::string name = "event " + std::to_string(i) + " (" + ToHex(id) + ")";
    auto admitted = validator_.Validate(se, options);
    if (!admitted.ok()) {
      return Status::InvalidArgument(name + ": " + admitted.status().message());
    }
    if (!ids.insert(id).second) {
      return Status::InvalidArgument(name + " appears twice in the block");
    }
  }
  return Status::Ok();
}

Status ChainVerifier::CheckBlock(const v1::Block& block, uint64_t height, ByteView prev_hash,
                                 int64_t prev_time_ms) const {
  if (!block.has_proposal()) return Status::InvalidArgument("block has no proposal");
  const v1::Proposal& p = block.proposal();
  if (p.height() != height) {
    return Status::InvalidArgument("the block says it is height " + std::to_string(p.height()));
  }
  if (p.chain_id() != genesis_->chain_id) {
    return Status::InvalidArgument("proposal is for chain '" + p.chain_id() +
                                   "', the genesis says '" + genesis_->chain_id + "'");
  }
  if (p.timestamp_ms() <= prev_time_ms) {
    return Status::InvalidArgument("block time " + std::to_string(p.timestamp_ms()) +
                                   " ms is not after the previous block's " +
                                   std::to_string(prev_time_ms) + " ms");
  }
  if (p.event_count() != static_cast<uint32_t>(block.events_size())) {
    return Status::InvalidArgument("proposal counts " + std::to_string(p.event_count()) +
                                   " events but the block carries " +
                                   std::to_string(block.events_size()));
  }
  SL_RETURN_IF_ERROR(CheckEvents(block));
  const Bytes root = model::EventsRoot(block.events());
  if (root != p.events_root()) {
    return Status::InvalidArgument("events root " + Short(p.events_root()) +
                                   "... of the proposal does not match the events (" + Short(root) +
                                   "...)");
  }
  if (block.prev_block_hash() != prev_hash) {
    return Status::InvalidArgument(
        "prev hash " + Short(block.prev_block_hash()) + "... does not link to " +
        (height == 1 ? std::string("the genesis") : "block " + std::to_string(height - 1)) + " (" +
        Short(prev_hash) + "...)");
  }
  const Bytes hash = model::BlockHash(model::ProposalDigest(p), prev_hash);
  if (block.block_hash() != hash) {
    return Status::InvalidArgument("block hash " + Short(block.block_hash()) +
                                   "... is not the hash of its proposal and prev (" + Short(hash) +
                                   "...)");
  }
  Status cert = model::VerifyCommitCertificate(*genesis_, p, block.certificate());
  if (!cert.ok()) return Status::InvalidArgument(cert.message());
  return Status::Ok();
}

Result<VerifyReport> ChainVerifier::Verify(BlockSource& source, const Progress& progress) const {
  SL_ASSIGN_OR_RETURN(SourceHead head, source.Head());
  if (!head.genesis_hash.empty() && head.genesis_hash != genesis_->hash) {
    return Status::FailedPrecondition(source.Describe() + " holds the chain '" + head.chain_id +
                                      "' with genesis hash " + ToHex(head.genesis_hash) +
                                      ", but the genesis file has hash " + ToHex(genesis_->hash) +
                                      ": verify with that chain's genesis.yaml");
  }
  VerifyReport report;
  report.head_hash = genesis_->hash;
  auto broken = [&report](uint64_t height, std::string problem) {
    report.ok = false;
    report.bad_height = height;
    report.problem = std::move(problem);
    return report;
  };
  int64_t prev_time_ms = 0;
  for (uint64_t height = 1; height <= head.height; ++height) {
    auto block = source.GetBlock(height);
    if (!block.ok()) {
      const Code code = block.status().code();
      if (code == Code::kNotFound || code == Code::kDataLoss) {
        return broken(height, "cannot read the block: " + block.status().message());
      }
      return block.status();
    }
    Status s = CheckBlock(*block, height, report.head_hash, prev_time_ms);
    if (!s.ok()) return broken(height, s.message());
    report.head_hash = block->block_hash();
    prev_time_ms = block->proposal().timestamp_ms();
    report.blocks++;
    report.events += static_cast<uint64_t>(block->events_size());
    if (progress) progress(height, head.height);
  }
  if (head.block_hash != report.head_hash) {
    return broken(head.height, source.Describe() + " reports head hash " + ToHex(head.block_hash) +
                                   " but block " + std::to_string(head.height) + " hashes to " +
                                   ToHex(report.head_hash));
  }
  return report;
}

}  // namespace shipledger::cli
