// Byzantine behaviours (at most f replicas per run). Each wraps a real PbftReplica: the core
// runs honestly and the behaviour rewrites, drops or adds to what its node sends (re-signing
// with the node's key, so the forgeries are validly signed where that is the point), or filters
// what the core hears. Twins need no rewriting: the World runs two nodes with one replica id
// and key (see world.h).
//   kEquivocate     as primary, sends one PRE-PREPARE to half of the backups and a different,
//                   validly signed one (fewer events, or another timestamp) to the other half;
//                   never sends a VIEW-CHANGE (the correct replicas must depose it alone);
//   kCensor         never hears (so as primary never proposes) events of one origin org;
//   kInvalidBlocks  as primary, sends most backups a PRE-PREPARE with a tampered event, a wrong
//                   events root or a wrong event count, validly signed; the gate must drop it;
//                   never sends a VIEW-CHANGE either;
//   kBadBackup      adds or substitutes PREPARE/COMMIT votes for random digests (validly
//                   signed), badly signed votes, checkpoints with wrong results, heartbeats
//                   that claim to be far ahead, and state-transfer answers with forged blocks;
//   kTwin           none here (see above);
//   kFloodHeartbeat, kFloodViewChange, kFloodForward
//                   an otherwise correct replica that floods cheap messages (flood.h);
//   kMixedViewTime  as primary, sends each fresh PRE-PREPARE to a changing part of the
//                   backups and never COMMITs, so proposals are prepared at some replicas only
//                   and every view it leads ends in a view change (flood.h).
// Thread-safety: none; owned by one SimNode.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "consensus/replica.h"
#include "model/genesis.h"
#include "sim/network.h"

namespace shipledger::sim {

enum class ByzantineKind {
  kNone,
  kEquivocate,
  kCensor,
  kInvalidBlocks,
  kBadBackup,
  kTwin,
  kFloodHeartbeat,
  kFloodViewChange,
  kFloodForward,
  kMixedViewTime,
};

// Whether `kind` floods (its node calls Byzantine::Flood periodically).
bool IsFlood(ByzantineKind kind);

std::string ByzantineName(ByzantineKind kind);

class Byzantine {
 public:
  virtual ~Byzantine() = default;
  // The messages sent to replica `to` in place of `message`, which the core sent (in order).
  virtual std::vector<v1::PeerMessage> Outgoing(uint32_t to, const v1::PeerMessage& message) {
    (void)to;
    return {message};
  }
  // Edits an admitted inbound message before the core sees it; false drops it.
  virtual bool Inbound(consensus::InboundMessage* message) {
    (void)message;
    return true;
  }

  // `copies` byte-identical copies of `message` for replica `to`, sent at once.
  struct Burst {
    uint32_t to = 0;
    v1::PeerMessage message;
    uint64_t copies = 1;
  };
  // Flooding behaviours: while its node is up and the plan's attack is on, the node calls Flood
  // every flood_period_ms() (0: never) and sends what it returns.
  virtual int64_t flood_period_ms() const { return 0; }
  virtual std::vector<Burst> Flood() { return {}; }
};

struct ByzantineContext {
  std::shared_ptr<const model::Genesis> genesis;
  uint32_t replica = 0;
  const consensus::Signer* signer = nullptr;  // the node's key
  Rng* rng = nullptr;                         // the run's generator for Byzantine choices
  std::string censored_org;                   // kCensor: whose events it never hears
  int64_t flood_period_ms = 10;               // floods: a burst to each peer this often
  uint64_t flood_copies = 2000;               // floods: copies per burst
};

// nullptr for kNone and kTwin.
std::unique_ptr<Byzantine> MakeByzantine(ByzantineKind kind, const ByzantineContext& context);

}  // namespace shipledger::sim
