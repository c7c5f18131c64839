// The gateway's request reading and answer writing: targets and their parameters, page links,
// the problem and DCSA error formats, the EPCISQueryDocument envelope (the EPCIS 2.0 schema's
// rules for it, in our words), EPCIS query parameters, callback URLs and subscription bodies.
#include "gateway/http_util.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <regex>

#include "gateway/callback_client.h"
#include "gateway/epcis_query.h"
#include "gateway/subscriptions.h"
#include "interop/epcis_export.h"
#include "testing/ledger_samples.h"

namespace shipledger::gateway {
namespace {

namespace pb = google::protobuf;
using interop::testing::Json;

const std::regex kTime(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)");

TEST(ParseTargetTest, DecodesThePathAndEachParameter) {
  auto t = ParseTarget("/events/ni%3A%2F%2F%2Fsha-256%3Bab%3Fver%3DCBV2.0");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->path, "/events/ni:///sha-256;ab?ver=CBV2.0");
  EXPECT_TRUE(t->params.empty());
  t = ParseTarget("/events?EQ_bizStep=departing%7Carriving&&a+b=c+d&flag&MATCH_epc=urn:x");
  ASSERT_TRUE(t.has_value());
  const std::vector<std::pair<std::string, std::string>> want = {
      {"EQ_bizStep", "departing|arriving"}, {"a b", "c d"}, {"flag", ""}, {"MATCH_epc", "urn:x"}};
  EXPECT_EQ(t->params, want);
  EXPECT_FALSE(ParseTarget("/events?x=%zz").has_value());
  EXPECT_FALSE(ParseTarget("/events?x=%00").has_value());  // not printable
  EXPECT_FALSE(ParseTarget("/ev%ents").has_value());
}

TEST(PageLinkTest, ReadsBackToTheSameParametersAndCursor) {
  const std::vector<std::pair<std::string, std::string>> params = {
      {"EQ_bizStep", "departing|arriving"}, {"MATCH_epc", "urn:epc:idpat:bic:CS*"}, {"a b", "+&="}};
  const std::string link = PageLink("/events", params, "nextPageToken", "42");
  auto t = ParseTarget(link);
  ASSERT_TRUE(t.has_value()) << link;
  EXPECT_EQ(t->path, "/events");
  auto with_cursor = params;
  with_cursor.emplace_back("nextPageToken", "42");
  EXPECT_EQ(t->params, with_cursor);
  EXPECT_EQ(PageLink("/v2/events", {}, "cursor", ""), "/v2/events");
  EXPECT_EQ(SplitList("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(SplitList("", '|'), (std::vector<std::string>{""}));
}

TEST(ErrorFormatTest, ProblemsAndDcsaErrorsHaveTheirStandardsFields) {
  const rpc::HttpAnswer p =
      Problem(404, "epcisException:NoSuchResourceException", "No such event", "no event x");
  EXPECT_EQ(p.status, 404u);
  EXPECT_EQ(p.content_type, "application/problem+json");
  const pb::Struct problem = Json(p.body);
  EXPECT_EQ(problem.fields().at("type").string_value(), "epcisException:NoSuchResourceException");
  EXPECT_EQ(problem.fields().at("title").string_value(), "No such event");
  EXPECT_EQ(problem.fields().at("status").number_value(), 404);
  EXPECT_EQ(problem.fields().at("detail").string_value(), "no event x");

  rpc::HttpRequest request;
  request.method = boost::beast::http::verb::put;
  request.target = "/v2/event-subscriptions/x?y=1";
  const rpc::HttpAnswer d = DcsaError(request, 400, "invalidInput", "callbackUrl is required");
  EXPECT_EQ(d.status, 400u);
  EXPECT_EQ(d.content_type, "application/json");
  const pb::Struct error = Json(d.body);
  // T&T 2.2's Error: these five are required, statusCode is a string.
  EXPECT_EQ(error.fields().at("httpMethod").string_value(), "PUT");
  EXPECT_EQ(error.fields().at("requestUri").string_value(), "/v2/event-subscriptions/x?y=1");
  EXPECT_EQ(error.fields().at("statusCode").string_value(), "400");
  EXPECT_EQ(error.fields().at("statusCodeText").string_value(), "Bad Request");
  EXPECT_TRUE(std::regex_match(error.fields().at("errorDateTime").string_value(), kTime));
  const auto& sub = error.fields().at("errors").list_value().values(0).struct_value();
  EXPECT_EQ(sub.fields().at("reason").string_value(), "invalidInput");
  EXPECT_EQ(sub.fields().at("message").string_value(), "callbackUrl is required");
}

// EPCIS 2.0 schema, EPCISQueryDocument: @context, type, schemaVersion (a string), creationDate
// (date-time) and epcisBody.queryResults, which has queryName and resultsBody.eventList.
TEST(EpcisQueryDocumentTest, HasTheEnvelopeTheSchemaRequires) {
  std::vector<pb::Struct> events = {Json(R"({"type": "ObjectEvent", "eventID": "a"})"),
                                    Json(R"({"type": "ObjectEvent", "eventID": "b"})")};
  const pb::Struct doc = EpcisQueryDocument(events);
  const auto& f = doc.fields();
  EXPECT_EQ(f.size(), 5u);
  EXPECT_TRUE(pb::util::MessageDifferencer::Equals(f.at("@context"), interop::ExportContext()));
  EXPECT_EQ(f.at("type").string_value(), "EPCISQueryDocument");
  EXPECT_EQ(f.at("schemaVersion").string_value(), "2.0");
  EXPECT_TRUE(std::regex_match(f.at("creationDate").string_value(), kTime));
  const auto& results = f.at("epcisBody").struct_value().fields().at("queryResults").struct_value();
  EXPECT_EQ(results.fields().at("queryName").string_value(), "SimpleEventQuery");
  const auto& list =
      results.fields().at("resultsBody").struct_value().fields().at("eventList").list_value();
  ASSERT_EQ(list.values_size(), 2);
  EXPECT_EQ(list.values(1).struct_value().fields().at("eventID").string_value(), "b");
  EXPECT_EQ(EpcisQueryDocument({})
                .fields()
                .at("epcisBody")
                .struct_value()
                .fields()
                .at("queryResults")
                .struct_value()
                .fields()
                .at("resultsBody")
                .struct_value()
                .fields()
                .at("eventList")
                .list_value()
                .values_size(),
            0);
}

TEST(EpcisQueryTest, ParametersAreReadOrRefusedSayingWhy) {
  EventQuery q;
  ASSERT_TRUE(AddEpcisParameter("EQ_bizStep", "departing|urn:x:step", &q).ok());
  EXPECT_EQ(q.biz_steps,
            (std::vector<std::string>{"https://ref.gs1.org/cbv/BizStep-departing", "urn:x:step"}));
  ASSERT_TRUE(AddEpcisParameter("MATCH_epc", "urn:epc:idpat:sgtin:0614141.107346.*", &q).ok());
  EXPECT_EQ(q.epcs, (std::vector<std::string>{"urn:epc:id:sgtin:0614141.107346.*"}));
  ASSERT_TRUE(AddEpcisParameter("EQ_bizTransaction_po", "urn:po:1", &q).ok());
  EXPECT_EQ(q.biz_transactions.front().first, "https://ref.gs1.org/cbv/BTT-po");
  ASSERT_TRUE(AddEpcisParameter("GE_eventTime", "2026-03-01T10:00:00+01:00", &q).ok());
  EXPECT_EQ(q.ge_event_time_ms, interop::testing::kT0 - 3'600'000);
  ASSERT_TRUE(AddEpcisParameter("perPage", "5000", &q).ok());
  EXPECT_EQ(q.per_page, 5000u);  // the gateway clamps it to its maximum
  EXPECT_EQ(AddEpcisParameter("eventType", "ObjectEvent|ParcelEvent", &q).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(AddEpcisParameter("perPage", "0", &q).code(), Code::kInvalidArgument);
  EXPECT_EQ(AddEpcisParameter("nextPageToken", "-1", &q).code(), Code::kInvalidArgument);
  EXPECT_EQ(AddEpcisParameter("LT_recordTime", "tomorrow", &q).code(), Code::kInvalidArgument);
  EXPECT_EQ(AddEpcisParameter("EQ_bizStep", "", &q).code(), Code::kInvalidArgument);
  EXPECT_EQ(AddEpcisParameter("EQ_colour", "red", &q).code(), Code::kNotFound);
  EXPECT_EQ(AddEpcisParameter("EQ_bizTransaction_", "x", &q).code(), Code::kNotFound);
}

TEST(CallbackUrlTest, AcceptsHttpAndHttpsUrlsOnly) {
  auto u = ParseCallbackUrl("https://hooks.example.com/dcsa?shipper=1");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "hooks.example.com");
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->target, "/dcsa?shipper=1");
  u = ParseCallbackUrl("http://[::1]:8080");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "8080");
  EXPECT_EQ(u->target, "/");
  for (const char* bad : {"ftp://x/", "http://", "http://:80/", "http://x:0/", "http://x:65536/",
                          "http://x:8a/", "http://user:pw@x/", "http://x/a b", "x.example.com"}) {
    EXPECT_EQ(ParseCallbackUrl(bad).status().code(), Code::kInvalidArgument) << bad;
  }
}

TEST(CallbackUrlTest, PrivateAddressesAreNotCalledUnlessAllowed) {
  for (const char* a : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                        "169.254.169.254", "0.0.0.0", "::1", "fe80::1", "fd00::1",
                        "::ffff:127.0.0.1", "224.0.0.1", "not an address"}) {
    EXPECT_FALSE(IsPublicAddress(a)) << a;
  }
  for (const char* a : {"8.8.8.8", "172.32.0.1", "192.169.0.1", "2001:db8::1"}) {
    EXPECT_TRUE(IsPublicAddress(a)) << a;
  }
  // A loopback callback is refused before anything is sent.
  auto url = ParseCallbackUrl("http://127.0.0.1:9/cb");
  ASSERT_TRUE(url.ok());
  const auto refused = PostCallback(*url, "[]", {}, {.timeout_ms = 2000, .allow_private = false});
  EXPECT_EQ(refused.status().code(), Code::kPermissionDenied) << refused.status().ToString();
  // Allowed, it is tried (and port 9 has nobody listening).
  const auto tried = PostCallback(*url, "[]", {}, {.timeout_ms = 2000, .allow_private = true});
  EXPECT_EQ(tried.status().code(), Code::kUnavailable) << tried.status().ToString();
}

