// Importer: the events of an EPCIS 2.0 document or of DCSA T&T 2.2 events, mapped to ledger
// events (interop/), signed as one identity, checked as the node will check them, and submitted
// in order (docs/interop.md, "Import"). `shipledger import` and the EPCIS gateway's capture
// (docs/gateway.md) both run it.
// Thread-safety: one Importer per document, used by one thread.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/client.h"
#include "config/identity.h"
#include "model/genesis.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"
#include "shipledger/v1/ledger.pb.h"

namespace shipledger::cli {

// One event of the document on its way to the ledger.
struct ImportItem {
  int index = 0;          // 1-based in the document
  std::string source_id;  // EPCIS: its CBV 2.0 hash ID; DCSA: its eventID (may be empty)
  v1::Event event;
  v1::SignedEvent signed_event;  // after Sign, when `error` is empty
  std::string error;             // why it cannot be imported; empty when it can
  std::string note;              // something to tell the user about it
};

// What the node said about one submitted item.
struct ImportOutcome {
  const ImportItem* item = nullptr;
  Bytes event_id;
  // VALID, REJECTED, ... (the receipt's result), PENDING (admitted, not committed within the
  // wait) or "REFUSED (CODE)".
  std::string result;
  std::string reason;
  std::optional<v1::Receipt> receipt;  // when committed (now, or before: ALREADY_EXISTS)
};

class Importer {
 public:
  // Events per SubmitEvents call; each batch is waited for before the next is sent, so the
  // events commit in the document's order.
  static constexpr int kBatch = 100;

  // `genesis` (may be null) checks each signed event as the node will; `forced_shipment`
  // (may be empty) is the shipment of every event (--shipment).
  Importer(NodeClient& client, config::Identity signer, std::string chain_id,
           std::shared_ptr<const model::Genesis> genesis, std::string forced_shipment);
  ~Importer();
  Importer(const Importer&) = delete;
  Importer& operator=(const Importer&) = delete;

  // Maps every event of an EPCISDocument (or EPCISQueryDocument). An event that cannot be
  // imported gets its `error`; a Status that is not OK means the document as a whole cannot be
  // read or the node could not be asked.
  Result<std::vector<ImportItem>> MapEpcis(const google::protobuf::Struct& document);
  // The same for a DCSA event or an array of them.
  Result<std::vector<ImportItem>> MapDcsa(const google::protobuf::Value& document);

  // Fills, signs and checks (with the genesis, when given) every item without an error; one
  // the node would refuse gets its error.
  Status Sign(std::vector<ImportItem>* items) const;

  // Submits every item without an error, in order, kBatch at a time, each batch waited for;
  // `on_outcome` hears of each. A Status that is not OK names the first item not submitted.
  Status Submit(const std::vector<ImportItem>& items,
                const std::function<void(const ImportOutcome&)>& on_outcome);

  class ShipmentFinder;  // how an event's shipment is found (importer.cc)

 private:
  NodeClient& client_;
  const config::Identity signer_;
  const std::string chain_id_;
  const std::shared_ptr<const model::Genesis> genesis_;
  std::unique_ptr<ShipmentFinder> finder_;
};

}  // namespace shipledger::cli
