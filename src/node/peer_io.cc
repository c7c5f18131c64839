#include "node/peer_io.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "shipledger/log.h"
#include "shipledger/thread_name.h"

namespace shipledger::node {

using enum LogComponent;

namespace {

std::string Short(const std::string& bytes) { return ToHex(bytes).substr(0, 8); }

std::string DescribeVote(const char* kind, const v1::Vote& v) {
  return std::string(kind) + " v=" + std::to_string(v.view()) + " h=" + std::to_string(v.height()) +
         " d=" + Short(v.digest()) + " r=" + std::to_string(v.replica());
}

}  // namespace

std::string DescribePeerMessage(const v1::PeerMessage& m) {
  switch (m.body_case()) {
    case v1::PeerMessage::kPrePrepare: {
      const v1::PrePrepare& p = m.pre_prepare();
      return "pre_prepare v=" + std::to_string(p.view()) +
             " h=" + std::to_string(p.proposal().height()) +
             " events=" + std::to_string(p.proposal().event_count()) + "/" +
             std::to_string(p.events_size()) + " r=" + std::to_string(p.replica());
    }
    case v1::PeerMessage::kPrepare:
      return DescribeVote("prepare", m.prepare());
    case v1::PeerMessage::kCommit:
      return DescribeVote("commit", m.commit());
    case v1::PeerMessage::kCheckpoint:
      return "checkpoint h=" + std::to_string(m.checkpoint().height()) +
             " b=" + Short(m.checkpoint().block_hash()) +
             " r=" + std::to_string(m.checkpoint().replica());
    case v1::PeerMessage::kViewChange: {
      const v1::ViewChange& vc = m.view_change();
      std::string prepared;
      for (const auto& pc : vc.prepared()) {
        prepared += " " + std::to_string(pc.proposal().height()) + "@" + std::to_string(pc.view());
      }
      return "view_change new_view=" + std::to_string(vc.new_view()) +
             " stable=" + std::to_string(vc.stable().height()) + " prepared=[" + prepared +
             " ] r=" + std::to_string(vc.replica());
    }
    case v1::PeerMessage::kNewView: {
      const v1::NewView& nv = m.new_view();
      std::string heights;
      for (const auto& pp : nv.pre_prepares()) {
        heights += " " + std::to_string(pp.proposal().height()) + "(" +
                   std::to_string(pp.proposal().event_count()) + ")";
      }
      return "new_view v=" + std::to_string(nv.view()) +
             " view_changes=" + std::to_string(nv.view_changes_size()) + " pre_prepares=[" +
             heights + " ] r=" + std::to_string(nv.replica());
    }
    case v1::PeerMessage::kForward:
      return "forward events=" + std::to_string(m.forward().events_size());
    case v1::PeerMessage::kFetchBlocks:
      return "fetch_blocks from=" + std::to_string(m.fetch_blocks().from_height()) +
             " max=" + std::to_string(m.fetch_blocks().max_blocks());
    case v1::PeerMessage::kBlocks: {
      const v1::Blocks& b = m.blocks();
      const uint64_t first = b.blocks_size() > 0 ? b.blocks(0).proposal().height() : 0;
      return "blocks n=" + std::to_string(b.blocks_size()) + " first=" + std::to_string(first) +
             " stable=" + std::to_string(b.stable().height());
    }
    case v1::PeerMessage::kHeartbeat:
      return "heartbeat v=" + std::to_string(m.heartbeat().view()) +
             " committed=" + std::to_string(m.heartbeat().committed_height()) +
             " stable=" + std::to_string(m.heartbeat().stable_height());
    case v1::PeerMessage::BODY_NOT_SET:
      break;
  }
  return "empty message";
}

PeerIo::PeerIo(std::shared_ptr<const model::Genesis> genesis, uint32_t self_replica_id,
               const config::Identity& identity, const consensus::MessageGate* gate,
               const storage::Store* store, const Clock& clock, PeerIoOptions options,
               Deliver deliver)
    : genesis_(std::move(genesis)),
      self_(self_replica_id),
      gate_(gate),
      store_(store),
      clock_(clock),
      options_(options),
      deliver_(std::move(deliver)) {
  counters_.resize(genesis_->n());
  for (auto& c : counters_) c = std::make_unique<PeerCounters>();
  if (options_.transport.clock == nullptr) options_.transport.clock = &clock_;
  transport_ = std::make_unique<net::Transport>(
      io_, genesis_, self_, identity.cert, identity.key, options_.transport,
      [this](uint32_t from, std::string payload) { OnFrame(from, std::move(payload)); });
}

PeerIo::~PeerIo() { Stop(); }

Status PeerIo::Start(const std::string& listen) {
  SL_RETURN_IF_ERROR(transport_->Listen(listen).WithContext("peer_listen " + listen));
  transport_->Start();
  thread_ = std::thread([this] {
    SetThreadName("sl-peers");
    // Transport handlers catch their own exceptions (net::CatchAll); this is the last resort
    // for anything else, so that one bad handler cannot end the process through the thread.
    for (;;) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        Log(kNet).error("peer thread: unexpected exception: {}", e.what());
      } catch (...) {
        Log(kNet).error("peer thread: unexpected exception");
      }
    }
  });
  return Status::Ok();
}

