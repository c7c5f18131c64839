// Bad input through the real gRPC API: each gets its own status and message, and changes
// nothing (no event admitted, or — for contract rules — a REJECTED receipt and unchanged state).
#include <gtest/gtest.h>

#include <functional>

#include "crypto/x509.h"
#include "fixture.h"

namespace shipledger::itest {
namespace {

using grpc::StatusCode;

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = StartNode(net_, &target_);
    ASSERT_NE(node_, nullptr);
    c_ = std::make_unique<Client>(net_, target_);
    // A shipment delivered, and one in transit with the forwarder, for the contract cases.
    Ok(c_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "T-1"));
    Ok(c_->SignedBy("exporter", v1::EVENT_TYPE_HANDOVER, "T-1", {"forwarder"}));
    Ok(c_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "T-2"));
    Ok(c_->SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "T-2"));
    Ok(c_->SignedBy("exporter", v1::EVENT_TYPE_HANDOVER, "T-2", {"forwarder"}));
    Ok(c_->SignedBy("forwarder", v1::EVENT_TYPE_LOADED, "T-2"));
    Ok(c_->SignedBy("forwarder", v1::EVENT_TYPE_DEPARTED, "T-2"));
    Ok(c_->SignedBy("forwarder", v1::EVENT_TYPE_ARRIVED, "T-2"));
    Ok(c_->SignedBy("forwarder", v1::EVENT_TYPE_OUT_FOR_DELIVERY, "T-2"));
    Ok(c_->SignedBy("forwarder", v1::EVENT_TYPE_DELIVERED, "T-2"));
  }
  void TearDown() override {
    c_.reset();
    if (node_) node_->Stop();
  }
  void Ok(const v1::SignedEvent& e) {
    auto r = c_->SubmitOne(e);
    ASSERT_EQ(r.code(), 0) << r.message();
    ASSERT_EQ(r.receipt().code(), v1::RESULT_CODE_VALID) << r.receipt().reason();
  }
  std::string StateOf(const std::string& s) {
    grpc::ClientContext ctx;
    v1::GetShipmentRequest req;
    req.set_shipment_id(s);
    v1::GetShipmentResponse resp;
    (void)c_->stub().GetShipment(&ctx, req, &resp);
    return resp.state().SerializeAsString();
  }

  NetworkDir net_;
  std::string target_;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<Client> c_;
};

struct AdmissionCase {
  std::string name;
  std::function<v1::SignedEvent(Client&, const NetworkDir&)> make;
  StatusCode code;
  std::string message_part;
};

crypto::IssueOptions Opts(crypto::CertKind kind, const std::string& org, int64_t from, int64_t to) {
  crypto::IssueOptions o;
  o.kind = kind;
  o.organization = org;
  o.common_name = "x";
  o.not_before_ms = from;
  o.not_after_ms = to;
  o.serial = 7;
  return o;
}

// A client identity of a CA that is not in the genesis, claiming to be the exporter.
config::Identity RogueIdentity(const std::string& org, int64_t from, int64_t to, bool same_ca,
                               const NetworkDir& net) {
  auto key = *crypto::PrivateKey::Generate();
  if (same_ca) {
    auto ca_key =
        *crypto::PrivateKey::FromPem(*crypto::ReadFile((net.path() / org / "ca/key.pem").string()));
    auto ca_cert = *crypto::Certificate::FromPem(
        *crypto::ReadFile((net.path() / org / "ca/cert.pem").string()));
    auto cert = *crypto::IssueCertificate(ca_cert, ca_key, key.public_key(),
                                          Opts(crypto::CertKind::kClient, org, from, to));
    return config::Identity{cert, key};
  }
  auto ca_key = *crypto::PrivateKey::Generate();
  auto ca = *crypto::IssueCaCertificate(ca_key, Opts(crypto::CertKind::kCa, org, from, to));
  auto cert = *crypto::IssueCertificate(ca, ca_key, key.public_key(),
                                        Opts(crypto::CertKind::kClient, org, from, to));
  return config::Identity{cert, key};
}

