// Authenticated access and read scoping of the client API (issue 6, DESIGN §8): mutual TLS with
// certificates of genesis organisations, and a shipment visible to its parties only.
#include <gtest/gtest.h>

#include "cli/connection.h"
#include "fixture.h"

namespace shipledger::itest {
namespace {

// One node (the exporter's); forwarder, customs and importer are client organisations.
class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = StartNode(net_, &target_);
    ASSERT_NE(node_, nullptr);
    exporter_ = std::make_unique<Client>(net_, target_, "exporter");
    // Booked by the exporter with the forwarder as party; customs and importer are not parties.
    v1::Event booked = exporter_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, kShipment);
    booked.add_parties("forwarder");
    auto* ref = booked.add_references();
    ref->set_kind("booking");
    ref->set_value("BK-ACCESS");
    booked_signed_ = exporter_->Sign(booked, net_.client("exporter"));
    booked_ = exporter_->SubmitOne(booked_signed_);
    ASSERT_EQ(booked_.receipt().code(), v1::RESULT_CODE_VALID) << booked_.message();
  }

  std::unique_ptr<v1::LedgerService::Stub> StubWith(
      std::shared_ptr<grpc::ChannelCredentials> credentials) const {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return v1::LedgerService::NewStub(
        grpc::CreateCustomChannel(target_, std::move(credentials), args));
  }

  static grpc::Status GetShipment(v1::LedgerService::Stub& stub, const std::string& id,
                                  v1::GetShipmentResponse* out) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::GetShipmentRequest req;
    req.set_shipment_id(id);
    return stub.GetShipment(&ctx, req, out);
  }

  static constexpr const char* kShipment = "ACC-1";
  NetworkDir net_;
  std::string target_;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<Client> exporter_;
  v1::SignedEvent booked_signed_;
  v1::SubmitResult booked_;
};

