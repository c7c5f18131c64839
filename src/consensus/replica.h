// The ordering interface (DESIGN §1, §6): a replica core is a deterministic state machine.
// Inputs arrive as On* calls with the current time; outputs leave as a list of actions that the
// node runtime carries out IN ORDER: commit a block, arm a timer, send or broadcast a peer
// message, persist a journal entry (durably, before any later action of the list is carried
// out: DESIGN §6 "persistence before sending"), prune the journal, store a checkpoint
// certificate.
// No threads, clocks, sockets, gRPC or RocksDB inside a core. There is one core, PbftReplica
// (pbft_replica.h), for every n including n = 1; this header holds what crosses its boundary.
// Thread-safety: none; the runtime calls a core from one thread (strand) only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include "model/event.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"
#include "shipledger/v1/peer.pb.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::consensus {

// A block ordered by consensus, with its commit certificate. The runtime executes it, stores
// it, and reports back with OnCommitted(height).
struct CommitBlock {
  v1::Block block;  // proposal, certificate, block_hash, prev_block_hash; events left empty
  std::vector<model::EventPtr> events;  // the block's events in order
};

// Call OnTick at (or after) `at_ms`.
struct SetTimer {
  int64_t at_ms = 0;
};

// Send `message` to replica `to` (best effort: the transport may drop it).
struct Send {
  uint32_t to = 0;
  std::shared_ptr<const v1::PeerMessage> message;
};

// Send `message` to every other replica.
struct Broadcast {
  std::shared_ptr<const v1::PeerMessage> message;
};

// Append `entry` to the consensus journal, synced, before carrying out any later action.
// `height` is the height the entry is about (0 for view entries); StoreCheckpoint prunes by it.
struct Persist {
  uint64_t height = 0;
  v1::JournalEntry entry;
};

// A checkpoint became stable: store its certificate (storage family `checkpoints`) and, in the
// same durable write, drop the journal entries it makes unnecessary (model/journal.h): heights
// 1..certificate.height, older views, VIEW-CHANGEs for views entered. A failed write must
// prune nothing (DESIGN §6: a restart must never find votes pruned without the certificate
// that covers them).
struct StoreCheckpoint {
  v1::CheckpointCertificate certificate;
};

using Action = std::variant<CommitBlock, SetTimer, Send, Broadcast, Persist, StoreCheckpoint>;
using Actions = std::vector<Action>;

// Where the chain stands when the core starts (from storage).
struct ChainTip {
  uint64_t height = 0;
  Bytes block_hash;  // the genesis hash at height 0
  int64_t block_time_ms = 0;
  Bytes results;  // results digest at `height` (32 zero bytes at 0)
};

// Signs votes with this replica's node key (the key pinned in the genesis).
class Signer {
 public:
  virtual ~Signer() = default;
  virtual Result<Bytes> Sign(ByteView message) const = 0;
};

// A block the runtime has executed and durably stored.
struct Committed {
  uint64_t height = 0;
  Bytes block_hash;
  Bytes results;  // results digest at `height` (DESIGN §5)
};

// A peer message that passed the validation gate (message_gate.h): well-formed, within bounds,
// every signature checked, sent by replica `from`. `events` holds the parsed events of the
// message's event lists, in order: [0] for pre_prepare and forward, one list per
// new_view.pre_prepares[i] and per blocks.blocks[i]; empty for other messages.
struct InboundMessage {
  uint32_t from = 0;
  v1::PeerMessage message;
  std::vector<std::vector<model::EventPtr>> events;
};

struct PeerState {
  uint32_t replica = 0;
  uint64_t view = 0;              // last reported (heartbeat)
  uint64_t committed_height = 0;  // last reported (heartbeat)
  uint64_t stable_height = 0;     // last reported (heartbeat)
  int64_t last_heard_ms = 0;      // 0 if never
  // NEW-VIEW resends its heartbeats or replayed VIEW-CHANGEs asked for within
  // PbftOptions::resend_interval_ms of the last one, and so not sent (DESIGN §6 fairness).
  uint64_t resends_suppressed = 0;
};

struct ReplicaStatus {
  uint64_t view = 0;
  uint32_t primary = 0;
  bool is_primary = false;
  uint64_t ordered_height = 0;    // highest height ordered (committed or in flight)
  uint64_t committed_height = 0;  // highest height reported by OnCommitted
  uint32_t mempool_events = 0;
  uint32_t mempool_capacity = 0;
  uint64_t stable_checkpoint = 0;
  bool view_changing = false;         // waiting for a NEW-VIEW
  uint64_t highest_known_height = 0;  // the highest committed height peers report
  uint64_t diverged_height = 0;       // != 0: our results differ from a stable checkpoint here
  std::vector<PeerState> peers;       // other replicas
  std::vector<uint32_t> mempool_by_origin;  // events held per origin replica (by replica id)
  bool fetching = false;                    // state transfer: a FetchBlocks is outstanding
  uint64_t blocks_transferred = 0;          // blocks ordered from state transfer since start
};

}  // namespace shipledger::consensus
