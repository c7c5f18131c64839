// Documents anchored by hash end to end (docs/documents.md): the real CLI books a shipment with
// `--doc commercial_invoice=FILE`, and `doc verify` finds the event that anchors the file and
// refuses a copy with one byte changed.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "fixture.h"

namespace shipledger::itest {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

constexpr char kInvoice[] =
    "COMMERCIAL INVOICE 2026-117\nSeller: Acme Exports\nTotal: EUR 125000\n";

// One node (the exporter's) and one shipment booked with the invoice anchored.
class DocumentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = StartNode(net_, &target_);
    ASSERT_NE(node_, nullptr);
    invoice_ = WriteFile("invoice.txt", kInvoice);
    booked_ = Cli({"--node", target_, "--identity", net_.admin_dir("exporter"), "--json", "event",
                   "submit", "--shipment", kShipment, "--type", "booked", "--party", "forwarder",
                   "--doc", "commercial_invoice=" + invoice_, "--wait"});
    ASSERT_EQ(booked_.code, 0) << booked_;
    const std::string tag = "\"event_id\": \"";
    const size_t at = booked_.out.find(tag);
    ASSERT_NE(at, std::string::npos) << booked_;
    booked_id_ = booked_.out.substr(at + tag.size(), 64);
  }

  std::string WriteFile(const std::string& name, const std::string& contents) const {
    const std::string path = (net_.path() / name).string();
    std::ofstream(path, std::ios::binary) << contents;
    return path;
  }

  // `doc verify FILE --shipment SHIPMENT` as `org`'s admin, plus `extra`.
  ProgramResult Verify(const std::string& file, const std::string& shipment = kShipment,
                       const std::string& org = "exporter",
                       const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {"--node", target_,  "--identity", net_.admin_dir(org),
                                     "doc",    "verify", file,         "--shipment",
                                     shipment};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }

  static constexpr const char* kShipment = "DOC-1";
  NetworkDir net_;
  std::string target_;
  std::unique_ptr<node::Node> node_;
  std::string invoice_;
  ProgramResult booked_;
  std::string booked_id_;
};

TEST_F(DocumentsTest, VerifyNamesTheBookingThatAnchorsTheInvoice) {
  const ProgramResult r = Verify(invoice_);
  ASSERT_EQ(r.code, 0) << r;
  for (const std::string& text :
       {booked_id_, std::string("booked"), std::string("exporter"),
        std::string("commercial_invoice"), std::string("VALID"),
        "sha256:" + ToHex(crypto::Sha256(kInvoice)), std::string("anchored by 1 VALID event"),
        "shipledger proof get " + booked_id_}) {
    EXPECT_TRUE(Contains(r.out, text)) << text << r;
  }
}

TEST_F(DocumentsTest, TamperedCopyIsRefusedWithExitTwo) {
  std::string tampered = kInvoice;
  tampered[tampered.find("125000")] = '9';  // EUR 925000
  const std::string copy = WriteFile("invoice-tampered.txt", tampered);
  const ProgramResult r = Verify(copy);
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_TRUE(Contains(r.out, "no event of shipment DOC-1 anchors this file (sha256:" +
                                  ToHex(crypto::Sha256(tampered)) + ")"))
      << r;
  EXPECT_FALSE(Contains(r.out, booked_id_)) << r;
}

TEST_F(DocumentsTest, AnchorOfARejectedEventIsListedButDoesNotCount) {
  const std::string packing = WriteFile("packing.txt", "PACKING LIST: 12 pallets\n");
  // A second booking of the same shipment is REJECTED (exit 3) by the contract.
  const ProgramResult rebooked =
      Cli({"--node", target_, "--identity", net_.admin_dir("exporter"), "event", "submit",
           "--shipment", kShipment, "--type", "booked", "--doc", "packing_list=" + packing,
           "--no-tracking-code", "--wait"});
  ASSERT_EQ(rebooked.code, 3) << rebooked;
  const ProgramResult r = Verify(packing);
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_TRUE(Contains(r.out, "packing_list")) << r;
  EXPECT_TRUE(Contains(r.out, "REJECTED")) << r;
  EXPECT_TRUE(Contains(r.out, "no VALID event of shipment DOC-1 anchors this file")) << r;
}

