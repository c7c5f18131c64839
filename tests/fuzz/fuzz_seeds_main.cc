// shipledger_fuzz_seeds: writes the seed corpora of the fuzz targets, validly signed under the
// committed test network (fuzz_network.h), into CORPUS_DIR/<target>/seed-<name>.
// Usage: shipledger_fuzz_seeds [--init] CORPUS_DIR
//   --init  first writes the test network itself (NetworkDir(); fails if it exists). Done once;
//           the network is committed, and a new one invalidates every signed seed.
// The seeds are small on purpose: one or two of each message kind, so that mutations start from
// messages that pass the signature checks and reach the rules behind them.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/network.h"
#include "config/node_config.h"
#include "consensus/message_gate.h"
#include "crypto/merkle.h"
#include "crypto/sha256.h"
#include "fuzz/fuzz_network.h"
#include "model/block.h"
#include "model/disclosure.h"
#include "model/event.h"
#include "model/proof.h"
#include "model/validation.h"
#include "model/votes.h"
#include "net/frame.h"
#include "shipledger/clock.h"
#include "shipledger/v1/ledger.pb.h"
#include "testing/peer_messages.h"

namespace shipledger::fuzz {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// Writes the network: genesis.yaml and, per organisation, the node and admin identities. The
// CA keys and node.yaml files are not needed by the targets and are removed.
Status InitFuzzNetwork(const std::string& dir) {
  config::InitOptions options;
  options.out_dir = dir;
  SL_ASSIGN_OR_RETURN(options.orgs, config::ParseOrgSpecs("exporter:exporter,forwarder:forwarder,"
                                                          "customs:customs,importer:importer"));
  options.chain_id = "shipledger-fuzz";
  options.validity_days = 3650;
  ManualClock clock(kFuzzNowMs - kDayMs);
  SL_RETURN_IF_ERROR(config::InitNetwork(options, clock));
  std::error_code ec;
  for (const auto& org : {"exporter", "forwarder", "customs", "importer"}) {
    fs::remove_all(fs::path(dir) / org / "ca", ec);
    fs::remove(fs::path(dir) / org / "node" / "node.yaml", ec);
  }
  return Status::Ok();
}

class Seeds {
 public:
  explicit Seeds(const FuzzNetwork& net)
      : net_(net),
        chain_(net.genesis->chain_id),
        msgs_(chain_, net.genesis->hash, 4, [&net](uint32_t replica, const Bytes& message) {
          return Must(net.nodes.at(replica).key.Sign(message));
        }) {}
  const std::string& chain() const { return chain_; }

  // `count` distinct bookings by the exporter's admin, occurring at kFuzzNowMs.
  std::vector<v1::SignedEvent> Events(int count) {
    std::vector<v1::SignedEvent> out;
    for (int i = 0; i < count; ++i) {
      v1::Event e;
      e.set_chain_id(chain_);
      e.set_shipment_id("SHP-" + std::to_string(next_));
      e.set_type(v1::EVENT_TYPE_BOOKED);
      e.set_signer_org("exporter");
      e.set_occurred_at_ms(kFuzzNowMs);
      e.set_nonce(crypto::Sha256("nonce " + std::to_string(next_++)).substr(0, 16));
      out.push_back(Must(model::SignEvent(
          e, model::SigningKey{&net_.exporter_admin.cert, &net_.exporter_admin.key}, {})));
    }
    return out;
  }

  v1::Proposal Proposal(uint64_t height, const std::vector<v1::SignedEvent>& events,
                        uint32_t proposer) const {
    return msgs_.Proposal(height, events, proposer, kFuzzNowMs);
  }
  Bytes SignAs(uint32_t replica, const Bytes& message) const {
    return msgs_.SignAs(replica, message);
  }
  v1::Vote Vote(model::VoteType type, uint32_t replica, uint64_t view, uint64_t height,
                const Bytes& digest) const {
    return msgs_.Vote(type, replica, view, height, digest);
  }
  // A pre-prepare by the primary of `view` (view % 4).
  v1::PrePrepare PrePrepare(uint64_t view, const v1::Proposal& proposal,
                            const std::vector<v1::SignedEvent>& events) const {
    return msgs_.PrePrepare(view, proposal, events);
  }
  // A checkpoint certificate at `height` signed by replicas 0, 1, 2; height 0 is the genesis.
  // Its results are what Results(height) says.
  v1::CheckpointCertificate Stable(uint64_t height, const Bytes& block_hash) const {
    return msgs_.Stable(height, block_hash, Results(height), {0, 1, 2});
  }
  static Bytes Results(uint64_t height) { return ResultsAt(height); }
  v1::PreparedCertificate Prepared(uint64_t view, const v1::Proposal& proposal,
                                   const std::vector<v1::SignedEvent>& events) const {
    return msgs_.Prepared(view, proposal, events, {1, 2, 3});
  }
  v1::ViewChange ViewChange(uint32_t replica, uint64_t new_view,
                            const v1::CheckpointCertificate& stable,
                            const std::vector<v1::PreparedCertificate>& prepared = {}) const {
    return msgs_.ViewChange(replica, new_view, stable, prepared);
  }

