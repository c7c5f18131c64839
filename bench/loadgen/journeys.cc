#include "loadgen/journeys.h"

#include <atomic>
#include <mutex>
#include <thread>

#include "cli/event_builder.h"

namespace shipledger::loadgen {

namespace {

Step Make(const std::string& signer, const std::string& id, v1::EventType type,
          const std::string& location) {
  Step s;
  s.signer = signer;
  s.event.set_shipment_id(id);
  s.event.set_type(type);
  s.event.set_location(location);
  return s;
}

void Ref(Step& s, const std::string& kind, const std::string& value) {
  v1::Reference* r = s.event.add_references();
  r->set_kind(kind);
  r->set_value(value);
}

void Detail(Step& s, const std::string& key, const std::string& value) {
  v1::Detail* d = s.event.add_details();
  d->set_key(key);
  d->set_value(value);
}

// A batch of eight readings a minute apart, as a logger sends them; batch `index` of a shipment
// follows batch index - 1 (contract rules v2 refuse readings older than the last one).
void SensorBatch(Step& s, int seed, int index) {
  constexpr int64_t kFirstReadingMs = 1'700'000'000'000;
  for (int i = 0; i < 8; ++i) {
    v1::SensorReading* r = s.event.add_readings();
    r->set_time_ms(kFirstReadingMs + (int64_t{index} * 8 + i) * 60'000);
    r->set_value_milli(4200 + ((seed + i) % 3) * 1000);
    r->set_unit("C");
    r->set_device_id("dl-" + std::to_string(seed % 97));
  }
  Detail(s, "device", "datalogger-" + std::to_string(seed % 997));
}

}  // namespace

std::vector<Step> Journey(const Parties& p, const std::string& id) {
  using T = v1::EventType;
  std::vector<Step> j;
  Step booked = Make(p.exporter, id, T::EVENT_TYPE_BOOKED, "CNSHA");
  for (const std::string& org : {p.forwarder, p.customs, p.importer}) {
    booked.event.add_parties(org);
  }
  Ref(booked, "booking", "BK-" + id);
  Ref(booked, "purchase_order", "PO-" + id);
  Detail(booked, "goods", "machine parts, 12 crates");
  Detail(booked, "incoterm", "FOB Shanghai");
  Detail(booked, "gross_weight_kg", "4820");
  j.push_back(std::move(booked));
  j.push_back(Make(p.exporter, id, T::EVENT_TYPE_PICKUP, "CNSHA"));
  Step declared = Make(p.exporter, id, T::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, "CNSHA");
  Ref(declared, "customs_declaration", "EXD-" + id);
  j.push_back(std::move(declared));
  j.push_back(Make(p.customs, id, T::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, "CNSHA"));
  Step handover = Make(p.exporter, id, T::EVENT_TYPE_HANDOVER, "CNSHA");
  handover.cosigner = p.forwarder;
  j.push_back(std::move(handover));
  Step loaded = Make(p.forwarder, id, T::EVENT_TYPE_LOADED, "CNSHA");
  Ref(loaded, "container", "MSCU" + id.substr(id.size() > 7 ? id.size() - 7 : 0));
  Ref(loaded, "bill_of_lading", "BL-" + id);
  j.push_back(std::move(loaded));
  Step departed = Make(p.forwarder, id, T::EVENT_TYPE_DEPARTED, "CNSHA");
  Detail(departed, "vessel", "MSC ANNA");
  Detail(departed, "voyage", "AE7-442W");
  j.push_back(std::move(departed));
  Step sensors = Make(p.forwarder, id, T::EVENT_TYPE_SENSOR_READINGS, "EGSUZ");
  SensorBatch(sensors, static_cast<int>(std::hash<std::string>{}(id) % 1000), 0);
  j.push_back(std::move(sensors));
  j.push_back(Make(p.forwarder, id, T::EVENT_TYPE_ARRIVED, "DEHAM"));
  Step imported = Make(p.importer, id, T::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED, "DEHAM");
  Ref(imported, "customs_declaration", "IMD-" + id);
  j.push_back(std::move(imported));
  j.push_back(Make(p.customs, id, T::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED, "DEHAM"));
  j.push_back(Make(p.forwarder, id, T::EVENT_TYPE_OUT_FOR_DELIVERY, "DEHAM"));
  Step delivered = Make(p.forwarder, id, T::EVENT_TYPE_DELIVERED, "DEHAM");
  Detail(delivered, "received_by", "goods-in dock 3");
  j.push_back(std::move(delivered));
  return j;
}

std::vector<Step> LongHistory(const Parties& p, const std::string& id, int events) {
  std::vector<Step> j;
  Step booked = Make(p.exporter, id, v1::EVENT_TYPE_BOOKED, "CNSHA");
  booked.event.add_parties(p.importer);
  Ref(booked, "booking", "BK-" + id);
  j.push_back(std::move(booked));
  j.push_back(Make(p.exporter, id, v1::EVENT_TYPE_PICKUP, "CNSHA"));
  for (int i = 2; i < events; ++i) {
    Step s = Make(p.exporter, id, v1::EVENT_TYPE_SENSOR_READINGS, "CNSHA");
    SensorBatch(s, i, i);
    j.push_back(std::move(s));
  }
  return j;
}

Result<std::map<std::string, config::Identity>> LoadParties(const std::string& network_dir,
                                                            const Parties& parties) {
  std::map<std::string, config::Identity> out;
  for (const std::string& org :
       {parties.exporter, parties.forwarder, parties.customs, parties.importer}) {
    if (out.count(org) != 0) continue;
    auto id = config::LoadIdentity(network_dir + "/" + org + "/clients/admin");
    if (!id.ok()) return id.status();
    out.emplace(org, std::move(id).value());
  }
  return out;
}

Result<std::vector<std::vector<v1::SignedEvent>>> PreSign(
    const std::vector<std::vector<Step>>& journeys, const std::string& chain_id,
    const std::map<std::string, config::Identity>& identities, int64_t now_ms, int threads) {
  std::vector<std::vector<v1::SignedEvent>> out(journeys.size());
  std::atomic<size_t> next{0};
  std::mutex mu;
  Status first_error = Status::Ok();
  auto work = [&] {
    for (size_t s = next++; s < journeys.size(); s = next++) {
      out[s].reserve(journeys[s].size());
      for (size_t k = 0; k < journeys[s].size(); ++k) {
        const Step& step = journeys[s][k];
        v1::Event event = step.event;
        std::vector<config::Identity> cosigners;
        if (!step.cosigner.empty()) cosigners.push_back(identities.at(step.cosigner));
        const config::Identity& signer = identities.at(step.signer);
        Status s1 =
            cli::FillEvent(&event, chain_id, signer, cosigners, now_ms + static_cast<int64_t>(k));
        auto signed_event =
            s1.ok() ? cli::SignEvent(event, signer, cosigners) : Result<v1::SignedEvent>(s1);
        if (!signed_event.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          if (first_error.ok()) first_error = signed_event.status();
          return;
        }
        out[s].push_back(std::move(signed_event).value());
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < std::max(1, threads); ++t) pool.emplace_back(work);
  for (std::thread& t : pool) t.join();
  if (!first_error.ok()) return first_error;
  return out;
}

}  // namespace shipledger::loadgen
