// DESIGN §3: a chain recorded under older contract rules replays to the same receipts and state
// under newer code. tests/data/contracts_v1_replay.txt was recorded by make_replay_fixture under
// rules v1, before rules v2 existed (commit "contracts: record a replay fixture ..."), and
// contracts_v2_replay.txt under rules v2, before rules v3 existed, and contracts_v3_replay.txt
// under rules v3, before the contracts took one execution path per rules version; this test
// re-executes each with this build, told (as a genesis naming the version would) which rules the
// heights run, and also shows that other rules would not reproduce it.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "contracts/commit.h"
#include "model/block.h"
#include "model/genesis.h"
#include "replay_format.h"
#include "testing/memory_chain.h"

namespace shipledger::contracts {
namespace {

using testutil::ReplayBlock;
using testutil::ReplayChain;

Bytes Unhex(const std::string& hex) {
  std::optional<Bytes> bytes = FromHex(hex);
  EXPECT_TRUE(bytes.has_value()) << hex.substr(0, 40);
  return bytes.value_or(Bytes());
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, sep)) parts.push_back(part);
  return parts;
}

ReplayChain LoadFixture(uint32_t rules) {
  const std::string path = std::string(SHIPLEDGER_CONTRACTS_REPLAY_DIR) + "/contracts_v" +
                           std::to_string(rules) + "_replay.txt";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  ReplayChain chain;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string tag;
    fields >> tag;
    if (tag == "block") {
      ReplayBlock& block = chain.blocks.emplace_back();
      fields >> block.context.height >> block.context.block_time_ms;
    } else if (tag == "event") {
      std::string id, role, cosigners, bytes;
      fields >> id >> role >> cosigners >> bytes;
      model::AdmittedEvent admitted;
      admitted.id = Unhex(id);
      admitted.signer_role = model::ParseRole(role).value_or(model::Role::kExporter);
      EXPECT_TRUE(model::ParseRole(role).has_value()) << role;
      if (cosigners != "-") admitted.cosigned_by = Split(cosigners, ',');
      std::string signer_fingerprint, cosigner_fingerprints;
      int admin = 0;
      if (fields >> signer_fingerprint >> cosigner_fingerprints >> admin) {  // rules v3 on
        admitted.signer_fingerprint = Unhex(signer_fingerprint);
        if (cosigner_fingerprints != "-") {
          for (const std::string& hex : Split(cosigner_fingerprints, ',')) {
            admitted.cosigner_fingerprints.push_back(Unhex(hex));
          }
        }
        admitted.signer_admin = admin == 1;
      }
      EXPECT_TRUE(admitted.event.ParseFromString(Unhex(bytes)));
      chain.blocks.back().events.push_back(
          std::make_shared<const model::AdmittedEvent>(std::move(admitted)));
    } else if (tag == "receipt") {
      std::string hex;
      fields >> hex;
      chain.blocks.back().receipts.push_back(Unhex(hex));
    } else if (tag == "digest") {
      ReplayBlock& block = chain.blocks.back();
      fields >> block.receipts_root >> block.state_writes_digest >> block.results;
    } else if (tag == "state") {
      std::string id, hex;
      fields >> id >> hex;
      chain.final_states.emplace_back(id, Unhex(hex));
    } else if (tag == "record") {
      std::string key, hex;
      fields >> key >> hex;
      chain.final_records.emplace_back(Unhex(key), Unhex(hex));
    } else {
      ADD_FAILURE() << "unknown fixture line: " << line.substr(0, 60);
    }
  }
  return chain;
}

