#include "gateway/event_index.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <limits>
#include <mutex>
#include <set>

#include "interop/dcsa_export.h"
#include "interop/epcis_export.h"
#include "interop/epcis_hash.h"
#include "interop/json_fields.h"
#include "model/units.h"

namespace shipledger::gateway {

namespace pb = google::protobuf;

namespace {

// Keys (one column family): "n" resume height; "s" next EPCIS position; "e"+pos an EPCIS event
// (a serialized google.protobuf.Struct); "h"+eventID its position; "l"+ledger event id its
// eventID ("" when it has none); "x"+field+'\0'+value+'\0'+pos an EPCIS index entry; "S", "D",
// "X" the same for DCSA events; "c"+shipment the booking's cold-chain terms; "j"+id a capture
// job; "d"+id a capture job's document until the job is done, "p"+id its place in the queue and
// "q"+place its id ("Q" the next place); "u"+id a subscription, "U"+id how far it was
// delivered.
std::string U64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

uint64_t ReadU64(std::string_view bytes) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < bytes.size(); ++i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  return v;
}

std::string IndexPrefix(char field, std::string_view value, char collection = 'x') {
  std::string key(1, collection);
  key += field;
  key += '\0';
  key += value;
  key += '\0';
  return key;
}

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::Ok();
  return Status::Unavailable("gateway index: " + std::string(what) + ": " + s.ToString());
}

}  // namespace

struct EventIndex::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::mutex jobs_mu;  // the job sequence ("Q") is read and advanced under it

  Result<std::optional<std::string>> Read(const std::string& key,
                                          const rocksdb::ReadOptions& options = {}) const {
    std::string value;
    const rocksdb::Status s = db->Get(options, key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    SL_RETURN_IF_ERROR(FromRocks(s, "read"));
    return std::optional<std::string>(std::move(value));
  }

  Result<std::optional<pb::Struct>> EventAt(char events, uint64_t position,
                                            const rocksdb::ReadOptions& options = {}) const {
    SL_ASSIGN_OR_RETURN(auto bytes, Read(std::string(1, events) + U64(position), options));
    if (!bytes) return std::optional<pb::Struct>();
    pb::Struct event;
    if (!event.ParseFromString(*bytes)) {
      return Status::DataLoss("gateway index: event at " + std::to_string(position) +
                              " does not parse");
    }
    return std::optional<pb::Struct>(std::move(event));
  }
};

EventIndex::EventIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventIndex::~EventIndex() = default;

Result<std::unique_ptr<EventIndex>> EventIndex::Open(const std::string& dir) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);
  rocksdb::DB* db = nullptr;
  const rocksdb::Status s = rocksdb::DB::Open(options, dir, &db);
  if (!s.ok()) {
    return Status::Unavailable("gateway index: cannot open " + dir + ": " + s.ToString());
  }
  auto impl = std::make_unique<Impl>();
  impl->db.reset(db);
  return std::unique_ptr<EventIndex>(new EventIndex(std::move(impl)));
}

Result<uint64_t> EventIndex::ResumeHeight() const {
  SL_ASSIGN_OR_RETURN(auto v, impl_->Read("n"));
  return v ? ReadU64(*v) : 0;
}

uint64_t EventIndex::Count() const {
  auto v = impl_->Read("s");
  return v.ok() && *v ? ReadU64(**v) - 1 : 0;
}

