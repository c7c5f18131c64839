// Event proofs end to end (issue 6, DESIGN §5): events submitted to a real 4-node network, a
// proof fetched with `shipledger proof get --wait` from another node, and checked offline with
// `shipledger proof verify` against the genesis file alone; tampered files fail.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "cluster.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::itest {
namespace {

namespace fs = std::filesystem;

ProgramResult Cli(const std::vector<std::string>& args, int timeout_ms = 70000) {
  std::vector<std::string> full = {SHIPLEDGER_CLI_PATH};
  full.insert(full.end(), args.begin(), args.end());
  return RunProgram(full, timeout_ms);
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string JsonString(const std::string& json, const std::string& key) {
  google::protobuf::Struct doc;
  if (!google::protobuf::util::JsonStringToMessage(json, &doc).ok()) return "";
  auto it = doc.fields().find(key);
  return it == doc.fields().end() ? "" : it->second.string_value();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

class ProofE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cluster_.StartAll()) << "the 4 nodes did not start";
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("shipledger-proof-e2e-" + std::to_string(rd()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (HasFailure()) cluster_.PrintLogs();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string admin(const std::string& org) const {
    return (cluster_.net().path() / org / "clients/admin").string();
  }
  // Submits an event through node 0 and waits for its commit; returns the CLI's result.
  ProgramResult Submit(const std::string& org, const std::string& type,
                       std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "--node",     cluster_.target(0), "event",  "submit", "--identity", admin(org),
        "--shipment", "S-PROOF",          "--type", type,     "--wait",     "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  ProgramResult Verify(const std::string& file, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"proof", "verify", file, "--genesis",
                                     cluster_.net().genesis_path()};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }

  Cluster cluster_;
  fs::path dir_;
};

TEST_F(ProofE2e, ProofsVerifyOfflineAndTamperedFilesFail) {
  const ProgramResult booked = Submit("exporter", "booked", {"--party", "forwarder"});
  ASSERT_EQ(booked.code, 0) << booked;
  const std::string valid_id = JsonString(booked.out, "event_id");
  // The forwarder is not the custodian yet: the contract rejects its pickup.
  const ProgramResult pickup = Submit("forwarder", "pickup");
  ASSERT_EQ(pickup.code, 3) << pickup;
  const std::string rejected_id = JsonString(pickup.out, "event_id");
  ASSERT_EQ(valid_id.size(), 64u);
  ASSERT_EQ(rejected_id.size(), 64u);

  // Fetched from another node than the one submitted to; --wait for the checkpoint.
  const std::string valid_file = path("valid.proof");
  const ProgramResult got = Cli({"--node", cluster_.target(1), "--identity", admin("forwarder"),
                                 "proof", "get", valid_id, "--out", valid_file, "--wait"});
  ASSERT_EQ(got.code, 0) << got;
  EXPECT_TRUE(Contains(got.out, "certified by the stable checkpoint at height")) << got;

  const std::string genesis_hex = ToHex(cluster_.net().genesis()->hash);
  const ProgramResult ok = Verify(valid_file, {"--expect-genesis-hash", genesis_hex});
  ASSERT_EQ(ok.code, 0) << ok;
  for (const std::string& want :
       {std::string("proof OK"), genesis_hex, valid_id, std::string("S-PROOF"),
        std::string("booked"), std::string("exporter"), std::string("VALID"),
        std::string("yes, by the stable checkpoint")}) {
    EXPECT_TRUE(Contains(ok.out, want)) << "missing '" << want << "'\n" << ok;
  }
  const ProgramResult json =
      Cli({"--json", "proof", "verify", valid_file, "--genesis", cluster_.net().genesis_path()});
  ASSERT_EQ(json.code, 0) << json;
  EXPECT_EQ(JsonString(json.out, "verdict"), "VALID") << json;
  EXPECT_EQ(JsonString(json.out, "event_id"), valid_id) << json;

  const std::string rejected_file = path("rejected.proof");
  const ProgramResult got_rejected =
      Cli({"--node", cluster_.target(2), "--identity", admin("forwarder"), "proof", "get",
           rejected_id, "--out", rejected_file, "--wait"});
  ASSERT_EQ(got_rejected.code, 0) << got_rejected;
  const ProgramResult rejected = Verify(rejected_file);
  ASSERT_EQ(rejected.code, 0) << rejected;
  EXPECT_TRUE(Contains(
      rejected.out,
      "REJECTED: custody event 'pickup' signed by 'forwarder' but custodian is 'exporter'"))
      << rejected;
  EXPECT_TRUE(Contains(rejected.out, "yes, by the stable checkpoint")) << rejected;

  // Tampered: the receipt turned from VALID to REJECTED.
  const std::string bytes = ReadFile(valid_file);
  v1::EventProof proof;
  ASSERT_TRUE(proof.ParseFromString(bytes));
  v1::EventProof forged = proof;
  forged.mutable_receipt()->set_code(v1::RESULT_CODE_REJECTED);
  WriteFile(path("forged-receipt.proof"), forged.SerializeAsString());
  const ProgramResult bad_receipt = Verify(path("forged-receipt.proof"));
  EXPECT_EQ(bad_receipt.code, 2) << bad_receipt;
  EXPECT_TRUE(Contains(bad_receipt.out, "proof INVALID: receipt Merkle path")) << bad_receipt;

  // Without its checkpoint the same proof proves inclusion only: the receipt is then only the
  // serving node's word, so no verdict is printed and the exit code is 4 of its own.
  v1::EventProof uncertified = proof;
  uncertified.clear_checkpoint();
  while (uncertified.results_chain_size() > 1) uncertified.mutable_results_chain()->RemoveLast();
  WriteFile(path("uncertified.proof"), uncertified.SerializeAsString());
  const ProgramResult inclusion = Verify(path("uncertified.proof"));
  EXPECT_EQ(inclusion.code, 4) << inclusion;
  EXPECT_TRUE(Contains(inclusion.out, "proof OK for inclusion only")) << inclusion;
  EXPECT_TRUE(Contains(inclusion.out, "none: the receipt is not certified")) << inclusion;
  EXPECT_FALSE(Contains(inclusion.out, "VALID")) << inclusion;
  const ProgramResult inclusion_json = Cli({"--json", "proof", "verify", path("uncertified.proof"),
                                            "--genesis", cluster_.net().genesis_path()});
  EXPECT_EQ(inclusion_json.code, 4) << inclusion_json;
  EXPECT_FALSE(Contains(inclusion_json.out, "\"verdict\"")) << inclusion_json;
  EXPECT_TRUE(Contains(inclusion_json.out, "\"certified\": false")) << inclusion_json;

  // Tampered: one byte of the event's signature, changed in the file itself.
  std::string flipped = bytes;
  const size_t at = flipped.find(proof.event().signature());
  ASSERT_NE(at, std::string::npos);
  flipped[at + proof.event().signature().size() - 2] ^= 0x01;
  WriteFile(path("flipped.proof"), flipped);
  const ProgramResult bad_signature = Verify(path("flipped.proof"));
  EXPECT_EQ(bad_signature.code, 2) << bad_signature;
  EXPECT_TRUE(Contains(bad_signature.out, "event signature")) << bad_signature;

  // The wrong genesis is refused before anything is read.
  const ProgramResult wrong = Verify(valid_file, {"--expect-genesis-hash", std::string(64, '0')});
  EXPECT_EQ(wrong.code, 1) << wrong;
  EXPECT_TRUE(Contains(wrong.err, "not the expected")) << wrong;

  const ProgramResult unknown =
      Cli({"--node", cluster_.target(0), "--identity", admin("forwarder"), "proof", "get",
           std::string(64, 'a'), "--out", path("none.proof")});
  EXPECT_EQ(unknown.code, 1) << unknown;
  EXPECT_TRUE(Contains(unknown.err, "no event")) << unknown;

  // Customs is no party of S-PROOF: its proof request is answered as for an unknown id.
  const ProgramResult stranger = Cli({"--node", cluster_.target(0), "--identity", admin("customs"),
                                      "proof", "get", valid_id, "--out", path("stranger.proof")});
  EXPECT_EQ(stranger.code, 1) << stranger;
  EXPECT_TRUE(Contains(stranger.err, "no event")) << stranger;
}

// Contract rules v3 (which network init writes) certify the contract's decisions: a carrier
// offer's proof prints the leg it was assigned, and a proof whose decision was changed fails.
TEST_F(ProofE2e, ContractDecisionsAreCertifiedAndAChangedDecisionFails) {
  const auto submit = [this](const std::string& org, std::vector<std::string> args) {
    args.insert(args.begin(), {"--node", cluster_.target(0), "--identity", admin(org), "event",
                               "submit", "--wait", "--json"});
    return Cli(args);
  };
  const ProgramResult booked =
      submit("exporter", {"--shipment", "S-SEA", "--type", "booked", "--leg",
                          "CNSHA:NLRTM:sea:open", "--currency", "EUR"});
  ASSERT_EQ(booked.code, 0) << booked;
  const ProgramResult offer =
      submit("forwarder", {"--shipment", "OFFER-SEA", "--type", "carrier_offer", "--mode", "sea",
                           "--lane", "CN:NL", "--price", "185000", "--currency", "EUR",
                           "--valid-from", "+0s", "--valid-until", "+30d"});
  ASSERT_EQ(offer.code, 0) << offer;
  const std::string offer_id = JsonString(offer.out, "event_id");
  ASSERT_EQ(offer_id.size(), 64u) << offer;

  const std::string file = path("offer.proof");
  const ProgramResult got = Cli({"--node", cluster_.target(1), "--identity", admin("forwarder"),
                                 "proof", "get", offer_id, "--out", file, "--wait"});
  ASSERT_EQ(got.code, 0) << got;
  const ProgramResult ok = Verify(file);
  ASSERT_EQ(ok.code, 0) << ok;
  EXPECT_TRUE(Contains(
      ok.out, "decision: → leg 1 assigned to forwarder (offer OFFER-SEA, 1850.00) [S-SEA]"))
      << ok;
  const ProgramResult json =
      Cli({"--json", "proof", "verify", file, "--genesis", cluster_.net().genesis_path()});
  ASSERT_EQ(json.code, 0) << json;
  EXPECT_TRUE(Contains(json.out, "\"decisions\"")) << json;
  EXPECT_TRUE(Contains(json.out, "LEG_ASSIGNED")) << json;

  v1::EventProof proof;
  ASSERT_TRUE(proof.ParseFromString(ReadFile(file)));
  ASSERT_EQ(proof.receipt().outputs_size(), 1);
  v1::EventProof cheaper = proof;
  cheaper.mutable_receipt()->mutable_outputs(0)->set_price_minor(1);
  v1::EventProof undecided = proof;
  undecided.mutable_receipt()->clear_outputs();
  for (const auto& [name, forged] : {std::pair{"cheaper", &cheaper}, {"undecided", &undecided}}) {
    WriteFile(path(name), forged->SerializeAsString());
    const ProgramResult bad = Verify(path(name));
    EXPECT_EQ(bad.code, 2) << bad;
    EXPECT_TRUE(Contains(bad.out, "proof INVALID: receipt Merkle path")) << bad;
  }
}

}  // namespace
}  // namespace shipledger::itest