  // `count` chained blocks from height 1, `events_per_block` events each, certified in view 0.
  std::vector<v1::Block> Chain(int count, int events_per_block) {
    std::vector<v1::Block> out;
    Bytes prev = net_.genesis->hash;
    for (int i = 0; i < count; ++i) {
      out.push_back(msgs_.Block(static_cast<uint64_t>(i + 1), prev, Events(events_per_block),
                                kFuzzNowMs, {0, 1, 2}));
      prev = out.back().block_hash();
    }
    return out;
  }

 private:
  template <typename T>
  static T Must(Result<T> r) {
    if (!r.ok()) {
      std::fprintf(stderr, "fuzz_seeds: %s\n", r.status().ToString().c_str());
      std::exit(1);
    }
    return std::move(r).value();
  }

  const FuzzNetwork& net_;
  const std::string chain_;
  const testing::PeerMessages msgs_;
  int next_ = 0;
};

void Write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream out(dir / ("seed-" + name), std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out) {
    std::fprintf(stderr, "fuzz_seeds: cannot write %s\n", (dir / name).c_str());
    std::exit(1);
  }
}

// A seed of a target whose input is sender byte ‖ message.
std::string From(uint32_t sender, const google::protobuf::MessageLite& message) {
  return std::string(1, static_cast<char>(sender)) + message.SerializeAsString();
}

void WritePeerMessages(Seeds& s, const fs::path& dir) {
  auto wrap = [](auto set) {
    v1::PeerMessage m;
    set(&m);
    return m;
  };
  const auto events = s.Events(2);
  const v1::Proposal p1 = s.Proposal(1, events, 0);
  const Bytes d1 = model::ProposalDigest(p1);
  const v1::PrePrepare pp = s.PrePrepare(0, p1, events);
  Write(dir, "pre_prepare",
        From(0, wrap([&](v1::PeerMessage* m) { *m->mutable_pre_prepare() = pp; })));
  Write(dir, "prepare", From(1, wrap([&](v1::PeerMessage* m) {
                               *m->mutable_prepare() =
                                   s.Vote(model::VoteType::kPrepare, 1, 0, 1, d1);
                             })));
  Write(dir, "commit", From(2, wrap([&](v1::PeerMessage* m) {
                              *m->mutable_commit() = s.Vote(model::VoteType::kCommit, 2, 0, 1, d1);
                            })));
  const auto chain = s.Chain(2, 1);
  Write(dir, "checkpoint",
        From(1, wrap([&](v1::PeerMessage* m) {
               v1::Checkpoint* c = m->mutable_checkpoint();
               c->set_height(2);
               c->set_block_hash(chain[1].block_hash());
               c->set_results(Seeds::Results(2));
               c->set_replica(1);
               c->set_signature(s.SignAs(
                   1, model::CheckpointMessage(s.chain(), 2, c->block_hash(), c->results())));
             })));
  const v1::CheckpointCertificate genesis = s.Stable(0, {});
  Write(dir, "view_change", From(2, wrap([&](v1::PeerMessage* m) {
                                   *m->mutable_view_change() =
                                       s.ViewChange(2, 1, genesis, {s.Prepared(0, p1, events)});
                                 })));
  Write(dir, "view_change_stable", From(0, wrap([&](v1::PeerMessage* m) {
                                          *m->mutable_view_change() = s.ViewChange(
                                              0, 2, s.Stable(2, chain[1].block_hash()));
                                        })));
  // NEW-VIEW for view 1 by replica 1: height 1 prepared in view 0 is re-proposed (stripped
  // certificate inside the view change), height 2 filled with an empty proposal.
  Write(dir, "new_view", From(1, wrap([&](v1::PeerMessage* m) {
                                v1::NewView* nv = m->mutable_new_view();
                                nv->set_view(1);
                                nv->set_replica(1);
                                *nv->add_view_changes() =
                                    s.ViewChange(0, 1, genesis, {s.Prepared(0, p1, {})});
                                *nv->add_view_changes() = s.ViewChange(2, 1, genesis);
                                *nv->add_view_changes() = s.ViewChange(3, 1, genesis);
                                *nv->add_pre_prepares() = s.PrePrepare(1, p1, events);
                              })));
  Write(dir, "new_view_empty", From(2, wrap([&](v1::PeerMessage* m) {
                                      v1::NewView* nv = m->mutable_new_view();
                                      nv->set_view(2);
                                      nv->set_replica(2);
                                      for (uint32_t r : {0u, 1u, 2u}) {
                                        *nv->add_view_changes() = s.ViewChange(r, 2, genesis);
                                      }
                                    })));
  Write(dir, "forward", From(0, wrap([&](v1::PeerMessage* m) {
                               for (const auto& e : s.Events(2))
                                 *m->mutable_forward()->add_events() = e;
                             })));
  Write(dir, "fetch_blocks", From(2, wrap([&](v1::PeerMessage* m) {
                                    m->mutable_fetch_blocks()->set_from_height(1);
                                    m->mutable_fetch_blocks()->set_max_blocks(8);
                                  })));
  Write(dir, "blocks", From(1, wrap([&](v1::PeerMessage* m) {
                              for (const auto& b : chain) *m->mutable_blocks()->add_blocks() = b;
                            })));
  Write(dir, "heartbeat", From(2, wrap([&](v1::PeerMessage* m) {
                                 m->mutable_heartbeat()->set_view(0);
                                 m->mutable_heartbeat()->set_committed_height(5);
                               })));
}

