// Event proofs (DESIGN §5): build one from a committed block, its receipts, the results chain
// and the covering checkpoint; verify one against the genesis alone, trusting nothing the
// serving node said. The message is v1::EventProof (types.proto); docs/proofs.md describes it.
// Thread-safety: free functions over values.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/genesis.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::model {

// What BuildEventProof needs, as a node stores it (DESIGN §7).
struct EventProofParts {
  Bytes genesis_hash;
  v1::Block block;                    // the event's block with all its events
  uint32_t index = 0;                 // the event's position in it
  std::vector<v1::Receipt> receipts;  // one per event of the block, in block order
  Bytes prev_results;                 // results_{h-1}
  // Heights h .. checkpoint height (only h when `checkpoint` is absent), as recorded.
  std::vector<v1::ResultsLink> results_chain;
  std::optional<v1::CheckpointCertificate> checkpoint;  // the first stable one at or above h
  uint32_t contract_rules = kOldestContractRules;       // at h: it picks the receipt leaf
};

// The link of `height` whose block has proposal digest `proposal_digest`.
v1::ResultsLink MakeResultsLink(uint64_t height, ByteView proposal_digest, ByteView receipts_root,
                                ByteView state_writes_digest, ByteView results);

// Assembles the proof of event `parts.index`. DATA_LOSS when the parts do not fit together
// (index outside the block, a receipt count other than the event count, receipts that do not
// hash to results_chain[0].receipts_root, a chain that does not start at the block's height or
// does not end at the checkpoint's): the store is inconsistent, the proof would not verify.
Result<v1::EventProof> BuildEventProof(const EventProofParts& parts);

// What a verified proof shows.
struct EventProofVerdict {
  Bytes event_id;
  v1::Event event;  // decoded from the signed bytes
  std::vector<std::string> cosigned_by;
  uint64_t height = 0;
  uint32_t index = 0;
  int64_t block_time_ms = 0;
  Bytes block_hash;  // of the event's block; certified only when `certified`
  v1::ResultCode code = v1::RESULT_CODE_UNSPECIFIED;
  std::string reason;
  // The contract's decisions (leg assigned, return approved, …) under rules v3 and later, whose
  // receipt leaf covers them. Empty under v1/v2: their leaf does not, so a proof's outputs there
  // are not shown as decided.
  std::vector<v1::ContractOutput> outputs;
  uint32_t contract_rules = kOldestContractRules;  // at `height`
  // True when a stable checkpoint certificate covers the height: the receipt (code, reason)
  // and block_hash are then certified by 2f+1 replicas. Otherwise only the inclusion of the
  // event at `height` is (by the commit certificate), and the receipt is the node's word.
  bool certified = false;
  uint64_t checkpoint_height = 0;
};

// Checks `proof` against `genesis` alone: the event's signature, certificate chain (at block
// time), fields and co-signatures; its Merkle path to the proposal's events_root; the
// proposal's chain id and its commit certificate under the pinned replica keys; the receipt
// (event id, height, index) and its path to the block's receipts_root; and, when a checkpoint
// is present, its certificate and that the block-hash and results chains from the event's
// height reach exactly what it certifies. INVALID_ARGUMENT whose message names what did not
// match (e.g. "commit certificate ...", "events Merkle path ...", "results chain at height 7
// ...", "block hash link ...", "checkpoint certificate ...").
Result<EventProofVerdict> VerifyEventProof(std::shared_ptr<const Genesis> genesis,
                                           const v1::EventProof& proof);

}  // namespace shipledger::model
