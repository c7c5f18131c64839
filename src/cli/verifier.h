// `shipledger verify`: checks a whole chain against its genesis without trusting whoever
// stored or served it (DESIGN §5). For every height 1..head it recomputes the block hash and
// the link to the previous block, the events' Merkle root and count, the commit certificate
// under the replicas' pinned keys, and every event's signature, certificate chain (at block
// time) and co-signatures; block times must not decrease (equal is honest, DESIGN §5). When the
// source stores stable
// checkpoint certificates (a data dir does), each must verify under the pinned keys and certify
// the chain's block hash and the recorded results digest at its height.
// Thread-safety: a ChainVerifier may be used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/genesis.h"
#include "model/validation.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::cli {

// The chain head as a block source records it.
struct SourceHead {
  uint64_t height = 0;
  Bytes block_hash;      // the hash of block `height` (the genesis hash at height 0)
  std::string chain_id;  // empty when the source does not say
  Bytes genesis_hash;    // empty when the source does not say
};

// Where the blocks come from: a data dir (offline) or a node (GetBlock). Implementations
// report a block the source does not have as NOT_FOUND and a record it cannot decode as
// DATA_LOSS; any other error (node unreachable, I/O) means "could not read", not "broken".
class BlockSource {
 public:
  virtual ~BlockSource() = default;
  // "data dir /var/lib/x", "node 127.0.0.1:7050": for messages.
  virtual std::string Describe() const = 0;
  virtual Result<SourceHead> Head() = 0;
  virtual Result<v1::Block> GetBlock(uint64_t height) = 0;
  // The stable checkpoint certificates the source stores with height >= from_height, in height
  // order, at most `limit`. Default: none (the source does not expose them).
  virtual Result<std::vector<v1::CheckpointCertificate>> Checkpoints(uint64_t from_height,
                                                                     uint32_t limit) {
    (void)from_height;
    (void)limit;
    return std::vector<v1::CheckpointCertificate>();
  }
  // The results digest recorded at `height` (DESIGN §5), to compare with a checkpoint there.
  // Asked only of a source that returns checkpoints. Default: INTERNAL (not recorded).
  virtual Result<Bytes> ResultsAt(uint64_t height) {
    return Status::Internal(Describe() + " records no results digest at height " +
                            std::to_string(height));
  }
};

// The verdict on a chain. When `ok` is false, `bad_height` is the first height that does not
// verify and `problem` says what is wrong there.
struct VerifyReport {
  bool ok = true;
  uint64_t blocks = 0;  // blocks verified
  uint64_t events = 0;  // events in them
  // Checkpoint certificates verified against the chain, and those above the source's head
  // (their signatures verified, but no block to compare with: a node that was catching up).
  uint64_t checkpoints = 0;
  uint64_t checkpoints_above_head = 0;
  Bytes head_hash;  // hash of the last verified block (the genesis hash if none)
  uint64_t bad_height = 0;
  std::string problem;
};

class ChainVerifier {
 public:
  explicit ChainVerifier(std::shared_ptr<const model::Genesis> genesis);

  // Called after each verified block with (height, head height).
  using Progress = std::function<void(uint64_t height, uint64_t head)>;

  // Verifies blocks 1..head of `source`. Returns a report (ok or naming the first bad
  // height); a non-OK Status only when the source could not be read at all (unreachable,
  // I/O error) or belongs to another chain (FAILED_PRECONDITION naming both genesis hashes).
  Result<VerifyReport> Verify(BlockSource& source, const Progress& progress = {}) const;

  // Checks one block that must sit at `height` after a block with hash `prev_hash` and time
  // `prev_time_ms` (the genesis hash and 0 for height 1). INVALID_ARGUMENT saying what is
  // wrong otherwise.
  Status CheckBlock(const v1::Block& block, uint64_t height, ByteView prev_hash,
                    int64_t prev_time_ms) const;

  // Checks a stored checkpoint certificate: quorum of valid CHECKPOINT signatures (or the
  // genesis certificate), and the block hash and results digest it certifies equal
  // `block_hash` and `results`, the chain's at its height. INVALID_ARGUMENT saying what is
  // wrong otherwise.
  Status CheckCheckpoint(const v1::CheckpointCertificate& certificate, ByteView block_hash,
                         ByteView results) const;

  const model::Genesis& genesis() const { return *genesis_; }

 private:
  Status CheckEvents(const v1::Block& block) const;

  std::shared_ptr<const model::Genesis> genesis_;
  model::EventValidator validator_;
};

}  // namespace shipledger::cli
