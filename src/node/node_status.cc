// Node::NodeStatus: what AdminService.GetNodeStatus reports (DESIGN §8): the core's view of
// consensus (a snapshot taken on the consensus thread after each step), the stored head, and per
// peer what it last reported, the transport's link state and counters and the gate's
// rejections.
#include <algorithm>
#include <string_view>

#include "node/node.h"
#include "node/node_metrics.h"

namespace shipledger::node {

void SetFloodCounters(const PeerInbox::PeerCounts& inbox, const consensus::PeerState& core,
                      v1::PeerStatus* out) {
  out->set_frames_over_share(inbox.dropped);
  out->set_heartbeats_coalesced(inbox.heartbeats_coalesced);
  out->set_resends_suppressed(core.resends_suppressed);
}

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
  out.set_stable_checkpoint(rs.stable_checkpoint);
  // A node counts its own head among the heights it knows, so lag never wraps.
  const uint64_t highest_known = std::max(rs.highest_known_height, head.height);
  out.set_highest_known_height(highest_known);
  out.set_lag(highest_known - head.height);
  out.set_view_changing(rs.view_changing);
  out.set_diverged_height(rs.diverged_height);
  const int64_t now_ms = clock_.NowMs();
  for (const consensus::PeerState& peer : rs.peers) {
    v1::PeerStatus* p = out.add_peers();
    p->set_replica(peer.replica);
    const model::Replica* replica = genesis_->FindReplica(peer.replica);
    if (replica != nullptr) p->set_organisation(replica->org);
    p->set_height(peer.committed_height);
    p->set_view(peer.view);
    p->set_last_heard_ms_ago(
        peer.last_heard_ms == 0 ? -1 : std::max<int64_t>(0, now_ms - peer.last_heard_ms));
    SetFloodCounters(inbox_ ? inbox_->counts(peer.replica) : PeerInbox::PeerCounts{}, peer, p);
    if (peer_io_) {
      const PeerIo::PeerReport link = peer_io_->Report(peer.replica);
      p->set_connected_out(link.connected_out);
      p->set_connected_in(link.connected_in);
      p->set_frames_dropped(link.frames_dropped);
      p->set_protocol_errors(link.protocol_errors);
      p->set_bad_messages(link.bad_messages);
    }
  }
  out.set_uptime_ms(now_ms - started_ms_);
  out.set_version(std::string(kBuildVersion));
  out.set_nodes(genesis_->n());
  out.set_events_committed(head.event_count);
  out.set_watchers(server_ ? server_->watchers() : 0);
  if (server_) {
    for (const auto& [org, streams] : server_->watchers_by_org()) {
      v1::WatcherCount* count = out.add_watchers_by_org();
      count->set_organisation(org);
      count->set_streams(streams);
    }
    out.set_watchers_evicted(server_->watchers_evicted());
  }
  return out;
}

}  // namespace shipledger::node
