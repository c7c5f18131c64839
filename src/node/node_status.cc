// Node::NodeStatus: what AdminService.GetNodeStatus reports (DESIGN §8): the core's view of
// consensus (a snapshot taken on the consensus thread after each step), the stored head, and per
// peer the transport's link state and the gate's rejections.
#include <string_view>

#include "node/node.h"

namespace shipledger::node {

namespace {
constexpr std::string_view kVersion = "0.1.0";
}  // namespace

v1::NodeStatus Node::NodeStatus() const {
  v1::NodeStatus out;
  consensus::ReplicaStatus rs;
  {
    std::lock_guard<std::mutex> lock(status_mu_);
    rs = status_;
  }
  const storage::ChainHead head = store_->head();
  out.set_chain_id(genesis_->chain_id);
  out.set_replica_id(config_.replica_id);
  out.set_organisation(identity_->org());
  out.set_view(rs.view);
  out.set_primary(rs.primary);
  out.set_is_primary(rs.is_primary);
  out.set_height(head.height);
  out.set_head_hash(head.block_hash);
  out.set_mempool_events(rs.mempool_events);
  out.set_mempool_capacity(rs.mempool_capacity);
  // One node certifies each block itself; with PBFT a checkpoint is stable once 2f+1 agree.
  out.set_stable_checkpoint(pbft_ != nullptr ? rs.stable_checkpoint : head.height);
  out.set_lag(rs.highest_known_height > head.height ? rs.highest_known_height - head.height : 0);
  out.set_uptime_ms(clock_.NowMs() - started_ms_);
  out.set_version(std::string(kVersion));
  out.set_nodes(genesis_->n());
  out.set_events_committed(head.event_count);
  out.set_watchers(server_ ? server_->watchers() : 0);
  return out;
}

}  // namespace shipledger::node