TEST_F(AccessTest, ClientWithCertificateOfAnUnknownCaIsUnauthenticated) {
  NetworkDir other;  // its "exporter" has the same name and another CA
  auto stub = StubWith(cli::ClientApiCredentials(other.client("exporter"), *net_.genesis()));
  v1::GetShipmentResponse out;
  const grpc::Status s = GetShipment(*stub, kShipment, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  EXPECT_NE(s.error_message().find("not issued by its CA"), std::string::npos) << s.error_message();
}

TEST_F(AccessTest, ClientWithoutCertificateIsUnauthenticated) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = model::OrganisationRootsPem(*net_.genesis());
  auto stub = StubWith(grpc::SslCredentials(ssl));
  v1::GetShipmentResponse out;
  const grpc::Status s = GetShipment(*stub, kShipment, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  EXPECT_NE(s.error_message().find("no client certificate"), std::string::npos);
  // Submitting is refused the same way and changes nothing.
  grpc::ClientContext ctx;
  v1::SubmitEventsRequest req;
  *req.add_events() = exporter_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "ACC-ANON");
  v1::SubmitEventsResponse resp;
  EXPECT_EQ(stub->SubmitEvents(&ctx, req, &resp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  const uint64_t events = exporter_->ChainInfo().event_count();
  EXPECT_EQ(events, 1u);
}

TEST_F(AccessTest, PlaintextClientCannotTalkToTheTlsApi) {
  auto stub = StubWith(grpc::InsecureChannelCredentials());
  v1::GetShipmentResponse out;
  EXPECT_EQ(GetShipment(*stub, kShipment, &out).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(AccessTest, PartyReadsTheShipmentNonPartyGetsNotFoundExactlyAsForAnUnknownId) {
  Client forwarder(net_, target_, "forwarder");
  v1::GetShipmentResponse out;
  ASSERT_TRUE(GetShipment(forwarder.stub(), kShipment, &out).ok());
  EXPECT_EQ(out.state().shipment_id(), kShipment);

  Client customs(net_, target_, "customs");
  v1::GetShipmentResponse hidden, unknown;
  const grpc::Status s = GetShipment(customs.stub(), kShipment, &hidden);
  const grpc::Status u = GetShipment(customs.stub(), "NO-SUCH-SHIPMENT", &unknown);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(u.error_code(), grpc::StatusCode::NOT_FOUND);
  // The same words, but for the id asked about.
  EXPECT_EQ(s.error_message(), "shipment " + std::string(kShipment) + " not found");
  EXPECT_EQ(u.error_message(), "shipment NO-SUCH-SHIPMENT not found");
}

TEST_F(AccessTest, NonPartyCannotReadTheEventOrItsReceipt) {
  Client customs(net_, target_, "customs");
  Client forwarder(net_, target_, "forwarder");
  const std::string id = booked_.event_id();
  const std::string unknown(32, '\x5a');
  for (const std::string& event_id : {id, unknown}) {
    // Hidden and unknown ids get the same code and the same words (for the id asked about).
    grpc::ClientContext ctx;
    v1::GetEventRequest req;
    req.set_event_id(event_id);
    v1::GetEventResponse resp;
    const grpc::Status e = customs.stub().GetEvent(&ctx, req, &resp);
    EXPECT_EQ(e.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(e.error_message(), "event " + ToHex(event_id) + " not found");
    grpc::ClientContext rctx;
    v1::GetReceiptRequest rreq;
    rreq.set_event_id(event_id);
    v1::Receipt receipt;
    const grpc::Status r = customs.stub().GetReceipt(&rctx, rreq, &receipt);
    EXPECT_EQ(r.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(r.error_message(),
              "no receipt for event " + ToHex(event_id) + ": not committed (yet)");
  }
  grpc::ClientContext ctx;
  v1::GetEventRequest req;
  req.set_event_id(id);
  v1::GetEventResponse resp;
  EXPECT_TRUE(forwarder.stub().GetEvent(&ctx, req, &resp).ok());
}

TEST_F(AccessTest, FindAndListShowOnlyTheCallersShipments) {
  // A second shipment customs is party to.
  v1::Event other = exporter_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "ACC-2");
  other.add_parties("customs");
  auto* ref = other.add_references();
  ref->set_kind("booking");
  ref->set_value("BK-ACCESS");
  ASSERT_EQ(exporter_->SubmitOne(exporter_->Sign(other, net_.client("exporter"))).receipt().code(),
            v1::RESULT_CODE_VALID);

  auto find = [&](const std::string& org) {
    Client c(net_, target_, org);
    grpc::ClientContext ctx;
    v1::FindShipmentsRequest req;
    req.mutable_reference()->set_kind("booking");
    req.mutable_reference()->set_value("BK-ACCESS");
    v1::FindShipmentsResponse resp;
    EXPECT_TRUE(c.stub().FindShipments(&ctx, req, &resp).ok());
    return std::vector<std::string>(resp.shipment_ids().begin(), resp.shipment_ids().end());
  };
  EXPECT_EQ(find("exporter"), (std::vector<std::string>{"ACC-1", "ACC-2"}));
  EXPECT_EQ(find("customs"), (std::vector<std::string>{"ACC-2"}));
  EXPECT_EQ(find("importer"), std::vector<std::string>{});

  auto list = [&](const std::string& org, uint32_t page_size) {
    return Client(net_, target_, org).ListShipmentIds(page_size);
  };
  EXPECT_EQ(list("exporter", 1), (std::vector<std::string>{"ACC-1", "ACC-2"}));
  EXPECT_EQ(list("customs", 1), (std::vector<std::string>{"ACC-2"}));
  EXPECT_EQ(list("forwarder", 50), (std::vector<std::string>{"ACC-1"}));
  EXPECT_EQ(list("importer", 50), std::vector<std::string>{});
}

TEST_F(AccessTest, NonPartyCannotWatchTheShipmentAndItsUnfilteredStreamLeavesItOut) {
  Client customs(net_, target_, "customs");
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::WatchRequest req;
    req.set_shipment_id(kShipment);
    auto reader = customs.stub().Watch(&ctx, req);
    v1::WatchResponse msg;
    EXPECT_FALSE(reader->Read(&msg));
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::NOT_FOUND);
  }
  // A shipment customs is party to, committed after the hidden one.
  v1::Event mine = exporter_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "ACC-MINE");
  mine.add_parties("customs");
  ASSERT_EQ(exporter_->SubmitOne(exporter_->Sign(mine, net_.client("exporter"))).receipt().code(),
            v1::RESULT_CODE_VALID);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto reader = customs.stub().Watch(&ctx, v1::WatchRequest());
  v1::WatchResponse msg;
  ASSERT_TRUE(reader->Read(&msg));
  // The first entry customs sees is its own shipment: ACC-1 (height 1) was left out.
  EXPECT_EQ(msg.entry().event().shipment_id(), "ACC-MINE");
  ctx.TryCancel();
}

// state_only: the state without the timeline, read access unchanged.
TEST_F(AccessTest, StateOnlyGivesTheStateWithoutTheTimelineToPartiesOnly) {
  auto get = [&](const std::string& org, bool state_only, v1::GetShipmentResponse* out) {
    Client c(net_, target_, org);
    grpc::ClientContext ctx;
    v1::GetShipmentRequest req;
    req.set_shipment_id(kShipment);
    req.set_state_only(state_only);
    return c.stub().GetShipment(&ctx, req, out);
  };
  v1::GetShipmentResponse full, state_only, hidden;
  ASSERT_TRUE(get("forwarder", false, &full).ok());
  ASSERT_TRUE(get("forwarder", true, &state_only).ok());
  EXPECT_EQ(full.timeline_size(), 1);
  EXPECT_EQ(state_only.timeline_size(), 0);
  EXPECT_EQ(state_only.state().SerializeAsString(), full.state().SerializeAsString());
  EXPECT_EQ(get("importer", true, &hidden).error_code(), grpc::StatusCode::NOT_FOUND);
}

// parties_only: the stream of an organisation that runs a node, scoped as GetShipment is.
TEST(AccessPartiesOnlyTest, ANodeOrganisationsPartiesOnlyStreamLeavesOutOthersShipments) {
  NetworkDir net("exporter:exporter,shipper:exporter:client,customs:customs:client");
  std::string target;
  auto node = StartNode(net, &target);
  ASSERT_NE(node, nullptr);
  Client exporter(net, target, "exporter");
  Client shipper(net, target, "shipper");
  auto book = [&](Client& c, const std::string& org, const std::string& id) {
    v1::Event e = c.NewEvent(org, v1::EVENT_TYPE_BOOKED, id);
    return c.SubmitOne(c.Sign(e, net.client(org))).receipt().code();
  };
  ASSERT_EQ(book(exporter, "exporter", "PO-MINE-1"), v1::RESULT_CODE_VALID);
  ASSERT_EQ(book(shipper, "shipper", "PO-THEIRS"), v1::RESULT_CODE_VALID);
  // The exporter's own events on no shipment and on another's: rejected, and no shipment the
  // exporter is party to.
  ASSERT_EQ(exporter.SubmitOne(exporter.SignedBy("exporter", v1::EVENT_TYPE_DEPARTED, "PO-NOPE"))
                .receipt()
                .code(),
            v1::RESULT_CODE_REJECTED);
  ASSERT_EQ(exporter.SubmitOne(exporter.SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "PO-THEIRS"))
                .receipt()
                .code(),
            v1::RESULT_CODE_REJECTED);
  ASSERT_EQ(book(exporter, "exporter", "PO-MINE-2"), v1::RESULT_CODE_VALID);
  auto first = [&](bool parties_only, size_t n) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::WatchRequest req;
    req.set_parties_only(parties_only);
    auto reader = exporter.stub().Watch(&ctx, req);
    std::vector<std::string> ids;
    v1::WatchResponse msg;
    while (ids.size() < n && reader->Read(&msg)) ids.push_back(msg.entry().event().shipment_id());
    ctx.TryCancel();
    return ids;
  };
  EXPECT_EQ(first(false, 4),
            (std::vector<std::string>{"PO-MINE-1", "PO-THEIRS", "PO-NOPE", "PO-THEIRS"}));
  EXPECT_EQ(first(true, 2), (std::vector<std::string>{"PO-MINE-1", "PO-MINE-2"}));
}

