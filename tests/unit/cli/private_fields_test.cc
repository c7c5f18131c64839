#include "cli/private_fields.h"

#include <gtest/gtest.h>

#include "config/genesis_file.h"
#include "config/network.h"
#include "testing/temp_dir.h"

namespace shipledger::cli {
namespace {

TEST(PrivateFieldPaths, DefaultsFollowNetworkInitLayout) {
  EXPECT_EQ(DefaultGenesisPath("net/importer/clients/admin"), "net/genesis.yaml");
  EXPECT_EQ(DefaultGenesisPath("net/importer/clients/admin/"), "net/genesis.yaml");
  EXPECT_EQ(DefaultEncryptionKeyPath("net/importer/clients/admin"),
            "net/importer/ca/encryption_key.pem");
  EXPECT_EQ(DefaultEncryptionKeyPath("/x/net/importer/clients/clerk/"),
            "/x/net/importer/ca/encryption_key.pem");
}

// A network folder made by network init, and an event of the exporter sealed by the CLI helper
// for the importer.
class PrivateFieldsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config::InitOptions opts;
    opts.out_dir = dir_.path();
    opts.orgs = *config::ParseOrgSpecs(
        "exporter:exporter,forwarder:forwarder:client,importer:importer:client");
    ASSERT_TRUE(config::InitNetwork(opts, SystemClock::Get()).ok());
    auto genesis = config::LoadGenesis(DefaultGenesisPath(Admin("exporter")));
    ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
    chain_.set_chain_id((*genesis)->chain_id);
    chain_.set_genesis_hash((*genesis)->hash);
    event_.set_chain_id(chain_.chain_id());
    event_.set_shipment_id("S-1");
    event_.set_signer_org("exporter");
    event_.set_nonce("0123456789abcdef");
  }

  std::string Admin(const std::string& org) const {
    return dir_.path() + "/" + org + "/clients/admin";
  }

  Status Add(const std::vector<std::string>& fields, const std::vector<std::string>& readers) {
    return AddPrivateFields(&event_, fields, readers, DefaultGenesisPath(Admin("exporter")),
                            chain_);
  }

  // The printed rows as "key: value" lines.
  static std::string Text(const PrivateFieldsView& view) {
    std::string out;
    for (const auto& [k, v] : view.rows) out += k + ": " + v + "\n";
    return out;
  }

  testing::TempDir dir_{"shipledger-cli-private"};
  v1::ChainInfo chain_;
  v1::Event event_;
};

TEST_F(PrivateFieldsCliTest, ReaderSeesValuesNonReaderAndAnonymousDoNot) {
  ASSERT_TRUE(Add({"invoice_value=EUR 125000"}, {"importer"}).ok());
  auto reader = ViewPrivateFields(event_, Admin("importer"), "");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_NE(Text(*reader).find("invoice_value: EUR 125000"), std::string::npos) << Text(*reader);
  EXPECT_FALSE(reader->fraud);

  auto other = ViewPrivateFields(event_, Admin("forwarder"), "");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(Text(*other).find("1 private field (not a reader)"), std::string::npos);
  EXPECT_EQ(Text(*other).find("EUR"), std::string::npos);

  auto anonymous = ViewPrivateFields(event_, "", "");
  ASSERT_TRUE(anonymous.ok());
  EXPECT_NE(Text(*anonymous).find("encrypted: invoice_value"), std::string::npos);
  EXPECT_EQ(Text(*anonymous).find("EUR"), std::string::npos);
}

TEST_F(PrivateFieldsCliTest, CommitmentMismatchIsShownAsFraud) {
  ASSERT_TRUE(Add({"invoice_value=EUR 125000"}, {"importer"}).ok());
  event_.mutable_private_envelope()->mutable_fields(0)->set_commitment(Bytes(32, 'x'));
  auto view = ViewPrivateFields(event_, Admin("importer"), "");
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->fraud);
  EXPECT_NE(Text(*view).find("FRAUD"), std::string::npos) << Text(*view);
}

TEST_F(PrivateFieldsCliTest, MissingDefaultKeyAsksForEncryptionKey) {
  ASSERT_TRUE(Add({"a=1"}, {"importer"}).ok());
  std::filesystem::remove(DefaultEncryptionKeyPath(Admin("importer")));
  auto view = ViewPrivateFields(event_, Admin("importer"), "");
  ASSERT_FALSE(view.ok());
  EXPECT_NE(view.status().message().find("--encryption-key"), std::string::npos);
}

TEST_F(PrivateFieldsCliTest, GenesisOfAnotherNetworkIsRefused) {
  chain_.set_genesis_hash(Bytes(32, 'g'));
  const Status s = Add({"a=1"}, {"importer"});
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("--genesis"), std::string::npos) << s.ToString();
}

TEST_F(PrivateFieldsCliTest, UnknownReaderIsRefused) {
  EXPECT_EQ(Add({"a=1"}, {"pirate"}).code(), Code::kInvalidArgument);
}

TEST_F(PrivateFieldsCliTest, FieldsTwiceAreRefused) {
  ASSERT_TRUE(Add({"a=1"}, {}).ok());
  EXPECT_EQ(Add({"b=2"}, {}).code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace shipledger::cli