void WriteBlocks(Seeds& s, const fs::path& dir) {
  auto blocks = [](const std::vector<v1::Block>& chain, const v1::CheckpointCertificate* stable) {
    v1::Blocks b;
    for (const auto& block : chain) *b.add_blocks() = block;
    if (stable != nullptr) *b.mutable_stable() = *stable;
    return b;
  };
  const auto one = s.Chain(1, 2);
  Write(dir, "one_block", From(0, blocks(one, nullptr)));
  const auto three = s.Chain(3, 1);
  Write(dir, "three_blocks", From(1, blocks(three, nullptr)));
  const v1::CheckpointCertificate stable = s.Stable(3, three[2].block_hash());
  Write(dir, "three_blocks_stable", From(2, blocks(three, &stable)));
  Write(dir, "stable_only", From(1, blocks({}, &stable)));
  const auto empty = s.Chain(2, 0);
  Write(dir, "empty_blocks", From(0, blocks(empty, nullptr)));
}

// One record of a peer_sequence_fuzz input.
std::string Record(uint32_t sender, uint8_t advance_100ms, const v1::PeerMessage& message) {
  const std::string bytes = message.SerializeAsString();
  std::string out;
  out.push_back(static_cast<char>(sender));
  out.push_back(static_cast<char>(advance_100ms));
  out.push_back(static_cast<char>((bytes.size() >> 8) & 0xff));
  out.push_back(static_cast<char>(bytes.size() & 0xff));
  return out + bytes;
}

// The journal (journal_fuzz records: u16 length ‖ entry) that replica kSelf writes while it
// receives `records` (peer_sequence_fuzz input), played as peer_sequence_fuzz plays them.
std::string JournalOf(std::string_view records) {
  const FuzzNetwork& net = Network();
  model::EventValidator validator(net.genesis);
  consensus::MessageGate gate(net.genesis, &validator, kSelf);
  FreshReplica core(net, kFuzzNowMs);
  int64_t now_ms = kFuzzNowMs;
  std::string journal;
  auto play = [&](const consensus::Actions& actions) {
    for (const auto& a : actions) {
      if (const auto* p = std::get_if<consensus::Persist>(&a)) {
        const std::string bytes = p->entry.SerializeAsString();
        journal.push_back(static_cast<char>((bytes.size() >> 8) & 0xff));
        journal.push_back(static_cast<char>(bytes.size() & 0xff));
        journal += bytes;
      }
    }
  };
  while (records.size() >= 4) {
    const uint32_t from = SenderFromByte(static_cast<uint8_t>(records[0]), net.genesis->n());
    const int64_t advance_ms = 100 * static_cast<int64_t>(static_cast<uint8_t>(records[1]));
    const size_t length =
        (size_t{static_cast<uint8_t>(records[2])} << 8) | static_cast<uint8_t>(records[3]);
    records.remove_prefix(4);
    const std::string_view frame = records.substr(0, length);
    records.remove_prefix(frame.size());
    if (advance_ms > 0) {
      now_ms += advance_ms;
      play(core.replica->OnTick(now_ms));
    }
    auto admitted = gate.Admit(from, frame, now_ms);
    if (admitted.ok()) play(core.replica->OnPeerMessage(*admitted, now_ms));
  }
  return journal;
}