Result<bool> EventIndex::Add(const v1::WatchResponse& in, const v1::ShipmentState* state) {
  v1::TimelineEntry entry = in.entry();
  if (entry.block_time_ms() == 0) entry.set_block_time_ms(in.block_time_ms());
  if (entry.height() == 0) entry.set_height(in.height());
  const v1::Event& event = entry.event();
  rocksdb::WriteBatch batch;
  batch.Put("n", U64(in.height()));
  auto commit = [&](bool added) -> Result<bool> {
    SL_RETURN_IF_ERROR(FromRocks(impl_->db->Write(rocksdb::WriteOptions(), &batch), "write"));
    return added;
  };
  SL_ASSIGN_OR_RETURN(auto seen, impl_->Read("l" + entry.event_id()));
  if (seen || entry.receipt().code() != v1::RESULT_CODE_VALID) return commit(false);
  if (event.type() == v1::EVENT_TYPE_BOOKED && event.booking().has_cold_chain()) {
    batch.Put("c" + event.shipment_id(), event.booking().cold_chain().SerializeAsString());
  }

  // DCSA: every event with a DCSA form.
  const v1::ShipmentState none;
  if (auto dcsa = interop::DcsaEventOf(entry, state != nullptr ? *state : none); dcsa.ok()) {
    SL_ASSIGN_OR_RETURN(auto next, impl_->Read("S"));
    const std::string pos = U64(next ? ReadU64(*next) : 1);
    batch.Put("S", U64(ReadU64(pos) + 1));
    batch.Put("D" + pos, dcsa->SerializeAsString());
    for (const auto& [field, value] : DcsaIndexEntries(*dcsa)) {
      batch.Put(IndexPrefix(field, value, 'X') + pos, "");
    }
  } else if (dcsa.status().code() != Code::kFailedPrecondition) {
    return dcsa.status();
  }

  // EPCIS: an error declaration amends the event it declares; other events with an EPCIS form
  // are stored once per event hash ID.
  batch.Put("l" + entry.event_id(), "");
  if (event.type() == v1::EVENT_TYPE_ERROR_DECLARATION) {
    SL_RETURN_IF_ERROR(AmendDeclared(event, &batch));
    return commit(false);
  }
  std::optional<v1::ColdChainTerms> cold_chain;
  if (event.type() == v1::EVENT_TYPE_BOOKED && event.booking().has_cold_chain()) {
    cold_chain = event.booking().cold_chain();
  } else {
    SL_ASSIGN_OR_RETURN(auto terms, impl_->Read("c" + event.shipment_id()));
    if (terms) {
      cold_chain.emplace();
      if (!cold_chain->ParseFromString(*terms)) cold_chain.reset();
    }
  }
  auto form = interop::EpcisEventOf(event, cold_chain ? &*cold_chain : nullptr);
  if (!form.ok()) {
    if (form.status().code() != Code::kFailedPrecondition) return form.status();
    return commit(false);  // no EPCIS form
  }
  auto id = interop::EventHashId(*form, interop::ExportNamespaces());
  if (!id.ok()) return commit(false);  // not hashable: left out, as ExportEpcis does
  SL_ASSIGN_OR_RETURN(auto duplicate, impl_->Read("h" + *id));
  if (duplicate) return commit(false);  // the first with this id is the event (as ExportEpcis)
  (*form->mutable_fields())["eventID"].set_string_value(*id);
  (*form->mutable_fields())["recordTime"].set_string_value(
      interop::EpcisTime(entry.block_time_ms()));
  SL_ASSIGN_OR_RETURN(auto next, impl_->Read("s"));
  const uint64_t position = next ? ReadU64(*next) : 1;
  const std::string pos = U64(position);
  batch.Put("s", U64(position + 1));
  batch.Put("e" + pos, form->SerializeAsString());
  batch.Put("h" + *id, pos);
  batch.Put("l" + entry.event_id(), *id);
  for (const auto& [field, value] : EpcisIndexEntries(*form)) {
    batch.Put(IndexPrefix(field, value) + pos, "");
  }
  return commit(true);
}

Status EventIndex::AmendDeclared(const v1::Event& declaration, rocksdb::WriteBatch* batch) {
  SL_ASSIGN_OR_RETURN(auto target_id,
                      EventIdOfLedgerEvent(declaration.error_declaration().event_id()));
  if (!target_id || target_id->empty()) return Status::Ok();
  SL_ASSIGN_OR_RETURN(auto position, impl_->Read("h" + *target_id));
  if (!position) return Status::Ok();
  SL_ASSIGN_OR_RETURN(auto target, impl_->EventAt('e', ReadU64(*position)));
  if (!target) return Status::Ok();
  *(*target->mutable_fields())["errorDeclaration"].mutable_struct_value() =
      interop::ErrorDeclarationOf(declaration, [&](const std::string& ledger_id) {
        auto id = EventIdOfLedgerEvent(ledger_id);
        return id.ok() && *id && !(*id)->empty() ? std::optional<std::string>(**id)
                                                 : std::optional<std::string>();
      });
  batch->Put("e" + *position, target->SerializeAsString());
  return Status::Ok();
}