TEST_F(BadInputTest, AdmissionRejectsEachBadInputWithItsStatusAndChangesNothing) {
  const int64_t now = SystemClock::Get().NowMs();
  const int64_t day = 24LL * 3600 * 1000;
  std::vector<AdmissionCase> cases = {
      {"malformed event bytes",
       [](Client&, const NetworkDir&) {
         v1::SignedEvent se;
         se.set_event("\xff\xff\xff garbage");
         return se;
       },
       StatusCode::INVALID_ARGUMENT, "not a valid Event"},
      {"empty signed event", [](Client&, const NetworkDir&) { return v1::SignedEvent(); },
       StatusCode::INVALID_ARGUMENT, "no event bytes"},
      {"garbage signature",
       [](Client& c, const NetworkDir&) {
         auto se = c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "X-1");
         se.set_signature("not a signature");
         return se;
       },
       StatusCode::INVALID_ARGUMENT, "signature"},
      {"tampered bytes after signing",
       [](Client& c, const NetworkDir&) {
         auto e = c.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "X-2");
         auto se = c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "X-2");
         e.set_location("DEHAM");
         se.set_event(e.SerializeAsString());
         return se;
       },
       StatusCode::INVALID_ARGUMENT, "signature"},
      {"signed with another party's key",
       [](Client& c, const NetworkDir& n) {
         auto se = c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "X-3");
         se.set_signature(*n.client("importer").key.Sign(model::EventSigningMessage(se.event())));
         return se;
       },
       StatusCode::INVALID_ARGUMENT, "does not match"},
      {"certificate from an unknown CA",
       [now, day](Client& c, const NetworkDir& n) {
         auto rogue = RogueIdentity("exporter", now - day, now + day, false, n);
         return c.Sign(c.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "X-4"), rogue);
       },
       StatusCode::PERMISSION_DENIED, "does not chain"},
      {"expired client certificate",
       [now, day](Client& c, const NetworkDir& n) {
         auto old = RogueIdentity("exporter", now - 10 * day, now - day, true, n);
         return c.Sign(c.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "X-5"), old);
       },
       StatusCode::PERMISSION_DENIED, "expired"},
      {"wrong chain id",
       [](Client& c, const NetworkDir& n) {
         auto e = c.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "X-6");
         e.set_chain_id("another-chain");
         return c.Sign(e, n.client("exporter"));
       },
       StatusCode::INVALID_ARGUMENT, "another-chain"},
      {"role not allowed for the event type",
       [](Client& c, const NetworkDir&) {
         return c.SignedBy("importer", v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, "T-1");
       },
       StatusCode::PERMISSION_DENIED, "may not record"},
      {"claims another organisation",
       [](Client& c, const NetworkDir& n) {
         auto e = c.NewEvent("customs", v1::EVENT_TYPE_BOOKED, "X-7");
         return c.Sign(e, n.client("exporter"));
       },
       StatusCode::PERMISSION_DENIED, "belongs to 'exporter'"},
      {"oversized event",
       [](Client& c, const NetworkDir& n) {
         auto e = c.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "X-8");
         for (int i = 0; i < 200; ++i) {
           auto* d = e.add_details();
           d->set_key("k" + std::to_string(i));
           d->set_value(std::string(200, 'v'));
         }
         return c.Sign(e, n.client("exporter"));
       },
       StatusCode::INVALID_ARGUMENT, "limit"},
      {"handover without the receiver's co-signature",
       [](Client& c, const NetworkDir& n) {
         auto e = c.NewEvent("forwarder", v1::EVENT_TYPE_HANDOVER, "T-1");
         e.add_cosigner_orgs("importer");
         return c.Sign(e, n.client("forwarder"));
       },
       StatusCode::INVALID_ARGUMENT, "co-signature"},
      {"handover naming no receiver",
       [](Client& c, const NetworkDir&) {
         return c.SignedBy("forwarder", v1::EVENT_TYPE_HANDOVER, "T-1");
       },
       StatusCode::INVALID_ARGUMENT, "exactly one co-signer"},
      {"co-signature by the wrong organisation",
       [](Client& c, const NetworkDir& n) {
         auto e = c.NewEvent("forwarder", v1::EVENT_TYPE_HANDOVER, "T-1");
         e.add_cosigner_orgs("importer");
         return c.Sign(e, n.client("forwarder"), {&n.client("customs")});
       },
       StatusCode::INVALID_ARGUMENT, "requires 'importer'"},
      {"timestamp far in the future",
       [now, day](Client& c, const NetworkDir& n) {
         auto e = c.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "X-9");
         e.set_occurred_at_ms(now + day);
         return c.Sign(e, n.client("exporter"));
       },
       StatusCode::INVALID_ARGUMENT, "future"},
      {"timestamp far in the past",
       [now, day](Client& c, const NetworkDir& n) {
         auto e = c.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "X-10");
         e.set_occurred_at_ms(now - 400 * day);
         return c.Sign(e, n.client("exporter"));
       },
       StatusCode::INVALID_ARGUMENT, "past"},
      {"unknown event type",
       [](Client& c, const NetworkDir& n) {
         auto e = c.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "X-11");
         e.set_type(static_cast<v1::EventType>(999));
         return c.Sign(e, n.client("exporter"));
       },
       StatusCode::INVALID_ARGUMENT, "unknown"},
      {"location that is not a UN/LOCODE",
       [](Client& c, const NetworkDir& n) {
         auto e = c.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "X-12");
         e.set_location("Hamburg");
         return c.Sign(e, n.client("exporter"));
       },
       StatusCode::INVALID_ARGUMENT, "UN/LOCODE"},
      {"unknown reference kind",
       [](Client& c, const NetworkDir& n) {
         auto e = c.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "X-13");
         auto* r = e.add_references();
         r->set_kind("favourite_colour");
         r->set_value("blue");
         return c.Sign(e, n.client("exporter"));
       },
       StatusCode::INVALID_ARGUMENT, "reference kind"},
      {"party that is not an organisation",
       [](Client& c, const NetworkDir& n) {
         auto e = c.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "X-14");
         e.add_parties("nobody");
         return c.Sign(e, n.client("exporter"));
       },
       StatusCode::INVALID_ARGUMENT, "nobody"},
  };
  ASSERT_GE(cases.size(), 15u);
  const v1::ChainInfo before = c_->ChainInfo();
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    auto r = c_->SubmitOne(tc.make(*c_, net_));
    EXPECT_EQ(r.code(), static_cast<int>(tc.code)) << r.message();
    EXPECT_NE(r.message().find(tc.message_part), std::string::npos) << r.message();
    EXPECT_FALSE(r.has_receipt());
  }
  const v1::ChainInfo after = c_->ChainInfo();
  EXPECT_EQ(after.event_count(), before.event_count());
  EXPECT_EQ(after.head_hash(), before.head_hash());
}

