// The replay fixture format (tests/data/contracts_v<N>_replay.txt): blocks of admitted events as
// execution saw them, with the receipts and digests the code of that time produced. Written by
// replay/make_replay_fixture.cc, read by replay_test.cc (DESIGN §3: a chain recorded under older
// rules replays to the same receipts and state under newer code).
//
//   block <height> <block_time_ms>
//   event <id hex> <role> <co-signers, comma-separated, or -> <event bytes hex>
//         [<signer fingerprint hex> <co-signer fingerprints, comma-separated, or -> <admin 0|1>]
//                                              the bracketed fields from rules v3 on
//   receipt <receipt bytes hex>                 one per event, in block order
//   digest <receipts_root hex> <state_writes_digest hex> <results hex>
//   state <shipment id> <state bytes hex>      after the last block, every shipment, id order
//   record <key hex> <value bytes hex>         then every contract record (rules v2+), key order
#pragma once

#include <string>
#include <vector>

#include "model/event.h"
#include "model/execution.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::contracts::testutil {

struct ReplayBlock {
  model::BlockContext context;
  std::vector<model::EventPtr> events;
  std::vector<std::string> receipts;  // serialized v1::Receipt
  std::string receipts_root;          // hex
  std::string state_writes_digest;    // hex
  std::string results;                // hex
};

struct ReplayChain {
  std::vector<ReplayBlock> blocks;
  std::vector<std::pair<std::string, std::string>> final_states;   // id, serialized state
  std::vector<std::pair<std::string, std::string>> final_records;  // key, value
};

}  // namespace shipledger::contracts::testutil
