// Proposals, block hashes, votes, receipts and the results chain (DESIGN §5).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "model/event.h"
#include "model/genesis.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::model {

inline constexpr std::string_view kProposalDomain = "shipledger/proposal/v1";
inline constexpr std::string_view kBlockDomain = "shipledger/block/v1";
inline constexpr std::string_view kVoteDomain = "shipledger/v1";
inline constexpr std::string_view kReceiptDomain = "shipledger/receipt/v1";
// The receipt leaf of contract rules v3 and later, which covers every field (DESIGN §5).
inline constexpr std::string_view kReceiptDomainV3 = "shipledger/receipt/v3";
inline constexpr uint32_t kFirstRulesWithFullReceiptLeaf = 3;
inline constexpr std::string_view kStateDomain = "shipledger/state/v1";
inline constexpr std::string_view kGenesisDomain = "shipledger/genesis/v1";

enum class VoteType : uint8_t {
  kPrePrepare = 1,
  kPrepare = 2,
  kCommit = 3,
  kCheckpoint = 4,
  kViewChange = 5,
};

// SHA-256(kProposalDomain ‖ chain_id ‖ height ‖ events_root ‖ proposer ‖ timestamp ‖ count),
// fields length-prefixed / big-endian. No prev hash and no view (DESIGN §5).
Bytes ProposalDigest(const v1::Proposal& proposal);
// SHA-256(kBlockDomain ‖ proposal_digest ‖ prev_block_hash).
Bytes BlockHash(ByteView proposal_digest, ByteView prev_block_hash);
// kVoteDomain ‖ chain_id ‖ type ‖ view ‖ height ‖ digest: what a replica signs for a vote.
Bytes VoteMessage(std::string_view chain_id, VoteType type, uint64_t view, uint64_t height,
                  ByteView digest);
// Merkle root over the events' leaf hashes.
Bytes EventsRoot(const std::vector<EventPtr>& events);
Bytes EventsRoot(const google::protobuf::RepeatedPtrField<v1::SignedEvent>& events);
// Merkle leaf of a receipt under contract rules `rules` (docs/formats.md). Rules v1 and v2:
// SHA-256(0x00 ‖ kReceiptDomain ‖ id ‖ height ‖ index ‖ code ‖ reason), outputs not covered;
// v3 and later: kReceiptDomainV3 and every field, the contract outputs included.
Bytes ReceiptLeafHash(const v1::Receipt& receipt, uint32_t rules);
Bytes ReceiptsRoot(const std::vector<v1::Receipt>& receipts, uint32_t rules);
// SHA-256(prev_results ‖ receipts_root ‖ state_writes_digest); results_0 = 32 zero bytes.
Bytes ResultsDigest(ByteView prev_results, ByteView receipts_root, ByteView state_writes_digest);

// OK when `certificate` holds >= quorum COMMIT signatures of distinct replicas of the genesis,
// each valid under that replica's pinned key over VoteMessage(kCommit, view, height, digest).
// INVALID_ARGUMENT naming the first bad vote otherwise.
Status VerifyCommitCertificate(const Genesis& genesis, const v1::Proposal& proposal,
                               const v1::CommitCertificate& certificate);

}  // namespace shipledger::model
