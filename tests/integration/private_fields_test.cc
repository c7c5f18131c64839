// Private fields end to end (DESIGN §4, issue 6) on a real 4-node network: sealed by the CLI
// for named readers, opened by a reader's `event show --identity`, closed to a non-reader,
// malformed envelopes refused at admission, and no plaintext in any node's data directory.
#include "model/private_fields.h"

#include <gtest/gtest.h>
#include <openssl/rand.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "cluster.h"

namespace shipledger::itest {
namespace {

namespace fs = std::filesystem;

std::string RandomHex() {
  unsigned char b[8];
  RAND_bytes(b, sizeof b);
  return ToHex(std::string_view(reinterpret_cast<const char*>(b), sizeof b));
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Files under `dir` whose raw bytes contain `needle`.
std::vector<std::string> FilesContaining(const fs::path& dir, const std::string& needle) {
  std::vector<std::string> hits;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (Contains(bytes, needle)) hits.push_back(entry.path().string());
  }
  return hits;
}

class PrivateFieldsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(cluster_.StartAll()); }

  std::string Admin(const std::string& org) const {
    return (cluster_.net().path() / org / "clients/admin").string();
  }
  // `event show ID` through the importer's node (index 3), as `identity_org` if not empty.
  ProgramResult Show(const std::string& id, const std::string& identity_org) const {
    std::vector<std::string> args = {"--node", cluster_.target(3), "event", "show", id};
    if (!identity_org.empty()) args.insert(args.end(), {"--identity", Admin(identity_org)});
    return Cli(args);
  }

  Cluster cluster_;
};

TEST_F(PrivateFieldsTest, ReaderDecryptsNonReaderCannotAndNoNodeStoresThePlaintext) {
  const std::string marker = "PRIVMARK-" + RandomHex();
  const std::string clear = "CLEARMARK-" + RandomHex();
  const std::string shipment = "P-" + RandomHex();
  const ProgramResult submit =
      Cli({"--node", cluster_.target(0), "event", "submit", "--identity", Admin("exporter"),
           "--shipment", shipment, "--type", "booked", "--party", "forwarder", "--detail",
           "note=" + clear, "--private",
           "invoice_value=" + marker, "--private", "hs_code=8471.30", "--readers", "importer",
           "--wait"});
  ASSERT_EQ(submit.code, 0) << submit;
  ASSERT_TRUE(Contains(submit.out, "VALID")) << submit;
  const std::string id = submit.out.substr(std::string("event ").size(), 64);

  ASSERT_TRUE(cluster_.WaitSameHead({0, 1, 2, 3}, 20000).has_value());

  // The importer (a reader) reads the value through its own node; so does the signer.
  for (const std::string org : {"importer", "exporter"}) {
    const ProgramResult shown = Show(id, org);
    EXPECT_EQ(shown.code, 0) << shown;
    EXPECT_TRUE(Contains(shown.out, "invoice_value")) << shown;
    EXPECT_TRUE(Contains(shown.out, marker)) << shown;
    EXPECT_TRUE(Contains(shown.out, "8471.30")) << shown;
    EXPECT_FALSE(Contains(shown.all(), "FRAUD")) << shown;
  }
  // The forwarder (not a reader) sees that there are private fields, not what they say.
  const ProgramResult forwarder = Show(id, "forwarder");
  EXPECT_EQ(forwarder.code, 0) << forwarder;
  EXPECT_TRUE(Contains(forwarder.out, "2 private fields (not a reader)")) << forwarder;
  EXPECT_FALSE(Contains(forwarder.all(), marker)) << forwarder;
  // Nor can it open them with its own key under the importer's name.
  const ProgramResult posing = Cli(
      {"--node", cluster_.target(3), "event", "show", id, "--identity", Admin("importer"),
       "--encryption-key", (cluster_.net().path() / "forwarder/ca/encryption_key.pem").string()});
  EXPECT_NE(posing.code, 0) << posing;
  EXPECT_FALSE(Contains(posing.all(), marker)) << posing;
  // The importer discloses the invoice value, and only it, to a third party (say its bank),
  // who checks it offline against the genesis.
  const fs::path file = fs::temp_directory_path() / ("disclosure-" + RandomHex());
  const ProgramResult disclosed =
      Cli({"--node", cluster_.target(3), "--identity", Admin("importer"), "disclose", "--event",
           id, "--field", "invoice_value", "--out", file.string(), "--wait"});
  ASSERT_EQ(disclosed.code, 0) << disclosed;
  const ProgramResult checked =
      Cli({"disclosure", "verify", file.string(), "--genesis", cluster_.net().genesis_path()});
  EXPECT_EQ(checked.code, 0) << checked;
  EXPECT_TRUE(Contains(checked.out, "invoice_value = " + marker)) << checked;
  EXPECT_TRUE(Contains(checked.out, "committed to by exporter")) << checked;
  EXPECT_TRUE(Contains(checked.out, "certified")) << checked;
  EXPECT_FALSE(Contains(checked.all(), "8471.30")) << checked;  // hs_code was not chosen
  {
    // A value changed in the file is caught.
    v1::Disclosure d;
    std::ifstream in(file, std::ios::binary);
    ASSERT_TRUE(d.ParseFromIstream(&in));
    d.mutable_fields(0)->set_value(marker + "0");
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    ASSERT_TRUE(d.SerializeToOstream(&out));
  }
  const ProgramResult tampered =
      Cli({"disclosure", "verify", file.string(), "--genesis", cluster_.net().genesis_path()});
  EXPECT_EQ(tampered.code, 2) << tampered;
  EXPECT_TRUE(Contains(tampered.out, "does not match what the signer committed to")) << tampered;
  fs::remove(file);
  // The forwarder, no reader, has nothing to disclose.
  const ProgramResult not_reader =
      Cli({"--node", cluster_.target(1), "--identity", Admin("forwarder"), "disclose", "--event",
           id, "--field", "invoice_value", "--out", file.string()});
  EXPECT_NE(not_reader.code, 0) << not_reader;
  EXPECT_FALSE(fs::exists(file));

  // Customs is neither a party nor a reader: the event does not exist for it.
  const ProgramResult stranger = Show(id, "customs");
  EXPECT_NE(stranger.code, 0) << stranger;
  EXPECT_TRUE(Contains(stranger.err, "no event")) << stranger;
  EXPECT_FALSE(Contains(stranger.all(), marker)) << stranger;

  // The importer, a reader, is now a party of the shipment.
  const ProgramResult shipment_view =
      Cli({"--node", cluster_.target(0), "--identity", Admin("exporter"), "shipment", "show",
           shipment});
  EXPECT_TRUE(Contains(shipment_view.out, "exporter, forwarder, importer")) << shipment_view;

  // No node holds the marker in any file; the clear detail shows the search does see data.
  for (int i = 0; i < Cluster::kNodes; ++i) EXPECT_EQ(cluster_.Stop(i, SIGTERM), 0);
  for (const char* org : Cluster::kOrgs) {
    SCOPED_TRACE(org);
    const fs::path data = cluster_.net().path() / org / "node/data";
    EXPECT_FALSE(FilesContaining(data, clear).empty()) << "search finds no clear data in " << data;
    EXPECT_EQ(FilesContaining(data, marker), std::vector<std::string>());
  }
  // Nor does any log.
  EXPECT_EQ(FilesContaining(cluster_.net().path(), marker), std::vector<std::string>());
}