// Replays every block under `rules`; returns the number of blocks whose receipts or digests
// differ from the recording (each difference is reported when `expect_same`).
int Replay(const ReplayChain& chain, uint32_t rules, bool expect_same,
           shipledger::testing::MemoryChain* state) {
  int differing = 0;
  Bytes results(32, '\0');
  for (const ReplayBlock& block : chain.blocks) {
    model::BlockContext context = block.context;
    context.rules_version = rules;
    const Executed executed = Execute(block.events, *state, context, results);
    const model::BlockEffects& effects = executed.effects;
    results = executed.results;
    bool same = effects.receipts.size() == block.receipts.size() &&
                ToHex(effects.receipts_root) == block.receipts_root &&
                ToHex(effects.state_writes_digest) == block.state_writes_digest &&
                ToHex(results) == block.results;
    for (size_t i = 0; same && i < effects.receipts.size(); ++i) {
      same = effects.receipts[i].SerializeAsString() == block.receipts[i];
      if (!same && expect_same) {
        v1::Receipt recorded;
        EXPECT_TRUE(recorded.ParseFromString(block.receipts[i]));
        ADD_FAILURE() << "height " << context.height << " event " << i << ": recorded "
                      << recorded.ShortDebugString() << ", replayed "
                      << effects.receipts[i].ShortDebugString();
      }
    }
    if (!same) {
      ++differing;
      if (expect_same) ADD_FAILURE() << "height " << context.height << " differs";
    }
    state->Commit(block.events, effects);
  }
  return differing;
}

// Replays `chain` under `rules` expecting every receipt, digest, final state and record.
void ExpectIdenticalReplay(const ReplayChain& chain, uint32_t rules) {
  shipledger::testing::MemoryChain state;
  EXPECT_EQ(Replay(chain, rules, /*expect_same=*/true, &state), 0);
  ASSERT_EQ(state.states().size(), chain.final_states.size());
  for (const auto& [id, bytes] : chain.final_states) {
    ASSERT_TRUE(state.states().count(id)) << id;
    EXPECT_EQ(state.states().at(id).SerializeAsString(), bytes) << id;
  }
  ASSERT_EQ(state.records().size(), chain.final_records.size());
  for (const auto& [key, bytes] : chain.final_records) {
    ASSERT_TRUE(state.records().count(key)) << key;
    EXPECT_EQ(state.records().at(key), bytes) << key;
  }
}

size_t CountEvents(const ReplayChain& chain) {
  size_t events = 0;
  for (const ReplayBlock& block : chain.blocks) events += block.events.size();
  return events;
}

TEST(ContractRulesReplay, ChainRecordedUnderV1ReplaysIdenticallyUnderV1) {
  const ReplayChain chain = LoadFixture(1);
  ASSERT_EQ(chain.blocks.size(), 120u);
  EXPECT_GT(CountEvents(chain), 600u);
  EXPECT_TRUE(chain.final_records.empty()) << "rules v1 write no contract records";
  ExpectIdenticalReplay(chain, 1);
}

TEST(ContractRulesReplay, TheV1ChainUnderV2WouldDiffer) {
  // The fixture holds carrier offers, sensor readings and returns that rules v2 judge
  // differently: replaying it under v2 must not match, or the test above proves nothing about
  // which rules ran.
  const ReplayChain chain = LoadFixture(1);
  shipledger::testing::MemoryChain state;
  EXPECT_GT(Replay(chain, 2, /*expect_same=*/false, &state), 0);
}

TEST(ContractRulesReplay, ChainRecordedUnderV2ReplaysIdenticallyUnderV2) {
  const ReplayChain chain = LoadFixture(2);
  ASSERT_EQ(chain.blocks.size(), 150u);
  EXPECT_GT(CountEvents(chain), 800u);
  // It exercises what v2 decides: offers recorded, legs assigned, returns judged, excursions.
  EXPECT_FALSE(chain.final_records.empty());
  std::set<int> output_kinds;
  for (const ReplayBlock& block : chain.blocks) {
    for (const std::string& bytes : block.receipts) {
      v1::Receipt receipt;
      ASSERT_TRUE(receipt.ParseFromString(bytes));
      for (const v1::ContractOutput& output : receipt.outputs()) {
        output_kinds.insert(static_cast<int>(output.kind()));
      }
    }
  }
  EXPECT_GE(output_kinds.size(), 3u) << "the v2 fixture should hold several kinds of outputs";
  ExpectIdenticalReplay(chain, 2);
}