TEST_F(DocumentsTest, VerifyJsonSaysAnchoredAndNamesTheEvent) {
  const ProgramResult r = Verify(invoice_, kShipment, "exporter", {"--json"});
  ASSERT_EQ(r.code, 0) << r;
  for (const std::string& text :
       {std::string("\"anchored\": true"), "\"event_id\": \"" + booked_id_ + "\"",
        std::string("\"kind\": \"commercial_invoice\""), std::string("\"valid\": true")}) {
    EXPECT_TRUE(Contains(r.out, text)) << text << r;
  }
}

TEST_F(DocumentsTest, UnknownAndHiddenShipmentsAreNotFound) {
  const ProgramResult unknown = Verify(invoice_, "NO-SUCH-SHIPMENT");
  EXPECT_EQ(unknown.code, 1) << unknown;
  EXPECT_TRUE(Contains(unknown.err, "no shipment 'NO-SUCH-SHIPMENT' on the chain")) << unknown;
  // Customs is no party to DOC-1: the same answer, so the id's existence does not leak.
  const ProgramResult hidden = Verify(invoice_, kShipment, "customs");
  EXPECT_EQ(hidden.code, 1) << hidden;
  EXPECT_TRUE(Contains(hidden.err, "no shipment 'DOC-1' on the chain")) << hidden;
}

TEST_F(DocumentsTest, EventShowAndShipmentShowPrintTheReference) {
  const std::string hex = ToHex(crypto::Sha256(kInvoice));
  const ProgramResult event = Cli(
      {"--node", target_, "--identity", net_.admin_dir("exporter"), "event", "show", booked_id_});
  ASSERT_EQ(event.code, 0) << event;
  EXPECT_TRUE(Contains(event.out, "commercial_invoice=sha256:" + hex)) << event;
  const ProgramResult shipment = Cli(
      {"--node", target_, "--identity", net_.admin_dir("exporter"), "shipment", "show", kShipment});
  ASSERT_EQ(shipment.code, 0) << shipment;
  EXPECT_TRUE(Contains(shipment.out, "DOCUMENTS")) << shipment;
  EXPECT_TRUE(Contains(shipment.out, "commercial_invoice=sha256:" + hex.substr(0, 12) + " "))
      << shipment;
}

// The offline check: a proof of the anchoring event shows the hash, trusting only the genesis.
TEST_F(DocumentsTest, ProofVerifyShowsTheAnchoredHash) {
  const std::string proof = (net_.path() / "booked.proof").string();
  const ProgramResult got = Cli({"--node", target_, "--identity", net_.admin_dir("exporter"),
                                 "proof", "get", booked_id_, "--out", proof});
  ASSERT_EQ(got.code, 0) << got;
  const ProgramResult r = Cli({"proof", "verify", proof, "--genesis", net_.genesis_path()});
  // A one-node network takes no checkpoints: the proof shows inclusion only (exit 4).
  ASSERT_EQ(r.code, 4) << r;
  EXPECT_TRUE(Contains(r.out, "commercial_invoice=sha256:" + ToHex(crypto::Sha256(kInvoice)))) << r;
  const ProgramResult json =
      Cli({"--json", "proof", "verify", proof, "--genesis", net_.genesis_path()});
  ASSERT_EQ(json.code, 4) << json;
  EXPECT_TRUE(Contains(json.out, "\"sha256\": \"" + ToHex(crypto::Sha256(kInvoice)) + "\""))
      << json;
}

TEST_F(DocumentsTest, DocAppendsToAnEventGivenAsAJsonFile) {
  const std::string event = WriteFile(
      "pickup.json", R"({"shipment_id": "DOC-1", "type": "pickup", "location": "CNSHA"})");
  const std::string bill = WriteFile("bol.txt", "BILL OF LADING MAEU123456789\n");
  const ProgramResult pickup =
      Cli({"--node", target_, "--identity", net_.admin_dir("exporter"), "event", "submit", "--file",
           event, "--doc", "bill_of_lading=" + bill, "--wait"});
  ASSERT_EQ(pickup.code, 0) << pickup;
  const ProgramResult r = Verify(bill);
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_TRUE(Contains(r.out, "pickup")) << r;
  EXPECT_TRUE(Contains(r.out, "bill_of_lading")) << r;
}

TEST_F(DocumentsTest, DocHashPrintsWhatTheChainAnchors) {
  const ProgramResult r = Cli({"doc", "hash", invoice_, "--kind", "commercial_invoice"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "commercial_invoice=sha256:" + ToHex(crypto::Sha256(kInvoice)) + "\n");
}

}  // namespace
}  // namespace shipledger::itest