void WriteSequences(Seeds& s, const fs::path& dir, const fs::path& journal_dir) {
  const auto events = s.Events(2);
  const v1::Proposal p1 = s.Proposal(1, events, 0);
  const Bytes d1 = model::ProposalDigest(p1);
  v1::PeerMessage pp;
  *pp.mutable_pre_prepare() = s.PrePrepare(0, p1, events);
  auto vote = [&](bool commit, uint32_t r) {
    v1::PeerMessage m;
    *(commit ? m.mutable_commit() : m.mutable_prepare()) =
        s.Vote(commit ? model::VoteType::kCommit : model::VoteType::kPrepare, r, 0, 1, d1);
    return m;
  };
  // Normal case: height 1 pre-prepared, prepared, committed and ordered.
  std::string normal = Record(0, 0, pp);
  for (uint32_t r : {1u, 2u}) normal += Record(r, 0, vote(false, r));
  for (uint32_t r : {0u, 1u, 2u}) normal += Record(r, 1, vote(true, r));
  Write(dir, "normal_case", normal);
  Write(journal_dir, "normal_case", JournalOf(normal));

  // View change: height 1 prepared in view 0, then the primary falls silent; replicas 0 and 2
  // move to view 1 and its primary, replica 1, sends the NEW-VIEW re-proposing height 1.
  const v1::CheckpointCertificate genesis = s.Stable(0, {});
  std::string view_change = Record(0, 0, pp);
  for (uint32_t r : {1u, 2u}) view_change += Record(r, 0, vote(false, r));
  for (uint32_t r : {0u, 2u}) {
    v1::PeerMessage m;
    *m.mutable_view_change() = s.ViewChange(r, 1, genesis, {s.Prepared(0, p1, events)});
    view_change += Record(r, r == 0 ? 30 : 0, m);
  }
  v1::PeerMessage nv;
  nv.mutable_new_view()->set_view(1);
  nv.mutable_new_view()->set_replica(1);
  for (uint32_t r : {0u, 1u, 2u}) {
    *nv.mutable_new_view()->add_view_changes() =
        s.ViewChange(r, 1, genesis, {s.Prepared(0, p1, {})});
  }
  *nv.mutable_new_view()->add_pre_prepares() = s.PrePrepare(1, p1, events);
  view_change += Record(1, 0, nv);
  Write(dir, "view_change", view_change);
  Write(journal_dir, "view_change", JournalOf(view_change));
  // Waiting for the NEW-VIEW: the journal ends with this replica's own VIEW-CHANGE.
  Write(journal_dir, "view_changing",
        JournalOf(view_change.substr(0, view_change.size() - 4 - nv.SerializeAsString().size())));

  // State transfer: a heartbeat says replica 2 is ahead; its Blocks answer, then checkpoints.
  const auto chain = s.Chain(2, 1);
  v1::PeerMessage hb;
  hb.mutable_heartbeat()->set_committed_height(2);
  std::string transfer = Record(2, 0, hb);
  v1::PeerMessage blocks;
  for (const auto& b : chain) *blocks.mutable_blocks()->add_blocks() = b;
  transfer += Record(2, 20, blocks);
  for (uint32_t r : {0u, 1u, 2u}) {
    v1::PeerMessage m;
    v1::Checkpoint* c = m.mutable_checkpoint();
    c->set_height(2);
    c->set_block_hash(chain[1].block_hash());
    c->set_results(ResultsAt(2));
    c->set_replica(r);
    c->set_signature(
        s.SignAs(r, model::CheckpointMessage(s.chain(), 2, c->block_hash(), c->results())));
    transfer += Record(r, 0, m);
  }
  Write(dir, "state_transfer", transfer);
}