TEST(ContractRulesReplay, TheV2ChainUnderV1WouldDiffer) {
  const ReplayChain chain = LoadFixture(2);
  shipledger::testing::MemoryChain state;
  EXPECT_GT(Replay(chain, 1, /*expect_same=*/false, &state), 0);
}

// How many receipts of `chain` have `code` for events of `type`, and whose reason contains
// `reason_part`.
int CountReceipts(const ReplayChain& chain, v1::EventType type, v1::ResultCode code,
                  const std::string& reason_part = {}) {
  int count = 0;
  for (const ReplayBlock& block : chain.blocks) {
    for (size_t i = 0; i < block.events.size() && i < block.receipts.size(); ++i) {
      v1::Receipt receipt;
      EXPECT_TRUE(receipt.ParseFromString(block.receipts[i]));
      if (block.events[i]->event.type() == type && receipt.code() == code &&
          receipt.reason().find(reason_part) != std::string::npos) {
        ++count;
      }
    }
  }
  return count;
}

TEST(ContractRulesReplay, ChainRecordedUnderV3ReplaysIdenticallyUnderV3) {
  const ReplayChain chain = LoadFixture(3);
  ASSERT_EQ(chain.blocks.size(), 150u);
  EXPECT_GT(CountEvents(chain), 1000u);
  // It exercises what v3 decide: revocations by admins and their refusals, events of revoked
  // certificates, parties added by parties and refused to outsiders, ids that are taken.
  EXPECT_GE(CountReceipts(chain, v1::EVENT_TYPE_CERTIFICATE_REVOCATION, v1::RESULT_CODE_VALID), 5);
  EXPECT_GE(CountReceipts(chain, v1::EVENT_TYPE_CERTIFICATE_REVOCATION, v1::RESULT_CODE_REJECTED),
            5);
  int revoked = 0;
  for (int type = 1; type <= 31; ++type) {
    revoked += CountReceipts(chain, static_cast<v1::EventType>(type), v1::RESULT_CODE_REJECTED,
                             "revoked at height");
  }
  EXPECT_GE(revoked, 10);
  EXPECT_GE(CountReceipts(chain, v1::EVENT_TYPE_PARTY_ADDED, v1::RESULT_CODE_VALID), 20);
  EXPECT_GE(CountReceipts(chain, v1::EVENT_TYPE_PARTY_ADDED, v1::RESULT_CODE_REJECTED), 20);
  EXPECT_GE(CountReceipts(chain, v1::EVENT_TYPE_BOOKED, v1::RESULT_CODE_REJECTED, "not available"),
            1);
  ExpectIdenticalReplay(chain, 3);
}

TEST(ContractRulesReplay, TheV3ChainUnderV2WouldDiffer) {
  const ReplayChain chain = LoadFixture(3);
  shipledger::testing::MemoryChain state;
  EXPECT_GT(Replay(chain, 2, /*expect_same=*/false, &state), 0);
}

TEST(ContractRulesReplay, GenesisSelectsTheRulesPerHeight) {
  model::Genesis genesis;
  EXPECT_EQ(genesis.ContractRulesAt(1), 1u);  // no contract_rules: version 1
  genesis.contract_rules = {{1, 1}, {100, 2}};
  EXPECT_EQ(genesis.ContractRulesAt(1), 1u);
  EXPECT_EQ(genesis.ContractRulesAt(99), 1u);
  EXPECT_EQ(genesis.ContractRulesAt(100), 2u);
  EXPECT_EQ(genesis.ContractRulesAt(1'000'000), 2u);
}

}  // namespace
}  // namespace shipledger::contracts
