// Shared fixture of the MessageGate tests (message_gate_test.cc, message_gate_view_test.cc): a
// four-replica test network, a gate for replica 0, and builders of correctly signed messages
// that a test then breaks.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "consensus/message_gate.h"
#include "crypto/merkle.h"
#include "crypto/sha256.h"
#include "model/block.h"
#include "model/votes.h"
#include "testing/peer_messages.h"
#include "testing/test_network.h"

namespace shipledger::consensus {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kHourMs = 3600LL * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

// OK iff `r` failed with `code` and a message containing `substr`.
template <typename T>
::testing::AssertionResult Rejected(const Result<T>& r, Code code, std::string_view substr) {
  if (r.ok()) {
    return ::testing::AssertionFailure()
           << "admitted; expected " << CodeName(code) << " with '" << substr << "'";
  }
  if (r.status().code() != code || r.status().message().find(substr) == std::string::npos) {
    return ::testing::AssertionFailure() << "got " << r.status().ToString() << "; expected "
                                         << CodeName(code) << " with '" << substr << "'";
  }
  return ::testing::AssertionSuccess();
}

template <typename T>
::testing::AssertionResult Admitted(const Result<T>& r) {
  if (r.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << r.status().ToString();
}

template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) ADD_FAILURE() << r.status().ToString();
  return std::move(r).value();
}

class GateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = testing::TestNetwork::Create(testing::TestNetwork::DefaultOrgs(), 4);
    genesis_ = net_->genesis();
    validator_ = std::make_unique<model::EventValidator>(genesis_);
    gate_ = std::make_unique<MessageGate>(genesis_, validator_.get(), 0);
  }

  // Rebuilds the gate (and its validator) over a copy of the genesis changed by `edit`.
  void EditGenesis(const std::function<void(model::Genesis&)>& edit) {
    auto g = std::make_shared<model::Genesis>(*net_->genesis());
    edit(*g);
    genesis_ = g;
    validator_ = std::make_unique<model::EventValidator>(genesis_);
    gate_ = std::make_unique<MessageGate>(genesis_, validator_.get(), 0);
  }

  int64_t now() const { return net_->now_ms(); }
  const std::string& chain() const { return genesis_->chain_id; }

  Result<InboundMessage> Admit(uint32_t from, const v1::PeerMessage& m) const {
    return gate_->Admit(from, m.SerializeAsString(), now());
  }

  Bytes SignAs(uint32_t replica, const Bytes& message) const {
    return msgs().SignAs(replica, message);
  }
  testing::PeerMessages msgs() const {
    return testing::PeerMessages(chain(), genesis_->hash, 4, [this](uint32_t r, const Bytes& m) {
      return Must(net_->node(r).key.Sign(m));
    });
  }

  // `count` distinct bookings by the exporter's admin, occurring now.
  std::vector<v1::SignedEvent> Events(int count) const {
    std::vector<v1::SignedEvent> out;
    for (int i = 0; i < count; ++i) {
      out.push_back(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "SHP-" + std::to_string(i)));
    }
    return out;
  }

  // A client of `org` whose certificate is valid in [not_before, not_after].
  config::Identity Client(const std::string& org, int64_t not_before_ms,
                          int64_t not_after_ms) const {
    const auto& o = net_->org(org);
    crypto::IssueOptions opts;
    opts.kind = crypto::CertKind::kClient;
    opts.organization = org;
    opts.common_name = "temp";
    opts.not_before_ms = not_before_ms;
    opts.not_after_ms = not_after_ms;
    static std::atomic<uint64_t> serial{5000};
    opts.serial = serial++;
    auto key = Must(crypto::PrivateKey::Generate());
    return config::Identity{
        Must(crypto::IssueCertificate(o.ca_cert, o.ca_key, key.public_key(), opts)), key};
  }

  v1::Proposal Proposal(uint64_t height, const std::vector<v1::SignedEvent>& events,
                        uint32_t proposer = 1) const {
    return msgs().Proposal(height, events, proposer, now());
  }
  v1::Vote Vote(model::VoteType type, uint32_t replica, uint64_t view, uint64_t height,
                const Bytes& digest) const {
    return msgs().Vote(type, replica, view, height, digest);
  }
  void SignPrePrepare(v1::PrePrepare* pp) const { msgs().SignPrePrepare(pp); }
  v1::PrePrepare PrePrepare(uint64_t view, const v1::Proposal& proposal,
                            const std::vector<v1::SignedEvent>& events) const {
    return msgs().PrePrepare(view, proposal, events);
  }
  v1::PrePrepare PrePrepare(uint64_t view, uint64_t height,
                            const std::vector<v1::SignedEvent>& events) const {
    return PrePrepare(view, Proposal(height, events), events);
  }

  // A checkpoint certificate at `height` signed by `replicas`; height 0 is the genesis. The
  // block hash and results default to stand-ins.
  v1::CheckpointCertificate Stable(uint64_t height,
                                   const std::vector<uint32_t>& replicas = {0, 1, 2},
                                   const Bytes& block_hash = {}) const {
    return msgs().Stable(
        height, block_hash.empty() ? crypto::Sha256("block " + std::to_string(height)) : block_hash,
        crypto::Sha256("results " + std::to_string(height)), replicas);
  }
  v1::PreparedCertificate Prepared(uint64_t view, const v1::Proposal& proposal,
                                   const std::vector<v1::SignedEvent>& events,
                                   const std::vector<uint32_t>& voters = {1, 2, 3}) const {
    return msgs().Prepared(view, proposal, events, voters);
  }
  void SignViewChange(v1::ViewChange* vc) const { msgs().SignViewChange(vc); }
  v1::ViewChange ViewChange(uint32_t replica, uint64_t new_view,
                            const v1::CheckpointCertificate& stable,
                            const std::vector<v1::PreparedCertificate>& prepared = {}) const {
    return msgs().ViewChange(replica, new_view, stable, prepared);
  }
  // A committed block at `height` after `prev_hash`, certified in view 0 by `voters`.
  v1::Block Block(uint64_t height, const Bytes& prev_hash,
                  const std::vector<v1::SignedEvent>& events,
                  const std::vector<uint32_t>& voters = {0, 1, 2}) const {
    return msgs().Block(height, prev_hash, events, now(), voters);
  }

  // `count` chained blocks from height 1, two events each.
  std::vector<v1::Block> Chain(int count) const {
    std::vector<v1::Block> out;
    Bytes prev = genesis_->hash;
    for (int i = 0; i < count; ++i) {
      out.push_back(Block(static_cast<uint64_t>(i + 1), prev, Events(2)));
      prev = out.back().block_hash();
    }
    return out;
  }

  static v1::PeerMessage Wrap(const v1::PrePrepare& pp) {
    v1::PeerMessage m;
    *m.mutable_pre_prepare() = pp;
    return m;
  }
  static v1::PeerMessage WrapPrepare(const v1::Vote& v) {
    v1::PeerMessage m;
    *m.mutable_prepare() = v;
    return m;
  }
  static v1::PeerMessage WrapCommit(const v1::Vote& v) {
    v1::PeerMessage m;
    *m.mutable_commit() = v;
    return m;
  }
  static v1::PeerMessage Wrap(const v1::ViewChange& vc) {
    v1::PeerMessage m;
    *m.mutable_view_change() = vc;
    return m;
  }
  static v1::PeerMessage Wrap(const v1::NewView& nv) {
    v1::PeerMessage m;
    *m.mutable_new_view() = nv;
    return m;
  }
  static v1::PeerMessage Wrap(const std::vector<v1::Block>& blocks,
                              const v1::CheckpointCertificate* stable = nullptr) {
    v1::PeerMessage m;
    m.mutable_blocks();  // set even when empty
    for (const auto& b : blocks) *m.mutable_blocks()->add_blocks() = b;
    if (stable != nullptr) *m.mutable_blocks()->mutable_stable() = *stable;
    return m;
  }
  static v1::PeerMessage Forward(const std::vector<v1::SignedEvent>& events) {
    v1::PeerMessage m;
    for (const auto& e : events) *m.mutable_forward()->add_events() = e;
    return m;
  }

  std::unique_ptr<testing::TestNetwork> net_;
  std::shared_ptr<const model::Genesis> genesis_;
  std::unique_ptr<model::EventValidator> validator_;
  std::unique_ptr<MessageGate> gate_;
};

}  // namespace
}  // namespace shipledger::consensus
