#include "rpc/event_proof.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "contracts/executor.h"
#include "model/block.h"
#include "model/event.h"
#include "model/proof.h"

namespace shipledger::rpc {

namespace {

// Every receipt of `block`, in block order. The store keeps a receipt under the id of each
// event's first committed copy; any other copy got a DUPLICATE receipt, rebuilt exactly as
// execution wrote it (BuildEventProof checks the result against the recorded receipts root).
Result<std::vector<v1::Receipt>> BlockReceipts(const storage::Store& store,
                                               const v1::Block& block) {
  const uint64_t height = block.proposal().height();
  std::vector<Bytes> ids;
  ids.reserve(static_cast<size_t>(block.events_size()));
  for (const v1::SignedEvent& e : block.events()) ids.push_back(model::EventId(e.event()));
  SL_ASSIGN_OR_RETURN(std::vector<std::optional<v1::Receipt>> stored, store.GetReceipts(ids));
  std::vector<v1::Receipt> receipts;
  receipts.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    receipts.push_back(
        contracts::ReceiptOfCopy(std::move(stored[i]), ids[i], height, static_cast<uint32_t>(i)));
  }
  return receipts;
}

// The first stable checkpoint at or above `height` whose block this node holds, if any.
Result<std::optional<v1::CheckpointCertificate>> CoveringCheckpoint(const storage::Store& store,
                                                                    uint64_t height,
                                                                    uint64_t head) {
  SL_ASSIGN_OR_RETURN(std::vector<v1::CheckpointCertificate> found,
                      store.ListCheckpoints(height, 1));
  if (found.empty() || found.front().height() > head) {
    return std::optional<v1::CheckpointCertificate>();
  }
  if (found.front().height() - height >= kMaxProofChainHeights) {
    return Status::FailedPrecondition(
        "the nearest stable checkpoint above height " + std::to_string(height) + " is at " +
        std::to_string(found.front().height()) + ": too far for a proof");
  }
  return std::optional<v1::CheckpointCertificate>(std::move(found.front()));
}

}  // namespace

Result<v1::EventProof> LoadEventProof(const storage::Store& store, const model::Genesis& genesis,
                                      ByteView event_id) {
  Result<storage::EventLocation> location = store.GetEventLocation(event_id);
  if (!location.ok()) {
    if (location.status().code() == Code::kNotFound) {
      return Status::NotFound("event " + ToHex(event_id) + " not found");
    }
    return location.status();
  }
  const uint64_t height = location->height;
  // The head first: every block up to it is stored, so a checkpoint at or below it is usable.
  const uint64_t head = store.head().height;

  model::EventProofParts parts;
  parts.genesis_hash = genesis.hash;
  parts.index = location->index;
  parts.contract_rules = genesis.ContractRulesAt(height);
  SL_ASSIGN_OR_RETURN(parts.block, store.GetBlock(height));
  SL_ASSIGN_OR_RETURN(parts.receipts, BlockReceipts(store, parts.block));
  SL_ASSIGN_OR_RETURN(const storage::Store::ResultsRecord prev, store.GetResults(height - 1));
  parts.prev_results = prev.results;
  SL_ASSIGN_OR_RETURN(parts.checkpoint, CoveringCheckpoint(store, height, head));

  const uint64_t end = parts.checkpoint ? parts.checkpoint->height() : height;
  SL_ASSIGN_OR_RETURN(const std::vector<storage::Store::ResultsRecord> records,
                      store.GetResultsRange(height, end));
  for (uint64_t h = height; h <= end; ++h) {
    Bytes digest;
    if (h == height) {
      digest = model::ProposalDigest(parts.block.proposal());
    } else {
      SL_ASSIGN_OR_RETURN(const v1::Block header, store.GetBlockHeader(h));
      digest = model::ProposalDigest(header.proposal());
    }
    const storage::Store::ResultsRecord& r = records[h - height];
    parts.results_chain.push_back(
        model::MakeResultsLink(h, digest, r.receipts_root, r.state_writes_digest, r.results));
  }
  return model::BuildEventProof(parts);
}

}  // namespace shipledger::rpc