// One malformation of a well-formed envelope by the exporter for itself and the importer.
struct Malformation {
  std::string name;
  std::function<void(v1::PrivateEnvelope&)> edit;
  std::string message_part;
};

TEST_F(PrivateFieldsTest, MalformedEnvelopesAreRefusedAtAdmissionAndChangeNothing) {
  const NetworkDir& net = cluster_.net();
  Client client(net, cluster_.target(0));
  const std::vector<Malformation> cases = {
      {"bad field IV size", [](auto& e) { e.mutable_fields(0)->set_iv(Bytes(16, 'i')); },
       "IV is 16 bytes"},
      {"bad wrapped key size",
       [](auto& e) { e.mutable_readers(1)->set_wrapped_key(Bytes(47, 'w')); },
       "wrapped key is 47 bytes"},
      {"ephemeral key not a point",
       [](auto& e) { e.mutable_readers(1)->set_ephemeral_public_key(Bytes(65, '\x04')); },
       "ephemeral key"},
      {"unknown reader", [](auto& e) { e.mutable_readers(1)->set_reader_org("pirate"); },
       "reader 'pirate' is not an organisation"},
      {"too many readers",
       [](auto& e) {
         while (e.readers_size() < 33) *e.add_readers() = e.readers(1);
       },
       "33 readers; at most 32"},
      {"commitment count mismatch", [](auto& e) { e.mutable_fields(0)->clear_commitment(); },
       "1 fields but 0 commitments"},
      {"duplicate reader", [](auto& e) { *e.add_readers() = e.readers(1); },
       "reader 'importer' is named twice"},
      {"signer not a reader", [](auto& e) { e.mutable_readers()->DeleteSubrange(0, 1); },
       "signer's organisation 'exporter' must be among the readers"},
  };
  ASSERT_TRUE(cluster_.WaitSameHead({0, 1, 2, 3}, 20000).has_value());
  const v1::ChainInfo before = client.ChainInfo();
  auto readers = model::ReadersFromGenesis(*net.genesis(), "exporter", {"importer"});
  ASSERT_TRUE(readers.ok()) << readers.status().ToString();
  for (const Malformation& tc : cases) {
    SCOPED_TRACE(tc.name);
    v1::Event e = client.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "M-" + RandomHex());
    auto sealed = model::Seal({{"invoice_value", "EUR 1"}}, *readers, e.chain_id(), e.shipment_id(),
                              e.nonce());
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    *e.mutable_private_envelope() = sealed->envelope;
    tc.edit(*e.mutable_private_envelope());
    const v1::SubmitResult r = client.SubmitOne(client.Sign(e, net.client("exporter")), false);
    EXPECT_EQ(r.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT)) << r.message();
    EXPECT_TRUE(Contains(r.message(), tc.message_part)) << r.message();
    EXPECT_FALSE(r.has_receipt());
  }
  const v1::ChainInfo after = client.ChainInfo();
  EXPECT_EQ(after.event_count(), before.event_count());
  EXPECT_EQ(after.height(), before.height());
  EXPECT_EQ(after.head_hash(), before.head_hash());
}

}  // namespace
}  // namespace shipledger::itest