TEST_F(AccessTest, WholeBlocksGoOnlyToOrganisationsThatRunNodes) {
  auto get_block = [&](const std::string& org) {
    Client c(net_, target_, org);
    grpc::ClientContext ctx;
    v1::GetBlockRequest req;
    req.set_height(1);
    v1::Block block;
    return c.stub().GetBlock(&ctx, req, &block);
  };
  EXPECT_TRUE(get_block("exporter").ok());
  const grpc::Status s = get_block("forwarder");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("runs none"), std::string::npos) << s.error_message();
}

// Every answer the API gives `stranger` about its own event on `shipment`: submitting it
// (awaited, again as a duplicate, and without waiting), then asking for its receipt, the event,
// its proof and the shipment, as status code, message and response. What is the event's own and
// differs between any two events is left out: its id, signature and times, and its place in the
// chain (height, index, block time, the block and the paths of a proof); the shipment id is
// replaced by a placeholder. Everything else — codes, words, receipts' results and reasons,
// which responses are empty — is compared byte for byte.
std::string StrangerTranscript(Client& stranger, const std::string& org,
                               const std::string& shipment) {
  const v1::SignedEvent event = stranger.SignedBy(org, v1::EVENT_TYPE_INSPECTION, shipment);
  std::string event_id;
  uint64_t height = 0;
  std::string out;
  const auto own = [&event_id, &height](v1::Receipt* r) {
    if (r->ByteSizeLong() == 0) return;
    EXPECT_EQ(r->event_id(), event_id);
    height = r->height();
    r->clear_event_id();
    r->clear_height();
    r->clear_index();
  };
  const auto line = [&out](const char* what, const grpc::Status& s,
                           const google::protobuf::Message& m) {
    out += std::string(what) + ": " + std::to_string(s.error_code()) + " " + s.error_message() +
           " {" + m.ShortDebugString() + "}\n";
  };
  const auto submit = [&](const char* what, bool wait) {
    v1::SubmitResult r = stranger.SubmitOne(event, wait);
    if (event_id.empty()) event_id = r.event_id();
    EXPECT_EQ(r.event_id(), event_id);
    r.clear_event_id();
    if (r.has_receipt()) own(r.mutable_receipt());
    line(what, grpc::Status::OK, r);
  };
  submit("submit", true);
  submit("again", true);
  submit("again, no wait", false);
  {
    grpc::ClientContext ctx;
    v1::GetReceiptRequest req;
    req.set_event_id(event_id);
    v1::Receipt receipt;
    const grpc::Status s = stranger.stub().GetReceipt(&ctx, req, &receipt);
    own(&receipt);
    line("receipt", s, receipt);
  }
  {
    grpc::ClientContext ctx;
    v1::GetEventRequest req;
    req.set_event_id(event_id);
    v1::GetEventResponse got;
    const grpc::Status s = stranger.stub().GetEvent(&ctx, req, &got);
    if (s.ok()) {
      EXPECT_EQ(got.event().SerializeAsString(), event.SerializeAsString());
    }
    got.clear_event();
    got.clear_height();
    got.clear_index();
    got.clear_block_time_ms();
    own(got.mutable_receipt());
    line("event", s, got);
  }
  {
    grpc::ClientContext ctx;
    v1::GetEventProofRequest req;
    req.set_event_id(event_id);
    v1::EventProof proof;
    const grpc::Status s = stranger.stub().GetEventProof(&ctx, req, &proof);
    v1::Receipt receipt = proof.receipt();
    own(&receipt);
    line("proof", s, receipt);
  }
  {
    grpc::ClientContext ctx;
    v1::GetShipmentRequest req;
    req.set_shipment_id(shipment);
    v1::GetShipmentResponse got;
    line("shipment", stranger.stub().GetShipment(&ctx, req, &got), got);
  }
  const auto replace_all = [&out](const std::string& from, const std::string& to) {
    for (size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size())) {
      out.replace(at, from.size(), to);
    }
  };
  replace_all(ToHex(event_id), "EVENT");
  replace_all("height " + std::to_string(height), "height HEIGHT");
  replace_all(shipment, "SHIPMENT");
  return out;
}

