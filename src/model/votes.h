// What replicas sign besides PRE-PREPARE/PREPARE/COMMIT votes (DESIGN §5, §6): checkpoints and
// view changes, and the checks of the certificates built from them.
#pragma once

#include <cstdint>
#include <string_view>

#include "model/block.h"
#include "model/genesis.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"
#include "shipledger/v1/peer.pb.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::model {

// VoteMessage(kCheckpoint, view 0, height, LP(block_hash) ‖ LP(results)).
Bytes CheckpointMessage(std::string_view chain_id, uint64_t height, ByteView block_hash,
                        ByteView results);

// kVoteDomain ‖ chain_id ‖ kViewChange ‖ new_view ‖ stable (height, LP(block_hash),
// LP(results)) ‖ count ‖ per prepared certificate: view ‖ height ‖ LP(proposal digest).
// Events and the vote lists are not covered: they verify themselves.
Bytes ViewChangeMessage(std::string_view chain_id, const v1::ViewChange& view_change);

// OK when `signature` is replica `replica`'s signature of `message` under its pinned key;
// INVALID_ARGUMENT (unknown replica, bad signature) otherwise.
Status VerifyReplicaSignature(const Genesis& genesis, uint32_t replica, ByteView message,
                              ByteView signature);

// OK when `certificate` is the genesis checkpoint (height 0, block_hash = genesis hash, results
// = 32 zero bytes, no votes) or holds >= quorum valid CHECKPOINT signatures of distinct
// replicas. INVALID_ARGUMENT saying what is wrong otherwise.
Status VerifyCheckpointCertificate(const Genesis& genesis,
                                   const v1::CheckpointCertificate& certificate);

}  // namespace shipledger::model
