// The load generator's workload: shipments with a valid journey each (booking, pickup, export
// customs, hand-over with the receiver's co-signature, carriage with sensor readings, import
// customs, delivery), signed by the parties of a `shipledger network init` network, all before
// the clock starts.
// Thread-safety: free functions; PreSign uses its own threads.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "config/identity.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::loadgen {

// The organisations that play each part; their admin identities sign.
struct Parties {
  std::string exporter = "exporter";
  std::string forwarder = "forwarder";
  std::string customs = "customs";
  std::string importer = "importer";
};

// One event of a journey, before signing.
struct Step {
  std::string signer;    // organisation id
  std::string cosigner;  // empty: none
  v1::Event event;       // shipment id, type, location, references, details
};

// The 13-event journey of shipment `id` (realistic sizes: references, details, a sensor batch).
std::vector<Step> Journey(const Parties& parties, const std::string& id);
// A long history: booking, pickup, then `events - 2` sensor readings by the exporter (custodian).
std::vector<Step> LongHistory(const Parties& parties, const std::string& id, int events);

// Loads ROOT/ORG/clients/admin for every organisation the parties name.
Result<std::map<std::string, config::Identity>> LoadParties(const std::string& network_dir,
                                                            const Parties& parties);

// Signs journeys[s][k] for every shipment s and step k on `threads` threads; the result has
// the same shape. `now_ms` stamps occurred_at_ms (plus k ms, so steps are in time order).
Result<std::vector<std::vector<v1::SignedEvent>>> PreSign(
    const std::vector<std::vector<Step>>& journeys, const std::string& chain_id,
    const std::map<std::string, config::Identity>& identities, int64_t now_ms, int threads);

}  // namespace shipledger::loadgen