Result<pb::Struct> EventIndex::Get(const std::string& event_id) const {
  SL_ASSIGN_OR_RETURN(auto position, impl_->Read("h" + event_id));
  if (!position) return Status::NotFound("no event " + event_id);
  SL_ASSIGN_OR_RETURN(auto event, impl_->EventAt('e', ReadU64(*position)));
  if (!event) return Status::NotFound("no event " + event_id);
  return std::move(*event);
}

Result<std::optional<std::string>> EventIndex::EventIdOfLedgerEvent(
    const std::string& ledger_event_id) const {
  return impl_->Read("l" + ledger_event_id);
}

Result<QueryPage> EventIndex::Query(const EventQuery& q, uint64_t max_scanned) const {
  std::vector<std::string> prefixes;
  if (auto driving = EpcisDrivingIndex(q)) {
    for (const auto& v : driving->second) prefixes.push_back(IndexPrefix(driving->first, v));
  }
  return Scan('e', std::move(prefixes), q.after, q.per_page, max_scanned,
              [&](const pb::Struct& e) { return Matches(e, q); });
}

Result<QueryPage> EventIndex::QueryDcsa(const DcsaQuery& q, uint64_t max_scanned) const {
  std::vector<std::string> prefixes;
  if (auto driving = DcsaDrivingIndex(q)) {
    for (const auto& v : driving->second) prefixes.push_back(IndexPrefix(driving->first, v, 'X'));
  }
  return Scan('D', std::move(prefixes), q.after, q.limit, max_scanned,
              [&](const pb::Struct& e) { return MatchesDcsa(e, q); });
}

uint64_t EventIndex::DcsaHead() const {
  auto v = impl_->Read("S");
  return v.ok() && *v ? ReadU64(**v) - 1 : 0;
}

Result<QueryPage> EventIndex::Scan(char events, std::vector<std::string> prefixes, uint64_t after,
                                   uint32_t limit, uint64_t max_scanned,
                                   const std::function<bool(const pb::Struct&)>& match) const {
  QueryPage page;
  page.scanned_to = after;
  if (after == std::numeric_limits<uint64_t>::max()) return page;  // nothing comes after it
  uint64_t scanned = 0;
  // Every cursor and read of the page sees the store at one instant: an event committed
  // meanwhile is in none of them (or in all), so paging never skips it.
  const rocksdb::Snapshot* snapshot = impl_->db->GetSnapshot();
  struct Release {
    rocksdb::DB* db;
    const rocksdb::Snapshot* snapshot;
    ~Release() { db->ReleaseSnapshot(snapshot); }
  } release{impl_->db.get(), snapshot};
  rocksdb::ReadOptions at;
  at.snapshot = snapshot;
  // One cursor per driving value (or one over every event), merged in position order.
  if (prefixes.empty()) prefixes.emplace_back(1, events);
  std::vector<std::unique_ptr<rocksdb::Iterator>> cursors;
  for (const auto& prefix : prefixes) {
    cursors.emplace_back(impl_->db->NewIterator(at));
    cursors.back()->Seek(prefix + U64(after + 1));
  }
  auto position_of = [&](size_t i) -> std::optional<uint64_t> {
    rocksdb::Iterator& it = *cursors[i];
    if (!it.Valid()) return std::nullopt;
    const rocksdb::Slice key = it.key();
    if (!key.starts_with(prefixes[i]) || key.size() != prefixes[i].size() + 8) {
      return std::nullopt;
    }
    return ReadU64(std::string_view(key.data() + prefixes[i].size(), 8));
  };
  for (;;) {
    std::optional<uint64_t> lowest;
    for (size_t i = 0; i < cursors.size(); ++i) {
      const auto p = position_of(i);
      if (p && (!lowest || *p < *lowest)) lowest = p;
    }
    if (!lowest) break;  // no more
    if (page.events.size() == limit || scanned == max_scanned) {
      page.next = page.scanned_to;  // there is more: go on after the last one read
      return page;
    }
    for (size_t i = 0; i < cursors.size(); ++i) {
      if (position_of(i) == lowest) cursors[i]->Next();
    }
    ++scanned;
    page.scanned_to = *lowest;
    SL_ASSIGN_OR_RETURN(auto event, impl_->EventAt(events, *lowest, at));
    if (event && match(*event)) page.events.push_back(std::move(*event));
  }
  for (auto& c : cursors) SL_RETURN_IF_ERROR(FromRocks(c->status(), "scan"));
  return page;
}