void WriteFrames(Seeds& s, const fs::path& dir) {
  // The stream comes first; FuzzedDataProvider takes the limit and piece sizes from the end.
  const std::string stream =
      net::EncodeFrame("") + net::EncodeFrame("hello") + net::EncodeFrame(s.Events(1)[0].event());
  Write(dir, "frames", stream + std::string("\x10\x20\x30\x00\x00\x10\x00\x01", 8));
  Write(dir, "over_limit", net::EncodeFrame(std::string(100, 'x')) + std::string("\x05\x01", 2));
  Write(dir, "partial",
        stream.substr(0, stream.size() - 3) + std::string("\x07\x00\x00\x01\x00", 5));
}

// client_events_fuzz: SubmitEvents requests of validly signed events.
void WriteClientEvents(Seeds& s, const fs::path& dir) {
  for (int count : {1, 3}) {
    v1::SubmitEventsRequest request;
    for (const auto& e : s.Events(count)) *request.add_events() = e;
    request.set_wait_for_commit(count == 1);
    Write(dir, "request-" + std::to_string(count), request.SerializeAsString());
  }
}

// proof_files_fuzz: a proof (uncertified) of the second event of a validly certified block, and
// a disclosure wrapping it. Byte 0 picks the decoder (even: proof, odd: disclosure).
void WriteProofFiles(Seeds& s, const fs::path& dir) {
  const v1::Block block = s.Chain(1, 2).front();
  model::EventProofParts parts;
  parts.genesis_hash = Network().genesis->hash;
  parts.block = block;
  parts.index = 1;
  for (int i = 0; i < block.events_size(); ++i) {
    v1::Receipt& r = parts.receipts.emplace_back();
    r.set_event_id(model::EventId(block.events(i).event()));
    r.set_height(1);
    r.set_index(static_cast<uint32_t>(i));
    r.set_code(v1::RESULT_CODE_VALID);
  }
  parts.contract_rules = Network().genesis->ContractRulesAt(1);
  const Bytes receipts_root = model::ReceiptsRoot(parts.receipts, parts.contract_rules);
  const Bytes state_writes(32, '\x11');
  parts.prev_results = Bytes(32, '\0');
  const Bytes results = model::ResultsDigest(parts.prev_results, receipts_root, state_writes);
  parts.results_chain.push_back(model::MakeResultsLink(1, model::ProposalDigest(block.proposal()),
                                                       receipts_root, state_writes, results));
  auto proof = model::BuildEventProof(parts);
  if (!proof.ok()) {
    std::fprintf(stderr, "fuzz_seeds: proof: %s\n", proof.status().ToString().c_str());
    std::exit(1);
  }
  Write(dir, "proof", std::string(1, '\0') + proof->SerializeAsString());
  v1::Disclosure disclosure;
  *disclosure.mutable_proof() = *proof;
  v1::DisclosedField* field = disclosure.add_fields();
  field->set_name("invoice_value");
  field->set_value("EUR-125000");
  field->set_salt(Bytes(32, '\x42'));
  Write(dir, "disclosure", std::string(1, '\1') + disclosure.SerializeAsString());
}

// genesis_yaml_fuzz: the network's own genesis.yaml.
void WriteGenesisYaml(const fs::path& dir) {
  std::ifstream in(fs::path(NetworkDir()) / "genesis.yaml", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.empty()) {
    std::fprintf(stderr, "fuzz_seeds: cannot read the network's genesis.yaml\n");
    std::exit(1);
  }
  Write(dir, "genesis", text);
}

// node_yaml_fuzz: a node.yaml naming every key node_config.cc reads, each with a valid value.
void WriteNodeYaml(const fs::path& dir) {
  Write(dir, "node",
        "replica_id: 2\n"
        "genesis: ../genesis.yaml\n"
        "grpc_listen: 127.0.0.1:7052\n"
        "peer_listen: \"[::1]:7152\"\n"
        "data_dir: data\n"
        "cert: cert.pem\n"
        "key: /etc/shipledger/key.pem\n"
        "mempool_capacity: 100000\n"
        "batch_timeout_ms: 50\n"
        "max_wait_ms: 30000\n"
        "max_watchers: 256\n"
        "max_watchers_per_org: 16\n"
        "watch_stall_ms: 10000\n"
        "log_level: info\n"
        "verify_threads: 0\n"
        "insecure_client_api: false\n"
        "tracking_listen: 0.0.0.0:8080\n"
        "tracking_rate_per_s: 10\n"
        "tracking_burst: 20\n"
        "tracking_max_connections_per_address: 8\n");
}

