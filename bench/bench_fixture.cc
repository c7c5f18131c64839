#include "bench_fixture.h"

#include <algorithm>
#include <utility>

#include "cli/event_builder.h"
#include "crypto/sha256.h"
#include "model/block.h"

namespace shipledger::bench {

namespace {

struct Step {
  const char* org;
  v1::EventType type;
  const char* cosigner;  // nullptr: none
};

// Journey steps before and after the sensor readings a long journey adds in transit.
constexpr Step kOutbound[] = {
    {"exporter", v1::EVENT_TYPE_BOOKED, nullptr},
    {"exporter", v1::EVENT_TYPE_PICKUP, nullptr},
    {"exporter", v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, nullptr},
    {"customs", v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, nullptr},
    {"exporter", v1::EVENT_TYPE_HANDOVER, "forwarder"},
    {"forwarder", v1::EVENT_TYPE_LOADED, nullptr},
    {"forwarder", v1::EVENT_TYPE_DEPARTED, nullptr},
};
constexpr Step kSensorReadings = {"forwarder", v1::EVENT_TYPE_SENSOR_READINGS, nullptr};
constexpr Step kInbound[] = {
    {"forwarder", v1::EVENT_TYPE_ARRIVED, nullptr},
    {"customs", v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, nullptr},
    {"customs", v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED, nullptr},
    {"forwarder", v1::EVENT_TYPE_OUT_FOR_DELIVERY, nullptr},
    {"forwarder", v1::EVENT_TYPE_DELIVERED, nullptr},
};
constexpr int kOutboundSteps = static_cast<int>(std::size(kOutbound));
static_assert(kOutboundSteps + std::size(kInbound) == kJourneyEvents);

const Step& StepOf(int step, int journey_events) {
  SHIPLEDGER_CHECK(journey_events >= kJourneyEvents && step >= 0 && step < journey_events);
  const int sensor_readings = journey_events - kJourneyEvents;
  if (step < kOutboundSteps) return kOutbound[step];
  if (step < kOutboundSteps + sensor_readings) return kSensorReadings;
  return kInbound[step - kOutboundSteps - sensor_readings];
}

// A number of `digits` digits derived from the shipment id, for realistic reference values.
std::string DigitsOf(const std::string& shipment, char salt, size_t digits) {
  const Bytes h = crypto::Sha256({shipment, std::string(1, salt)});
  std::string out;
  for (size_t i = 0; i < digits; ++i) out.push_back(static_cast<char>('0' + h[i] % 10));
  return out;
}

}  // namespace

BenchNetwork::BenchNetwork(const Options& options)
    : net_(testing::TestNetwork::Create(testing::TestNetwork::DefaultOrgs(), /*nodes=*/4)),
      validator_(net_->genesis()) {
  net_->SetContractRules({{1, options.rules}});
  net_->SetLimits(options.limits);
}

model::ValidateOptions BenchNetwork::AdmissionOptions() const {
  model::ValidateOptions options;
  options.cert_time_ms = now_ms();
  options.clock_now_ms = now_ms();
  return options;
}

v1::Event BenchNetwork::JourneyEvent(const std::string& shipment, int step,
                                     int journey_events) const {
  const Step& s = StepOf(step, journey_events);
  const bool import_side = step >= journey_events - static_cast<int>(std::size(kInbound));
  cli::EventFlags flags;
  flags.shipment_id = shipment;
  flags.type = model::EventTypeName(s.type);
  flags.location = import_side ? "NLRTM" : "CNSHA";
  flags.references = {"booking=BK-" + shipment,
                      "bill_of_lading=MEDUSH" + DigitsOf(shipment, 'b', 7),
                      "container=MSCU" + DigitsOf(shipment, 'c', 7),
                      "purchase_order=PO-4500" + DigitsOf(shipment, 'p', 6),
                      "seal=ML-" + DigitsOf(shipment, 's', 7)};
  flags.details = {"carrier=MSC Mediterranean Shipping Company",
                   "vessel=MSC GULSUN",
                   "voyage=FE245W",
                   "incoterms=FOB Shanghai",
                   "cargo=40ft HC reefer, 1120 cartons frozen shrimp, HS 0306.17",
                   "gross_weight_kg=18250.5"};
  if (s.type == v1::EVENT_TYPE_SENSOR_READINGS) {
    flags.details.push_back("logger=TT4-" + DigitsOf(shipment, 'l', 5));
  } else {
    flags.details.push_back("remarks=received in apparent good order and condition, seal intact");
  }
  if (s.type == v1::EVENT_TYPE_BOOKED) flags.parties = {"forwarder", "customs", "importer"};
  v1::Event event = Must(cli::EventFromFlags(flags));
  // Documents come only from `event submit --file` JSON; the hashes are of the files.
  for (const char* kind : {"commercial_invoice", "packing_list"}) {
    v1::DocumentHash* doc = event.add_documents();
    doc->set_kind(kind);
    doc->set_sha256(crypto::Sha256({shipment, kind}));
  }
  // Steps a minute apart, the last one now: occurred_at stays in admission's clock window.
  const int64_t occurred_at_ms = now_ms() - int64_t{60'000} * (journey_events - 1 - step);
  if (s.type == v1::EVENT_TYPE_SENSOR_READINGS) {
    // A reefer logger's batch: twelve readings five seconds apart, ending when the step occurs
    // (steps are a minute apart, so the batches of one journey follow each other).
    constexpr int64_t kMilliC[] = {-18200, -18100, -18300, -18000, -17900, -18100,
                                   -18200, -18400, -18200, -18100, -18000, -18200};
    for (size_t i = 0; i < std::size(kMilliC); ++i) {
      v1::SensorReading* r = event.add_readings();
      r->set_time_ms(occurred_at_ms - int64_t{5'000} * static_cast<int64_t>(11 - i));
      r->set_value_milli(kMilliC[i]);
      r->set_unit("C");
      r->set_device_id("TT4-" + DigitsOf(shipment, 'l', 5));
    }
  }
  std::vector<config::Identity> cosigners;
  if (s.cosigner != nullptr) cosigners.push_back(Client(s.cosigner));
  const Status filled =
      cli::FillEvent(&event, genesis()->chain_id, Client(s.org), cosigners, occurred_at_ms);
  SHIPLEDGER_CHECK_MSG(filled.ok(), filled.ToString().c_str());
  return event;
}

v1::SignedEvent BenchNetwork::Sign(const v1::Event& event) const {
  std::vector<config::Identity> cosigners;
  for (const std::string& org : event.cosigner_orgs()) cosigners.push_back(Client(org));
  return Must(cli::SignEvent(event, Client(event.signer_org()), cosigners));
}

model::EventPtr BenchNetwork::Admitted(const v1::SignedEvent& signed_event) const {
  return Must(validator_.Parse(signed_event));
}

v1::Block BenchNetwork::NextBlock(const storage::ChainHead& head,
                                  const std::vector<model::EventPtr>& events) const {
  v1::Block block;
  v1::Proposal* p = block.mutable_proposal();
  p->set_chain_id(genesis()->chain_id);
  p->set_height(head.height + 1);
  p->set_events_root(model::EventsRoot(events));
  p->set_proposer(0);
  p->set_timestamp_ms(std::max(now_ms(), head.block_time_ms + 1));
  p->set_event_count(static_cast<uint32_t>(events.size()));
  const Bytes digest = model::ProposalDigest(*p);
  v1::CommitCertificate* cert = block.mutable_certificate();
  cert->set_view(0);
  for (uint32_t replica = 0; replica < 3; ++replica) {
    v1::CommitVote* vote = cert->add_votes();
    vote->set_replica(replica);
    vote->set_signature(Must(net_->node(replica).key.Sign(model::VoteMessage(
        genesis()->chain_id, model::VoteType::kCommit, 0, p->height(), digest))));
  }
  block.set_prev_block_hash(head.block_hash);
  block.set_block_hash(model::BlockHash(digest, head.block_hash));
  for (const auto& e : events) *block.add_events() = e->signed_event;
  return block;
}

JourneyStream::JourneyStream(const BenchNetwork& net, Options options)
    : net_(net), options_(std::move(options)) {
  SHIPLEDGER_CHECK(options_.in_flight > 0);
  SHIPLEDGER_CHECK(options_.long_shipments == 0 || options_.long_every > 0);
  for (int i = 0; i < options_.in_flight; ++i) in_flight_.push_back(Journey{next_shipment_++, 0});
}

std::string JourneyStream::LongShipment(int j) const {
  return options_.prefix + "-L" + std::to_string(j);
}

v1::SignedEvent JourneyStream::Next() {
  ++emitted_;
  const uint64_t long_events = uint64_t{kLongJourneyEvents} * options_.long_shipments;
  if (options_.long_shipments > 0 && emitted_ % options_.long_every == 0 &&
      long_emitted_ < long_events) {
    const uint64_t n = long_emitted_++;
    const int j = static_cast<int>(n % options_.long_shipments);
    const int step = static_cast<int>(n / options_.long_shipments);
    return net_.Sign(net_.JourneyEvent(LongShipment(j), step, kLongJourneyEvents));
  }
  Journey& journey = in_flight_[turn_];
  turn_ = (turn_ + 1) % in_flight_.size();
  const std::string shipment = options_.prefix + "-" + std::to_string(journey.shipment);
  v1::SignedEvent out = net_.Sign(net_.JourneyEvent(shipment, journey.step, kJourneyEvents));
  if (++journey.step == kJourneyEvents) journey = Journey{next_shipment_++, 0};
  return out;
}

std::vector<v1::SignedEvent> JourneyStream::Next(size_t count) {
  std::vector<v1::SignedEvent> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) out.push_back(Next());
  return out;
}

namespace {

void CheckAllValid(const model::BlockEffects& effects) {
  for (const v1::Receipt& r : effects.receipts) {
    SHIPLEDGER_CHECK_MSG(r.code() == v1::RESULT_CODE_VALID, r.reason().c_str());
  }
}

std::vector<model::EventPtr> AdmitAll(const BenchNetwork& net,
                                      const std::vector<v1::SignedEvent>& signed_events) {
  std::vector<model::EventPtr> events;
  events.reserve(signed_events.size());
  for (const auto& se : signed_events) events.push_back(net.Admitted(se));
  return events;
}

}  // namespace

ExecutedBlock ExecuteNextBlock(const BenchNetwork& net, const storage::Store& store,
                               const std::vector<v1::SignedEvent>& signed_events) {
  ExecutedBlock out;
  out.events = AdmitAll(net, signed_events);
  const storage::ChainHead head = store.head();
  out.block = net.NextBlock(head, out.events);
  out.executed = contracts::Execute(
      out.events, store, contracts::ContextOf(*net.genesis(), out.block.proposal()), head.results);
  CheckAllValid(out.executed.effects);
  return out;
}

void Commit(storage::Store& store, const ExecutedBlock& block) {
  const Status s =
      store.CommitBlock(block.block, block.events, block.executed.effects, block.executed.results);
  SHIPLEDGER_CHECK_MSG(s.ok(), s.ToString().c_str());
}

void CommitNextBlock(const BenchNetwork& net, storage::Store& store,
                     const std::vector<v1::SignedEvent>& signed_events) {
  const std::vector<model::EventPtr> events = AdmitAll(net, signed_events);
  const v1::Block block = net.NextBlock(store.head(), events);
  auto committed = contracts::CommitBlock(*net.genesis(), block, events, store);
  SHIPLEDGER_CHECK_MSG(committed.ok(), committed.status().ToString().c_str());
  CheckAllValid(committed->effects);
}

}  // namespace shipledger::bench
