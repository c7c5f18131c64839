#include "cli/verifier.h"

#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "model/block.h"
#include "model/event.h"
#include "model/votes.h"

namespace shipledger::cli {

namespace {

std::string Short(ByteView hash) { return ToHex(hash).substr(0, 16); }

// A source error that means the stored chain is broken (a record missing or unreadable), as
// opposed to one that means it could not be read at all (unreachable, I/O).
bool IsBrokenRecord(const Status& status) {
  return status.code() == Code::kNotFound || status.code() == Code::kDataLoss;
}

// What does not verify, and at which height.
struct Problem {
  uint64_t height = 0;
  std::string what;
};

std::optional<Problem> Found(uint64_t height, std::string what) {
  return Problem{height, std::move(what)};
}

// Reads a source's checkpoint certificates in height order, a page at a time.
class CheckpointCursor {
 public:
  explicit CheckpointCursor(BlockSource& source) : source_(source) {}

  // The next certificate not yet consumed; nullptr when none is left.
  Result<const v1::CheckpointCertificate*> Peek() {
    if (index_ < page_.size()) return &page_[index_];
    if (done_) return static_cast<const v1::CheckpointCertificate*>(nullptr);
    SL_ASSIGN_OR_RETURN(page_, source_.Checkpoints(next_from_, kPageSize));
    index_ = 0;
    done_ = page_.size() < kPageSize;
    if (page_.empty()) return static_cast<const v1::CheckpointCertificate*>(nullptr);
    if (page_.back().height() == UINT64_MAX) {
      done_ = true;
    } else {
      next_from_ = page_.back().height() + 1;
    }
    return &page_[0];
  }
  void Pop() { ++index_; }

 private:
  static constexpr uint32_t kPageSize = 256;
  BlockSource& source_;
  std::vector<v1::CheckpointCertificate> page_;
  size_t index_ = 0;
  uint64_t next_from_ = 1;  // the genesis checkpoint (height 0) is implicit
  bool done_ = false;
};

// Checks the certificates of `cursor` up to `height`. With `block_hash` (the chain's block at
// `height`), the next ones must be at `height` and certify that block and the results the
// source recorded there; without it (heights above the source's head), all the remaining ones
// are checked for their signatures only. Returns the first problem, or nullopt; a non-OK
// Status when the source could not be read at all.
Result<std::optional<Problem>> CheckCheckpoints(const ChainVerifier& verifier, BlockSource& source,
                                                CheckpointCursor& cursor, uint64_t height,
                                                std::optional<ByteView> block_hash,
                                                VerifyReport* report) {
  for (;;) {
    Result<const v1::CheckpointCertificate*> next = cursor.Peek();
    if (!next.ok()) {
      if (!IsBrokenRecord(next.status())) return next.status();
      return Found(height, "cannot read the checkpoint certificates: " + next.status().message());
    }
    const v1::CheckpointCertificate* certificate = *next;
    if (certificate == nullptr) return std::optional<Problem>();
    const uint64_t at = certificate->height();
    if (block_hash.has_value() && at > height) return std::optional<Problem>();
    const std::string where = "checkpoint certificate at height " + std::to_string(at) + ": ";
    if (block_hash.has_value() && at < height) {
      return Found(at, where + source.Describe() + " lists it out of height order");
    }
    Status checked;
    if (block_hash.has_value()) {
      Result<Bytes> results = source.ResultsAt(at);
      if (!results.ok()) {
        if (!IsBrokenRecord(results.status())) return results.status();
        return Found(at, where + "cannot read the results digest: " + results.status().message());
      }
      checked = verifier.CheckCheckpoint(*certificate, *block_hash, *results);
      if (checked.ok()) report->checkpoints++;
    } else {
      checked = model::VerifyCheckpointCertificate(verifier.genesis(), *certificate);
      if (checked.ok()) report->checkpoints_above_head++;
    }
    if (!checked.ok()) return Found(at, where + checked.message());
    cursor.Pop();
  }
}

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
  // DESIGN §5: block time never decreases. Equal times are normal: a primary with many events
  // pending proposes several heights within one millisecond, and a NEW-VIEW's empty proposals
  // take the time of a neighbouring re-proposal.
  if (p.timestamp_ms() < prev_time_ms) {
    return Status::InvalidArgument("block time " + std::to_string(p.timestamp_ms()) +
                                   " ms is before the previous block's " +
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

Status ChainVerifier::CheckCheckpoint(const v1::CheckpointCertificate& certificate,
                                      ByteView block_hash, ByteView results) const {
  const Status signatures = model::VerifyCheckpointCertificate(*genesis_, certificate);
  if (!signatures.ok()) return Status::InvalidArgument(signatures.message());
  if (certificate.block_hash() != block_hash) {
    return Status::InvalidArgument("it certifies block hash " + Short(certificate.block_hash()) +
                                   "..., the chain's block is " + Short(block_hash) + "...");
  }
  if (certificate.results() != results) {
    return Status::InvalidArgument("it certifies results " + Short(certificate.results()) +
                                   "..., the recorded results digest is " + Short(results) + "...");
  }
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
  CheckpointCursor checkpoints(source);
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
    SL_ASSIGN_OR_RETURN(
        std::optional<Problem> problem,
        CheckCheckpoints(*this, source, checkpoints, height, ByteView(report.head_hash), &report));
    if (problem.has_value()) return broken(problem->height, std::move(problem->what));
    if (progress) progress(height, head.height);
  }
  SL_ASSIGN_OR_RETURN(
      std::optional<Problem> above,
      CheckCheckpoints(*this, source, checkpoints, head.height, std::nullopt, &report));
  if (above.has_value()) return broken(above->height, std::move(above->what));
  if (head.block_hash != report.head_hash) {
    return broken(head.height, source.Describe() + " reports head hash " + ToHex(head.block_hash) +
                                   " but block " + std::to_string(head.height) + " hashes to " +
                                   ToHex(report.head_hash));
  }
  return report;
}

}  // namespace shipledger::cli
