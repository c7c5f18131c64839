#include "sim/describe.h"

#include "model/block.h"
#include "sim/checkers.h"

namespace shipledger::sim {

namespace {
std::string Vote(const char* name, const v1::Vote& v) {
  return std::string(name) + " v" + std::to_string(v.view()) + " h" + std::to_string(v.height()) +
         " d=" + Short(v.digest()) + " r" + std::to_string(v.replica());
}
std::string Proposal(const v1::Proposal& p) {
  return "h" + std::to_string(p.height()) + " d=" + Short(model::ProposalDigest(p)) + " n=" +
         std::to_string(p.event_count()) + " t=" + std::to_string(p.timestamp_ms());
}
}  // namespace

std::string Describe(const v1::PeerMessage& m) {
  switch (m.body_case()) {
    case v1::PeerMessage::kPrePrepare:
      return "pre-prepare v" + std::to_string(m.pre_prepare().view()) + " " +
             Proposal(m.pre_prepare().proposal()) + " r" +
             std::to_string(m.pre_prepare().replica());
    case v1::PeerMessage::kPrepare: return Vote("prepare", m.prepare());
    case v1::PeerMessage::kCommit: return Vote("commit", m.commit());
    case v1::PeerMessage::kCheckpoint:
      return "checkpoint h" + std::to_string(m.checkpoint().height()) +
             " b=" + Short(m.checkpoint().block_hash()) + " res=" + Short(m.checkpoint().results()) +
             " r" + std::to_string(m.checkpoint().replica());
    case v1::PeerMessage::kViewChange: {
      std::string s = "view-change nv" + std::to_string(m.view_change().new_view()) + " stable h" +
                      std::to_string(m.view_change().stable().height()) + " prepared[";
      for (const auto& pc : m.view_change().prepared()) {
        s += " v" + std::to_string(pc.view()) + ":" + Proposal(pc.proposal());
      }
      return s + " ] r" + std::to_string(m.view_change().replica());
    }
    case v1::PeerMessage::kNewView: {
      std::string s = "new-view v" + std::to_string(m.new_view().view()) + " vcs=" +
                      std::to_string(m.new_view().view_changes_size()) + " pps[";
      for (const auto& pp : m.new_view().pre_prepares()) s += " " + Proposal(pp.proposal());
      return s + " ] r" + std::to_string(m.new_view().replica());
    }
    case v1::PeerMessage::kForward:
      return "forward " + std::to_string(m.forward().events_size()) + " events";
    case v1::PeerMessage::kFetchBlocks:
      return "fetch-blocks from h" + std::to_string(m.fetch_blocks().from_height()) + " max " +
             std::to_string(m.fetch_blocks().max_blocks());
    case v1::PeerMessage::kBlocks: {
      const auto& b = m.blocks();
      std::string s = "blocks " + std::to_string(b.blocks_size());
      if (b.blocks_size() > 0) {
        s += " h" + std::to_string(b.blocks(0).proposal().height()) + "..h" +
             std::to_string(b.blocks(b.blocks_size() - 1).proposal().height());
      }
      return s + " stable h" + std::to_string(b.stable().height());
    }
    case v1::PeerMessage::kHeartbeat:
      return "heartbeat v" + std::to_string(m.heartbeat().view()) + " committed h" +
             std::to_string(m.heartbeat().committed_height()) + " stable h" +
             std::to_string(m.heartbeat().stable_height());
    case v1::PeerMessage::BODY_NOT_SET: return "empty";
  }
  return "?";
}

}  // namespace shipledger::sim