TEST(SubscriptionBodyTest, NeedsACallbackASecretWhenMadeAndKnownFilters) {
  const char* secret = "MDEyMzQ1Njc4OWFiY2RlZg==";  // 16 bytes
  auto body = [&](const std::string& extra) {
    return Json(R"({"callbackUrl": "https://x.example/cb", "secret": ")" + std::string(secret) +
                "\"" + extra + "}");
  };
  EXPECT_TRUE(CheckSubscriptionBody(body(R"(, "eventType": "TRANSPORT")"), true).ok());
  EXPECT_TRUE(
      CheckSubscriptionBody(body(R"(, "equipmentEventTypeCode": ["LOAD", "Gate in"])"), true).ok());
  EXPECT_EQ(CheckSubscriptionBody(body(R"(, "eventType": "PARCEL")"), true).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(CheckSubscriptionBody(body(R"(, "colour": "red")"), true).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(CheckSubscriptionBody(body(R"(, "equipmentReference": 7)"), true).code(),
            Code::kInvalidArgument);
  // The secret: required when made, refused in a change, at least 16 bytes of Base64.
  EXPECT_EQ(CheckSubscriptionBody(Json(R"({"callbackUrl": "https://x.example/cb"})"), true).code(),
            Code::kInvalidArgument);
  EXPECT_TRUE(
      CheckSubscriptionBody(Json(R"({"callbackUrl": "https://x.example/cb"})"), false).ok());
  EXPECT_EQ(CheckSubscriptionBody(body(""), false).code(), Code::kInvalidArgument);
  EXPECT_EQ(CheckSubscriptionBody(Json(R"({"callbackUrl": "https://x.example/cb",
                                           "secret": "c2hvcnQ="})"),
                                  true)
                .code(),
            Code::kInvalidArgument);
  EXPECT_EQ(CheckSubscriptionBody(Json(R"({"secret": "MDEyMzQ1Njc4OWFiY2RlZg=="})"), true).code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace shipledger::gateway