Status EventIndex::PutSubscription(const std::string& id, const std::string& json) {
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocks(impl_->db->Put(sync, "u" + id, json), "write subscription");
}

Result<std::string> EventIndex::GetSubscription(const std::string& id) const {
  SL_ASSIGN_OR_RETURN(auto v, impl_->Read("u" + id));
  if (!v) return Status::NotFound("no subscription " + id);
  return std::move(*v);
}

Status EventIndex::DeleteSubscription(const std::string& id) {
  rocksdb::WriteBatch batch;
  batch.Delete("u" + id);
  batch.Delete("U" + id);
  return FromRocks(impl_->db->Write(rocksdb::WriteOptions(), &batch), "delete subscription");
}

std::vector<std::pair<std::string, std::string>> EventIndex::Subscriptions(
    const std::string& after_id, size_t limit) const {
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek("u" + after_id + '\0');
       it->Valid() && it->key().starts_with("u") && out.size() < limit; it->Next()) {
    out.emplace_back(it->key().ToString().substr(1), it->value().ToString());
  }
  return out;
}

Status EventIndex::PutDelivered(const std::string& id, uint64_t position) {
  return FromRocks(impl_->db->Put(rocksdb::WriteOptions(), "U" + id, U64(position)),
                   "write delivery");
}

uint64_t EventIndex::Delivered(const std::string& id) const {
  auto v = impl_->Read("U" + id);
  return v.ok() && *v ? ReadU64(**v) : 0;
}

Status EventIndex::PutJob(const std::string& id, const std::string& json) {
  return FromRocks(impl_->db->Put(rocksdb::WriteOptions(), "j" + id, json), "write job");
}

Result<std::string> EventIndex::GetJob(const std::string& id) const {
  SL_ASSIGN_OR_RETURN(auto v, impl_->Read("j" + id));
  if (!v) return Status::NotFound("no capture job " + id);
  return std::move(*v);
}

Status EventIndex::PutJobDocument(const std::string& id, const std::string& document) {
  std::lock_guard lock(impl_->jobs_mu);
  SL_ASSIGN_OR_RETURN(auto next, impl_->Read("Q"));
  const std::string seq = U64(next ? ReadU64(*next) : 1);
  rocksdb::WriteBatch batch;
  batch.Put("Q", U64(ReadU64(seq) + 1));
  batch.Put("d" + id, document);
  batch.Put("p" + id, seq);
  batch.Put("q" + seq, id);
  rocksdb::WriteOptions sync;
  sync.sync = true;  // accepted (202) means it survives a crash
  return FromRocks(impl_->db->Write(sync, &batch), "write job document");
}

Result<std::string> EventIndex::GetJobDocument(const std::string& id) const {
  SL_ASSIGN_OR_RETURN(auto v, impl_->Read("d" + id));
  if (!v) return Status::NotFound("no document of capture job " + id);
  return std::move(*v);
}

Status EventIndex::DeleteJobDocument(const std::string& id) {
  SL_ASSIGN_OR_RETURN(auto seq, impl_->Read("p" + id));
  rocksdb::WriteBatch batch;
  batch.Delete("d" + id);
  batch.Delete("p" + id);
  if (seq) batch.Delete("q" + *seq);
  return FromRocks(impl_->db->Write(rocksdb::WriteOptions(), &batch), "delete job document");
}

std::vector<std::string> EventIndex::UnfinishedJobs() const {
  std::vector<std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek("q"); it->Valid() && it->key().starts_with("q"); it->Next()) {
    out.push_back(it->value().ToString());
  }
  return out;
}

}  // namespace shipledger::gateway
