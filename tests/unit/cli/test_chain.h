// Builds valid committed blocks for CLI tests: proposals over a TestNetwork's genesis, hash
// links, and commit certificates signed with replica 0's node key.
#pragma once

#include <vector>

#include "crypto/ecdsa.h"
#include "shipledger/v1/types.pb.h"
#include "testing/test_network.h"

namespace shipledger::cli::test {

class TestChain {
 public:
  explicit TestChain(const testing::TestNetwork& net) : net_(net) {}

  // Block time of `height`: one second per height after the network's clock.
  int64_t BlockTime(uint64_t height) const {
    return net_.now_ms() + static_cast<int64_t>(height) * 1000;
  }
  // The next valid block carrying `events`; it is appended to blocks().
  const v1::Block& Append(const std::vector<v1::SignedEvent>& events);
  // A certificate with one COMMIT vote (view 0) over `p` by `key` as `replica`.
  static v1::CommitCertificate Certify(const v1::Proposal& p, const crypto::PrivateKey& key,
                                       uint32_t replica = 0);
  // Re-derives the block hash and certificate of `block` after a test changed its proposal or
  // prev hash, so that only the intended defect remains.
  void Reseal(v1::Block* block) const;

  std::vector<v1::Block>& blocks() { return blocks_; }

 private:
  const testing::TestNetwork& net_;
  std::vector<v1::Block> blocks_;
};

}  // namespace shipledger::cli::test
