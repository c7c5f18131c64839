// EventIndex: the gateway's own store (RocksDB, in its --data-dir) of the EPCIS form of every
// ledger event its party may read, in commit order, with the indexes the EPCIS query needs
// (docs/gateway.md, "The index"). The Indexer fills it from the node's Watch stream; queries read
// it without asking the node, so that a query at a million events reads only what it returns.
// Capture jobs are kept here too, so that one accepted is run after a restart.
// Thread-safety: thread-safe (RocksDB); Put* and the error-declaration patch are called by the
// Indexer thread only.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/dcsa_query.h"
#include "gateway/epcis_query.h"
#include "shipledger/status.h"
#include "shipledger/v1/ledger.pb.h"

namespace rocksdb {
class WriteBatch;
}

namespace shipledger::gateway {

struct QueryPage {
  std::vector<google::protobuf::Struct> events;
  // The position to go on from (nextPageToken, cursor), or 0 when there is no more.
  uint64_t next = 0;
  // The position of the last stored event read (matching or not), or the query's `after` when
  // none was: where a subscription's next scan starts.
  uint64_t scanned_to = 0;
};

class EventIndex {
 public:
  // Opens (creating) the store in `dir`.
  static Result<std::unique_ptr<EventIndex>> Open(const std::string& dir);
  ~EventIndex();
  EventIndex(const EventIndex&) = delete;
  EventIndex& operator=(const EventIndex&) = delete;

  // The height the Indexer resumes its Watch from (0: never ran).
  Result<uint64_t> ResumeHeight() const;

  // Adds one committed ledger event (from Watch) in both forms, EPCIS and DCSA. Not VALID, it is
  // skipped; without an EPCIS form, or with an EPCIS event hash ID already stored, it has no
  // EPCIS event; without a DCSA form, no DCSA event. An entry already indexed (by its ledger
  // event id) is skipped, so replaying a block after a restart changes nothing. An error
  // declaration adds `errorDeclaration` to the EPCIS event it declares. Records `height` as
  // where to resume. `state` is the shipment's state, for DCSA transport events without a
  // mode_of_transport detail (interop::DcsaNeedsRoute); may be null otherwise. Returns whether
  // the entry added an EPCIS event.
  Result<bool> Add(const v1::WatchResponse& entry, const v1::ShipmentState* state = nullptr);

  // The event with this EPCIS event hash ID; NOT_FOUND when there is none.
  Result<google::protobuf::Struct> Get(const std::string& event_id) const;
  // Whether the ledger event with this id is indexed, and under which event hash ID.
  Result<std::optional<std::string>> EventIdOfLedgerEvent(const std::string& ledger_event_id) const;

  // The events that match `query`, in commit order, at most query.per_page, reading at most
  // `max_scanned` stored events (a page may then be short, with `next` to go on).
  Result<QueryPage> Query(const EventQuery& query, uint64_t max_scanned = 200000) const;

  uint64_t Count() const;  // EPCIS events stored

  // DCSA events, in commit order (GET /v2/events, subscriptions): those that match `query`, at
  // most query.limit, reading at most `max_scanned`.
  Result<QueryPage> QueryDcsa(const DcsaQuery& query, uint64_t max_scanned = 200000) const;
  uint64_t DcsaHead() const;  // the position of the last DCSA event stored (0: none)

  // Event subscriptions (their JSON by id) and how far each has been delivered.
  Status PutSubscription(const std::string& id, const std::string& json);
  Result<std::string> GetSubscription(const std::string& id) const;
  Status DeleteSubscription(const std::string& id);
  // (id, JSON) of every subscription, in id order, after `after_id`, at most `limit`.
  std::vector<std::pair<std::string, std::string>> Subscriptions(const std::string& after_id,
                                                                 size_t limit) const;
  Status PutDelivered(const std::string& id, uint64_t position);
  uint64_t Delivered(const std::string& id) const;

  // Capture jobs: the job's JSON by id, and the ids of jobs not finished (to run again).
  Status PutJob(const std::string& id, const std::string& json);
  Result<std::string> GetJob(const std::string& id) const;
  Status PutJobDocument(const std::string& id, const std::string& document);
  Result<std::string> GetJobDocument(const std::string& id) const;
  Status DeleteJobDocument(const std::string& id);
  // The jobs whose document is still stored, in the order they were accepted.
  std::vector<std::string> UnfinishedJobs() const;

 private:
  struct Impl;
  // Adds to `batch` the errorDeclaration of `declaration` on the event it declares, if stored.
  Status AmendDeclared(const v1::Event& declaration, rocksdb::WriteBatch* batch);
  explicit EventIndex(std::unique_ptr<Impl> impl);
  // The stored events of one form after `after`: through the index entries with these key
  // prefixes (merged in position order), or every event when there are none; those `match`
  // accepts, at most `limit`, reading at most `max_scanned`.
  Result<QueryPage> Scan(char events, std::vector<std::string> prefixes, uint64_t after,
                         uint32_t limit, uint64_t max_scanned,
                         const std::function<bool(const google::protobuf::Struct&)>& match) const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shipledger::gateway