// Every signed seed must pass the gate, or mutations of it would stop at the signature checks.
// Returns false (and says which) when one does not.
bool CheckSeedsAdmitted(const fs::path& root) {
  const FuzzNetwork& net = Network();
  model::EventValidator validator(net.genesis);
  consensus::MessageGate gate(net.genesis, &validator, kSelf);
  bool ok = true;
  for (const char* target : {"peer_message_fuzz", "blocks_fuzz"}) {
    for (const auto& entry : fs::directory_iterator(root / target)) {
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      if (bytes.empty()) continue;
      std::string frame = bytes.substr(1);
      if (std::string(target) == "blocks_fuzz") {
        v1::PeerMessage m;
        m.mutable_blocks()->ParseFromString(frame);
        frame = m.SerializeAsString();
      }
      auto r = gate.Admit(SenderFromByte(static_cast<uint8_t>(bytes[0]), net.genesis->n()), frame,
                          kFuzzNowMs);
      if (!r.ok()) {
        std::fprintf(stderr, "fuzz_seeds: %s is rejected by the gate: %s\n", entry.path().c_str(),
                     r.status().ToString().c_str());
        ok = false;
      }
    }
  }
  return ok;
}

// The client seeds must pass what they are seeds of: admission, and the proof verifier.
bool CheckClientSeeds(const fs::path& root) {
  const FuzzNetwork& net = Network();
  model::EventValidator validator(net.genesis);
  model::ValidateOptions options;
  options.cert_time_ms = kFuzzNowMs;
  options.clock_now_ms = kFuzzNowMs;
  bool ok = true;
  const auto read = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  for (const auto& entry : fs::directory_iterator(root / "client_events_fuzz")) {
    v1::SubmitEventsRequest request;
    request.ParseFromString(read(entry.path()));
    for (const auto& e : request.events()) {
      if (auto r = validator.Validate(e, options); !r.ok()) {
        std::fprintf(stderr, "fuzz_seeds: %s: %s\n", entry.path().c_str(),
                     r.status().ToString().c_str());
        ok = false;
      }
    }
  }
  v1::EventProof proof;
  proof.ParseFromString(read(root / "proof_files_fuzz" / "seed-proof").substr(1));
  if (auto v = model::VerifyEventProof(net.genesis, proof); !v.ok()) {
    std::fprintf(stderr, "fuzz_seeds: the proof seed does not verify: %s\n",
                 v.status().ToString().c_str());
    ok = false;
  }
  return ok;
}

// The node.yaml seed must be accepted, or its mutations would explore only the refusals.
bool CheckNodeYamlSeed(const fs::path& root) {
  std::ifstream in(root / "node_yaml_fuzz" / "seed-node", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto config = config::ParseNodeConfig(text, "/fuzz/node/node.yaml");
  if (!config.ok()) {
    std::fprintf(stderr, "fuzz_seeds: the node.yaml seed is refused: %s\n",
                 config.status().ToString().c_str());
  }
  return config.ok();
}

int Main(int argc, char** argv) {
  bool init = false;
  std::string corpus;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--init") {
      init = true;
    } else {
      corpus = arg;
    }
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "usage: shipledger_fuzz_seeds [--init] CORPUS_DIR\n");
    return 2;
  }
  if (init) {
    const Status s = InitFuzzNetwork(NetworkDir());
    if (!s.ok()) {
      std::fprintf(stderr, "fuzz_seeds: %s\n", s.ToString().c_str());
      return 1;
    }
  }
  Seeds seeds(Network());
  const fs::path root(corpus);
  WriteFrames(seeds, root / "frame_fuzz");
  WritePeerMessages(seeds, root / "peer_message_fuzz");
  WriteBlocks(seeds, root / "blocks_fuzz");
  WriteSequences(seeds, root / "peer_sequence_fuzz", root / "journal_fuzz");
  WriteClientEvents(seeds, root / "client_events_fuzz");
  WriteProofFiles(seeds, root / "proof_files_fuzz");
  WriteGenesisYaml(root / "genesis_yaml_fuzz");
  WriteNodeYaml(root / "node_yaml_fuzz");
  std::printf("fuzz_seeds: wrote the seed corpora under %s\n", corpus.c_str());
  return CheckSeedsAdmitted(root) && CheckClientSeeds(root) && CheckNodeYamlSeed(root) ? 0 : 1;
}

}  // namespace
}  // namespace shipledger::fuzz

int main(int argc, char** argv) { return shipledger::fuzz::Main(argc, argv); }
