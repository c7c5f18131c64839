#include "sim/world.h"

#include <iostream>

#include "model/block.h"

namespace shipledger::sim {

namespace {

std::vector<std::pair<std::string, model::Role>> Orgs(uint32_t n) {
  auto orgs = testing::TestNetwork::DefaultOrgs();
  const std::vector<std::pair<std::string, model::Role>> more = {
      {"carrier", model::Role::kCarrier},
      {"inspector", model::Role::kInspector},
      {"forwarder2", model::Role::kForwarder},
      {"importer2", model::Role::kImporter}};
  for (size_t i = 0; orgs.size() < n && i < more.size(); ++i) orgs.push_back(more[i]);
  return orgs;
}

// Small consensus parameters so that views, checkpoints and windows turn over quickly, and a
// small per-message event limit so that forwards and relays must respect it.
void SetSimParams(model::Genesis* g) {
  g->limits.max_batch_events = 8;
  model::ConsensusParams* c = &g->consensus;
  c->batch_max_events = 10;
  c->batch_timeout_ms = 20;
  c->window = 4;
  c->checkpoint_interval = 4;
  c->view_timeout_ms = 500;
  c->clock_skew_ms = 1000;
}

}  // namespace

std::string RunStats::ToString() const {
  return "sim " + std::to_string(sim_ms) + " ms, " + std::to_string(events) + " queue events, " +
         std::to_string(messages) + " frames (" + std::to_string(delivered) + " delivered, " +
         std::to_string(gate_rejections) + " rejected by gates), height " + std::to_string(height) +
         ", max view " + std::to_string(max_view) + ", " + std::to_string(duplicates) +
         " duplicate copies, " + std::to_string(correct_frames) + " frames from correct nodes (" +
         std::to_string(new_views_sent) + " NEW-VIEW), " + std::to_string(inbox_dropped) +
         " dropped by inboxes, " + std::to_string(mixed_view_new_views) +
         " NEW-VIEWs with certificates going back in time, " + std::to_string(shipments) +
         " shipments booked with " + std::to_string(recorded_after_booking) +
         " events recorded after booking; " + latency.ToString();
}

std::string RunResult::Summary() const {
  const std::string head = "seed " + std::to_string(seed) + " profile " +
                           ProfileName(plan.profile) + " n=" + std::to_string(plan.n);
  const std::string vs = baseline ? "; without the attack: " + baseline->ToString() : "";
  if (failures.empty()) return head + ": ok (" + stats.ToString() + vs + ")";
  std::string s;
  for (const auto& f : failures) {
    s += head + ": FAILED " + f.checker + " at " + std::to_string(f.at_ms) + " ms: " + f.detail +
         "\n";
  }
  return s + "  plan: " + plan.ToString() + "\n  stats: " + stats.ToString() + vs +
         "\n  reproduce: sim_runner --seed " + std::to_string(seed) + " --profile " +
         ProfileName(plan.profile) + " --n " + std::to_string(plan.n) + " --verbose";
}

World::World(uint64_t seed, Plan plan, bool verbose)
    : seed_(seed),
      plan_(std::move(plan)),
      verbose_(verbose),
      net_rng_(seed * 0x9e3779b97f4a7c15ULL + 1),
      node_rng_(seed * 0x9e3779b97f4a7c15ULL + 2),
      client_rng_(seed * 0x9e3779b97f4a7c15ULL + 3),
      model_(plan_.base_link) {
  network_ = testing::TestNetwork::Create(Orgs(plan_.n), static_cast<int>(plan_.n));
  genesis_ = std::make_shared<model::Genesis>(*network_->genesis());
  SetSimParams(genesis_.get());
  start_ = now_ = network_->now_ms();

  const uint32_t slots = plan_.slots();
  std::set<uint32_t> correct;
  std::vector<uint32_t> replica_of(slots);
  slots_of_.resize(plan_.n);
  for (uint32_t s = 0; s < slots; ++s) {
    replica_of[s] = s < plan_.n ? s : plan_.byzantine_replica;
    slots_of_[replica_of[s]].push_back(s);
    if (plan_.KindOf(replica_of[s]) == ByzantineKind::kNone) correct.insert(s);
  }
  checkers_ = std::make_unique<Checkers>(genesis_, correct);
  clients_.resize(slots);
  for (uint32_t s = 0; s < slots; ++s) {
    const uint32_t r = replica_of[s];
    NodeConfig nc;
    nc.slot = s;
    nc.replica = r;
    nc.correct = correct.contains(s);
    nc.clock_offset_ms = Uniform(node_rng_, -plan_.clock_skew_max_ms, plan_.clock_skew_max_ms);
    nc.disk_delay_max_ms = plan_.disk_delay_max_ms;
    nc.inbox = plan_.inbox;
    nc.attack = plan_.attack;
    consensus::PbftOptions& o = nc.options;
    o = consensus::PbftOptions::FromGenesis(*genesis_, r, 1000);
    o.heartbeat_ms = 200;
    o.checkpoint_idle_ms = 1000;
    o.fetch_max_blocks = 8;
    o.fetch_timeout_ms = 500;
    std::unique_ptr<Byzantine> byz;
    if (!nc.correct) {
      byzantine_signers_.push_back(MakeKeySigner(network_->node(r).key));
      ByzantineContext ctx;
      ctx.genesis = genesis_;
      ctx.replica = r;
      ctx.signer = byzantine_signers_.back().get();
      ctx.rng = &node_rng_;
      ctx.censored_org = genesis_->replicas[plan_.censored_replica].org;
      ctx.flood_period_ms = plan_.flood_period_ms;
      ctx.flood_copies = plan_.flood_copies;
      byz = MakeByzantine(plan_.KindOf(r), ctx);
    }
    nodes_.push_back(
        std::make_unique<SimNode>(this, nc, genesis_, network_->node(r), std::move(byz)));
  }
}

World::~World() = default;

void World::Trace(const std::string& line) {
  std::cerr << "[" << elapsed() << "] " << line << "\n";
}

void World::At(int64_t at_ms, std::function<void()> fn) {
  queue_.push(Item{std::max(at_ms, now_), seq_++, std::move(fn)});
}

void World::Send(uint32_t from_slot, uint32_t to, std::shared_ptr<const std::string> frame,
                 uint64_t copies) {
  stats_.messages += copies;
  if (checkers_->is_correct(from_slot)) stats_.correct_frames += copies;
  if (to >= slots_of_.size()) return;
  std::vector<uint32_t> targets = slots_of_[to];
  if (targets.size() > 1 && plan_.twins_split) {
    const uint32_t from_replica = nodes_[from_slot]->config().replica;
    targets = {targets[from_replica % targets.size()]};
  }
  const uint64_t from_inc = nodes_[from_slot]->incarnation();
  for (uint32_t t : targets) {
    const uint64_t to_inc = nodes_[t]->incarnation();
    for (int64_t d : model_.Deliveries(from_slot, t, net_rng_)) {
      At(now_ + d, [this, from_slot, t, from_inc, to_inc, frame, copies] {
        // A crash of either end loses what was in flight.
        if (nodes_[from_slot]->incarnation() != from_inc) return;
        Deliver(from_slot, t, to_inc, frame, copies);
      });
    }
  }
}

void World::Deliver(uint32_t from_slot, uint32_t to_slot, uint64_t incarnation,
                    const std::shared_ptr<const std::string>& frame, uint64_t copies) {
  SimNode& to = *nodes_[to_slot];
  if (to.incarnation() != incarnation || !to.up()) return;
  if (!model_.Connected(from_slot, to_slot)) return;  // cut while in flight
  stats_.delivered += copies;
  to.Deliver(nodes_[from_slot]->config().replica, *frame, checkers_->is_correct(from_slot), copies);
}

void World::ApplyStep(const FaultStep& step) {
  if (verbose_) Trace("fault " + step.ToString());
  switch (step.kind) {
    case FaultStep::Kind::kLink:
      model_.set_options(step.link);
      break;
    case FaultStep::Kind::kPartition:
      model_.Partition(step.side);
      break;
    case FaultStep::Kind::kHealPartition:
      model_.Heal();
      break;
    case FaultStep::Kind::kCrash:
      if (nodes_[step.slot]->up()) nodes_[step.slot]->Crash();
      break;
    case FaultStep::Kind::kRestart:
      if (!nodes_[step.slot]->up()) {
        if (step.new_disk) {
          nodes_[step.slot]->WipeDisk();
          checkers_->DiskWiped(step.slot);
        }
        nodes_[step.slot]->Boot();
      }
      break;
  }
}

void World::Heal() {
  if (verbose_) Trace("heal");
  model_.Heal();
  model_.set_options(plan_.base_link);
  for (auto& n : nodes_) {
    if (!n->up()) n->Boot();
  }
}

void World::GenerateEvent(uint32_t slot, uint32_t k) {
  const std::string& org = genesis_->replicas[nodes_[slot]->config().replica].org;
  // Events name eight shipments in turn. An exporter's event books its shipment (VALID the first
  // time, REJECTED once taken); the others' record an exception on it, VALID when ordered after
  // a booking and REJECTED before: receipts and contract state that depend on the order, on
  // which every correct replica must agree.
  const model::Organisation* o = genesis_->FindOrganisation(org);
  const bool books = o != nullptr && o->role == model::Role::kExporter;
  v1::Event e = network_->NewEvent(org, books ? v1::EVENT_TYPE_BOOKED : v1::EVENT_TYPE_EXCEPTION,
                                   "sim-" + std::to_string(seed_) + "-" + std::to_string(k % 8));
  if (books) {
    for (const model::Organisation& party : genesis_->organisations) {
      if (party.id != org) e.add_parties(party.id);
    }
  }
  e.set_occurred_at_ms(now_);
  v1::SignedEvent se = network_->Sign(e, network_->org(org).client);
  Bytes id = model::EventId(se.event());
  checkers_->Generated(slot, id, elapsed());
  if (verbose_) Trace("client of slot " + std::to_string(slot) + " generates " + Short(id));
  Status s = nodes_[slot]->Submit(se);
  if (!s.ok() && s.code() != Code::kUnavailable && s.code() != Code::kResourceExhausted &&
      s.code() != Code::kAlreadyExists) {
    checkers_->Fail("client",
                    "slot " + std::to_string(slot) + " refused a valid event: " + s.ToString(),
                    elapsed());
  }
  clients_[slot].push_back(ClientEvent{std::move(se), std::move(id), now_});
}

void World::RetryClients() {
  for (uint32_t s = 0; s < nodes_.size(); ++s) {
    SimNode& node = *nodes_[s];
    if (!node.up()) continue;
    for (const auto& ce : clients_[s]) {
      if (now_ - ce.generated_ms < 3000 || node.HasStored(ce.id)) continue;
      (void)node.Submit(ce.event);  // ALREADY_EXISTS while pending is fine
    }
  }
  At(now_ + 1000, [this] { RetryClients(); });
}

void World::Probe() {
  // A correct node whose results differ from a stable checkpoint: execution diverged.
  for (const auto& n : nodes_) {
    auto st = n->status();
    if (st && n->config().correct && st->diverged_height != 0) {
      checkers_->Fail("divergence",
                      "slot " + std::to_string(n->config().slot) +
                          " reports results diverging at h" + std::to_string(st->diverged_height),
                      elapsed());
      return;
    }
  }
  if (elapsed() >= plan_.heal_ms && elapsed() >= plan_.submit_until_ms &&
      checkers_->LivenessSatisfied()) {
    if (verbose_) Trace("liveness satisfied");
    done_ = true;
    return;
  }
  At(now_ + 100, [this] { Probe(); });
}

RunResult World::Run() {
  if (verbose_) Trace("seed " + std::to_string(seed_) + ": " + plan_.ToString());
  for (auto& n : nodes_) {
    SimNode* node = n.get();
    At(start_, [node] { node->Boot(); });
  }
  for (const auto& step : plan_.steps) {
    At(start_ + step.at_ms, [this, step] { ApplyStep(step); });
  }
  At(start_ + plan_.heal_ms, [this] { Heal(); });
  for (uint32_t k = 0; k < plan_.events; ++k) {
    const int64_t t = Uniform(client_rng_, 50, plan_.submit_until_ms);
    const auto slot = static_cast<uint32_t>(Uniform(client_rng_, 0, plan_.slots() - 1));
    At(start_ + t, [this, slot, k] { GenerateEvent(slot, k); });
  }
  At(start_ + 1000, [this] { RetryClients(); });
  At(start_ + 100, [this] { Probe(); });
  const int64_t deadline =
      start_ + std::max(plan_.heal_ms, plan_.submit_until_ms) + plan_.liveness_bound_ms;
  At(deadline, [this] {
    if (!checkers_->LivenessSatisfied()) checkers_->FailLiveness(elapsed());
    done_ = true;
  });
  while (!done_ && !queue_.empty()) {
    Item item = queue_.top();
    queue_.pop();
    now_ = item.at;
    item.fn();
    ++stats_.events;
    if (!checkers_->failures().empty()) break;
  }
  RunResult r;
  r.seed = seed_;
  r.plan = plan_;
  r.failures = checkers_->failures();
  stats_.sim_ms = elapsed();
  stats_.height = checkers_->max_height();
  stats_.duplicates = checkers_->duplicates();
  stats_.latency = checkers_->CommitLatency();
  for (const auto& n : nodes_) {
    stats_.gate_rejections += n->gate_rejections();
    if (n->config().correct) {
      stats_.new_views_sent += n->new_views_sent();
      stats_.mixed_view_new_views += n->mixed_view_new_views();
      for (uint32_t from = 0; from < plan_.n; ++from) {
        stats_.inbox_dropped += n->inbox_counts(from).dropped;
      }
    }
    if (auto st = n->status(); st && n->config().correct) {
      stats_.max_view = std::max(stats_.max_view, st->view);
    }
  }
  const SimNode* highest = nullptr;
  for (const auto& n : nodes_) {
    if (n->config().correct &&
        (highest == nullptr || n->disk().chain.size() > highest->disk().chain.size())) {
      highest = n.get();
    }
  }
  if (highest != nullptr) {
    for (const auto& [id, state] : highest->disk().state.states()) {
      ++stats_.shipments;
      stats_.recorded_after_booking += state.event_count() - 1;
    }
  }
  if (!r.failures.empty()) {
    // Where every node stands, for the diagnosis.
    std::string where;
    for (const auto& n : nodes_) {
      where += "\n  slot " + std::to_string(n->config().slot) + " r" +
               std::to_string(n->config().replica) + (n->config().correct ? "" : " (byzantine)") +
               ": stored h" + std::to_string(n->disk().chain.size());
      if (auto st = n->status()) {
        where +=
            " view " + std::to_string(st->view) + (st->view_changing ? " (changing)" : "") +
            " ordered h" + std::to_string(st->ordered_height) + " stable h" +
            std::to_string(st->stable_checkpoint) + " mempool " +
            std::to_string(st->mempool_events) + " known h" +
            std::to_string(st->highest_known_height) +
            (st->diverged_height ? " DIVERGED at h" + std::to_string(st->diverged_height) : "");
      } else {
        where += " (down)";
      }
    }
    r.failures.back().detail += where;
  }
  r.stats = stats_;
  return r;
}

}  // namespace shipledger::sim
