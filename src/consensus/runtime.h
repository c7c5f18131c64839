// Runtime: what carries out a core's actions (replica.h). The node (node/node.cc), the
// simulator's replicas (tests/sim/sim_node.cc) and the unit tests' cluster
// (tests/unit/consensus/pbft_cluster.h) each implement it; CarryOut is the one place that walks
// an action list. It visits every action kind, so a new kind does not compile until every
// runtime handles it, and it holds the one ordering rule (DESIGN §6 "persistence before
// sending"): a journal entry is durable before any later action of the list is carried out,
// and a runtime that cannot journal stops, since a replica that cannot journal must not vote.
// Thread-safety: as the core's; CarryOut runs on the thread that called the core.
#pragma once

#include <cstdint>
#include <memory>

#include "consensus/replica.h"
#include "shipledger/status.h"

namespace shipledger::consensus {

class Runtime {
 public:
  virtual ~Runtime() = default;

  // Executes and stores `block` (now or later, in height order), then reports OnCommitted.
  virtual void Execute(CommitBlock block) = 0;
  // Calls OnTick at (or after) `at_ms`.
  virtual void ArmTimer(int64_t at_ms) = 0;
  // Best effort: the transport may drop it.
  virtual void SendTo(uint32_t replica, std::shared_ptr<const v1::PeerMessage> message) = 0;
  virtual void SendToAll(std::shared_ptr<const v1::PeerMessage> message) = 0;
  // Appends to the journal. OK means durable (synced).
  virtual Status AppendJournal(uint64_t height, const v1::JournalEntry& entry) = 0;
  // Stores the certificate and prunes what it covers in the same durable write; a failed write
  // prunes nothing (the runtime reports it; the certificate is also held by the peers).
  virtual void StoreStable(const v1::CheckpointCertificate& certificate) = 0;
};

// Carries out `actions` in order on `runtime` (see above). Stops the process
// (SHIPLEDGER_CHECK) when a journal append fails.
void CarryOut(Actions actions, Runtime& runtime);

}  // namespace shipledger::consensus