TEST_F(BadInputTest, ContractRejectionsGetAReceiptAndLeaveStateUnchanged) {
  struct Case {
    std::string name;
    v1::SignedEvent event;
    std::string shipment;
    std::string reason_part;
  };
  std::vector<Case> cases = {
      // The exporter is a party of T-1, which it handed over to the forwarder.
      {"custody event by a non-custodian", c_->SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "T-1"),
       "T-1", "custodian"},
      // Contract rules v3: a non-party's event is judged as on an unknown shipment.
      {"event by a non-party", c_->SignedBy("importer", v1::EVENT_TYPE_PICKUP, "T-1"), "T-1",
       "shipment T-1 is not booked"},
      {"event after delivery", c_->SignedBy("forwarder", v1::EVENT_TYPE_LOADED, "T-2"), "T-2",
       "delivered"},
      {"event on a shipment never booked", c_->SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "NEVER"),
       "NEVER", "not booked"},
      {"booking an existing shipment", c_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "T-1"),
       "T-1", "shipment id T-1 is not available"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    const std::string before = StateOf(tc.shipment);
    auto r = c_->SubmitOne(tc.event);
    EXPECT_EQ(r.code(), 0) << r.message();
    EXPECT_EQ(r.receipt().code(), v1::RESULT_CODE_REJECTED);
    EXPECT_NE(r.receipt().reason().find(tc.reason_part), std::string::npos) << r.receipt().reason();
    EXPECT_EQ(StateOf(tc.shipment), before);
  }
}

TEST_F(BadInputTest, RequestLevelErrors) {
  grpc::Status s;
  c_->Submit({}, false, &s);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  std::vector<v1::SignedEvent> many(1001, c_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "Y"));
  c_->Submit(many, false, &s);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("at most"), std::string::npos);
  // A gRPC message over the node's max_request_bytes is refused by gRPC itself.
  v1::SignedEvent huge;
  huge.set_event(std::string(9 << 20, 'x'));
  c_->Submit({huge}, false, &s);
  EXPECT_EQ(s.error_code(), StatusCode::RESOURCE_EXHAUSTED);
}

TEST(MempoolFull, BeyondCapacityIsResourceExhausted) {
  NetworkDir net;
  std::string target;
  // A queue of 5 and a batch timeout long enough that nothing drains during the test.
  auto node = StartNode(net, &target, /*mempool_capacity=*/5, /*batch_timeout_ms=*/60000);
  ASSERT_NE(node, nullptr);
  Client c(net, target);
  std::vector<v1::SignedEvent> events;
  for (int i = 0; i < 8; ++i) {
    events.push_back(c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "F-" + std::to_string(i)));
  }
  auto resp = c.Submit(events, /*wait=*/false);
  ASSERT_EQ(resp.results_size(), 8);
  int ok = 0, exhausted = 0;
  for (const auto& r : resp.results()) {
    if (r.code() == 0) ++ok;
    if (r.code() == static_cast<int>(StatusCode::RESOURCE_EXHAUSTED)) ++exhausted;
  }
  EXPECT_EQ(ok, 5);
  EXPECT_EQ(exhausted, 3);
  node->Stop();
}

}  // namespace
}  // namespace shipledger::itest