void PeerIo::Stop() {
  if (stopped_) return;
  stopped_ = true;
  // Transport::Stop waits for the peer thread to close everything (or runs it here when the
  // thread never started); afterwards no handler of ours is called.
  transport_->Stop();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

bool PeerIo::SkipForward(uint32_t to, const v1::PeerMessage& message) const {
  if (message.body_case() != v1::PeerMessage::kForward || to >= counters_.size() || to == self_) {
    return false;
  }
  const net::Transport::PeerStats link = transport_->stats(to);
  if (link.connected_out || link.connected_in) return false;  // either link carries it
  counters_[to]->forwards_skipped.fetch_add(1);
  return true;
}

void PeerIo::Send(uint32_t to, const v1::PeerMessage& message) {
  if (SkipForward(to, message)) return;
  transport_->Send(to, message.SerializeAsString());
}

void PeerIo::Broadcast(const v1::PeerMessage& message) {
  if (message.body_case() != v1::PeerMessage::kForward) {
    transport_->Broadcast(message.SerializeAsString());
    return;
  }
  const std::string payload = message.SerializeAsString();
  for (uint32_t to = 0; to < counters_.size(); ++to) {
    if (to != self_ && !SkipForward(to, message)) transport_->Send(to, payload);
  }
}

PeerIo::PeerReport PeerIo::Report(uint32_t replica) const {
  PeerReport r;
  if (replica >= counters_.size() || replica == self_) return r;
  const net::Transport::PeerStats s = transport_->stats(replica);
  r.connected_out = s.connected_out;
  r.connected_in = s.connected_in;
  r.connected = s.connected_out || s.connected_in;  // one link carries both directions
  r.frames_sent = s.frames_sent;
  r.frames_received = s.frames_received;
  r.frames_dropped = s.frames_dropped;
  r.protocol_errors = s.protocol_errors;
  r.reconnects = s.reconnects;
  r.bad_messages = counters_[replica]->bad_messages.load();
  r.forwards_skipped = counters_[replica]->forwards_skipped.load();
  return r;
}

void PeerIo::SetPeerEndpoint(uint32_t replica, std::string host_port) {
  transport_->SetPeerEndpoint(replica, std::move(host_port));
}

uint64_t PeerIo::handshake_failures() const { return transport_->handshake_failures(); }
uint16_t PeerIo::port() const { return transport_->port(); }

void PeerIo::OnFrame(uint32_t from, std::string payload) {
  if (from >= counters_.size() || from == self_) return;  // the transport authenticated it
  Result<consensus::InboundMessage> admitted = gate_->Admit(from, payload, clock_.NowMs());
  if (!admitted.ok()) {
    CountBadMessage(from, admitted.status());
    return;
  }
  if (admitted->message.has_fetch_blocks()) {
    if (Log(kConsensus).should_log(spdlog::level::debug)) {
      Log(kConsensus)
          .debug("<- {}: {} (answered from the store)", from,
                 DescribePeerMessage(admitted->message));
    }
    AnswerFetch(from, admitted->message.fetch_blocks());
    return;
  }
  deliver_(std::move(admitted).value());
}

void PeerIo::AnswerFetch(uint32_t from, const v1::FetchBlocks& fetch) {
  const uint32_t max_blocks = std::min(fetch.max_blocks(), options_.max_fetch_blocks);
  v1::PeerMessage answer;
  v1::Blocks* blocks = answer.mutable_blocks();
  if (max_blocks > 0 && fetch.from_height() > 0) {
    auto got = store_->GetBlocks(fetch.from_height(), max_blocks, options_.max_fetch_bytes);
    if (!got.ok()) {
      Log(kConsensus)
          .warn("state transfer: cannot read blocks from height {} for replica {}: {}",
                fetch.from_height(), from, got.status().ToString());
      return;
    }
    for (v1::Block& b : *got) *blocks->add_blocks() = std::move(b);
  }
  auto stable = store_->LatestCheckpoint();
  if (!stable.ok()) {
    Log(kConsensus)
        .warn("state transfer: cannot read the latest checkpoint for replica {}: {}", from,
              stable.status().ToString());
    return;
  }
  // Height 0 is the genesis, which needs no certificate.
  if (stable->height() > 0) *blocks->mutable_stable() = std::move(stable).value();
  Send(from, answer);
}

void PeerIo::CountBadMessage(uint32_t from, const Status& why) {
  PeerCounters& c = *counters_[from];
  const uint64_t total = c.bad_messages.fetch_add(1) + 1;
  const int64_t now_ms = clock_.NowMs();
  int64_t last = c.last_logged_ms.load();
  if (now_ms - last < options_.bad_message_log_interval_ms ||
      !c.last_logged_ms.compare_exchange_strong(last, now_ms)) {
    c.unlogged.fetch_add(1);
    return;
  }
  const uint64_t suppressed = c.unlogged.exchange(0);
  Log(kNet).warn(
      "dropped a message from replica {}: {} ({} rejected in all, {} since the last line)", from,
      why.ToString(), total, suppressed);
}

}  // namespace shipledger::node