// Issue 19 (contract rules v3, which network init writes): a stranger's event on a shipment it
// cannot read is judged as if the shipment did not exist, and every answer it gets about it is
// the answer for an unknown shipment; only a party makes a party.
TEST_F(AccessTest, StrangersEventOnAHiddenShipmentIsAnsweredByteForByteAsOnAnUnknownOne) {
  Client customs(net_, target_, "customs");
  const std::string hidden = StrangerTranscript(customs, "customs", kShipment);
  const std::string unknown = StrangerTranscript(customs, "customs", "ACC-NEVER-BOOKED");
  EXPECT_EQ(hidden, unknown);
  // The stranger is told its event was rejected because no such shipment is booked.
  EXPECT_NE(hidden.find("SHIPMENT is not booked"), std::string::npos) << hidden;
  // It made customs no party, and the exporter sees why: the unknown shipment's reason.
  v1::GetShipmentResponse out;
  EXPECT_EQ(GetShipment(customs.stub(), kShipment, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(GetShipment(exporter_->stub(), kShipment, &out).ok());
  const auto& last = out.timeline(out.timeline_size() - 1);
  EXPECT_EQ(last.event().type(), v1::EVENT_TYPE_INSPECTION);
  EXPECT_EQ(last.receipt().code(), v1::RESULT_CODE_REJECTED);
  EXPECT_EQ(last.receipt().reason(), std::string("shipment ") + kShipment + " is not booked");
  // A party names customs: from then on it reads the shipment and records its inspection.
  v1::Event added = exporter_->NewEvent("exporter", v1::EVENT_TYPE_PARTY_ADDED, kShipment);
  added.add_parties("customs");
  ASSERT_EQ(exporter_->SubmitValid(exporter_->Sign(added, net_.client("exporter"))).code(),
            v1::RESULT_CODE_VALID);
  ASSERT_TRUE(GetShipment(customs.stub(), kShipment, &out).ok());
  const auto valid =
      customs.SubmitOne(customs.SignedBy("customs", v1::EVENT_TYPE_INSPECTION, kShipment));
  EXPECT_EQ(valid.receipt().code(), v1::RESULT_CODE_VALID) << valid.receipt().reason();
  // A stranger's party_added is refused as any stranger's event is: it cannot add itself.
  Client importer(net_, target_, "importer");
  v1::Event self_added = importer.NewEvent("importer", v1::EVENT_TYPE_PARTY_ADDED, kShipment);
  self_added.add_parties("importer");
  EXPECT_EQ(
      importer.SubmitOne(importer.Sign(self_added, net_.client("importer"))).receipt().reason(),
      std::string("shipment ") + kShipment + " is not booked");
  EXPECT_EQ(GetShipment(importer.stub(), kShipment, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// Issue 19: SubmitEvents told a stranger the custodian of a shipment it cannot read (the
// REJECTED receipt of its own event), and whether an event it relays is on the chain
// (ALREADY_EXISTS with the receipt); a proof request's errors came before the visibility check.
TEST_F(AccessTest, SubmitAndProofAnswersToAStrangerRevealNothing) {
  Client customs(net_, target_, "customs");
  // The exporter's booking, relayed by a stranger: answered as a new event would be once
  // committed, without a receipt; relayed by a party: ALREADY_EXISTS with the receipt.
  const auto relayed = customs.SubmitOne(booked_signed_);
  EXPECT_EQ(relayed.code(), 0) << relayed.message();
  EXPECT_EQ(relayed.message(), "committed");
  EXPECT_FALSE(relayed.has_receipt());
  const auto relayed_no_wait = customs.SubmitOne(booked_signed_, /*wait=*/false);
  EXPECT_EQ(relayed_no_wait.code(), 0);
  EXPECT_EQ(relayed_no_wait.message(), "admitted");
  Client forwarder(net_, target_, "forwarder");
  const auto by_party = forwarder.SubmitOne(booked_signed_);
  EXPECT_EQ(by_party.code(), static_cast<int32_t>(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_EQ(by_party.receipt().code(), v1::RESULT_CODE_VALID);
  // Its own event on the hidden shipment: no reason naming the custodian.
  const auto own = customs.SubmitOne(customs.SignedBy("customs", v1::EVENT_TYPE_PICKUP, kShipment));
  EXPECT_FALSE(own.has_receipt()) << own.receipt().reason();
  EXPECT_EQ(own.message().find("exporter"), std::string::npos) << own.message();
  // Proofs: the hidden event and an unknown id get the same code and words.
  const std::string unknown(32, '\x5a');
  for (const std::string& event_id : {booked_.event_id(), unknown}) {
    grpc::ClientContext ctx;
    v1::GetEventProofRequest req;
    req.set_event_id(event_id);
    v1::EventProof proof;
    const grpc::Status s = customs.stub().GetEventProof(&ctx, req, &proof);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(s.error_message(), "event " + ToHex(event_id) + " not found");
  }
}

TEST(InsecureClientApi, ServesPlaintextWithEveryReadUnscoped) {
  NetworkDir net;
  std::string target;
  auto node =
      StartNodeWith(net, &target, [](config::NodeConfig* c) { c->insecure_client_api = true; });
  ASSERT_NE(node, nullptr);
  Client exporter(net, target, "exporter");  // TLS credentials do not work on plaintext
  grpc::ChannelArguments args;
  auto stub = v1::LedgerService::NewStub(
      grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
  grpc::ClientContext sctx;
  v1::SubmitEventsRequest req;
  *req.add_events() = exporter.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "INS-1");
  req.set_wait_for_commit(true);
  v1::SubmitEventsResponse resp;
  ASSERT_TRUE(stub->SubmitEvents(&sctx, req, &resp).ok());
  ASSERT_EQ(resp.results(0).receipt().code(), v1::RESULT_CODE_VALID);
  grpc::ClientContext ctx;
  v1::GetShipmentRequest get;
  get.set_shipment_id("INS-1");
  v1::GetShipmentResponse out;
  EXPECT_TRUE(stub->GetShipment(&ctx, get, &out).ok());
}

}  // namespace
}  // namespace shipledger::itest
