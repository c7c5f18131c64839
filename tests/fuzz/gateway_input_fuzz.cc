// Fuzz target: what the gateway's clients send (docs/gateway.md): the request target with its
// query, and a JSON body. Everything the gateway reads from a request before it touches its
// index or the node.
// Input: the request target (path and query, as on the request line), '\n', then the body.
// Seeds: corpus/gateway_input_fuzz (written by hand: an EPCIS query, a DCSA query, a
// subscription).
// What must hold: no crash or sanitizer report; every parameter is taken or refused with
// INVALID_ARGUMENT or NOT_FOUND; the parameters read back from the next page's link are those
// given; a subscription body is accepted or refused with INVALID_ARGUMENT; Base64 of the body
// decodes to the body.
#include <google/protobuf/util/json_util.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "crypto/hmac.h"
#include "gateway/callback_client.h"
#include "gateway/dcsa_query.h"
#include "gateway/epcis_query.h"
#include "gateway/http_util.h"
#include "gateway/subscriptions.h"

namespace {

namespace pb = google::protobuf;
namespace gw = shipledger::gateway;
using shipledger::Code;

void Fail(const char* what) {
  std::fprintf(stderr, "gateway_input_fuzz: %s\n", what);
  std::abort();
}

void ExpectRefusal(const shipledger::Status& s, const char* what) {
  if (!s.ok() && s.code() != Code::kInvalidArgument && s.code() != Code::kNotFound) Fail(what);
}

pb::Struct Json(const char* text) {
  pb::Struct s;
  (void)pb::util::JsonStringToMessage(text, &s);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string target = input.substr(0, newline);
  const std::string body = newline == std::string::npos ? "" : input.substr(newline + 1);

  if (auto parsed = gw::ParseTarget(target)) {
    gw::EventQuery epcis;
    gw::DcsaQuery dcsa;
    for (const auto& [name, value] : parsed->params) {
      ExpectRefusal(gw::AddEpcisParameter(name, value, &epcis), "an EPCIS parameter's refusal");
      ExpectRefusal(gw::AddDcsaParameter(name, value, &dcsa), "a DCSA parameter's refusal");
    }
    static const pb::Struct kEpcisEvent = Json(
        R"({"type": "ObjectEvent", "eventTime": "2026-03-01T10:00:00Z", "bizStep": "departing",
            "epcList": ["urn:epc:id:bic:CSQU3054383"], "readPoint": {"id": "urn:x"},
            "bizTransactionList": [{"type": "bol", "bizTransaction": "urn:b"}]})");
    static const pb::Struct kDcsaEvent = Json(
        R"({"eventType": "TRANSPORT", "transportEventTypeCode": "DEPA",
            "eventCreatedDateTime": "2026-03-01T10:00:00Z",
            "transportCall": {"transportCallID": "T1", "UNLocationCode": "DEHAM"}})");
    (void)gw::Matches(kEpcisEvent, epcis);
    (void)gw::EpcisDrivingIndex(epcis);
    (void)gw::MatchesDcsa(kDcsaEvent, dcsa);
    (void)gw::DcsaDrivingIndex(dcsa);
    // The next page's link carries the same parameters.
    const auto again = gw::ParseTarget(gw::PageLink("/x", parsed->params, "cursor", ""));
    if (!again || again->path != "/x" || again->params != parsed->params) {
      Fail("a page link does not read back to its parameters");
    }
  }

  pb::Struct subscription;
  if (pb::util::JsonStringToMessage(body, &subscription).ok()) {
    for (bool need_secret : {true, false}) {
      const auto s = gw::CheckSubscriptionBody(subscription, need_secret);
      if (!s.ok() && s.code() != Code::kInvalidArgument) Fail("a subscription's refusal");
    }
    gw::DcsaQuery filters;
    (void)gw::DcsaFiltersOf(subscription, &filters);
  }
  (void)gw::ParseCallbackUrl(body);
  const auto decoded = shipledger::crypto::Base64Decode(shipledger::crypto::Base64Encode(body));
  if (!decoded || *decoded != body) Fail("Base64 does not decode to what it encoded");
  (void)shipledger::crypto::Base64Decode(body);
  return 0;
}
