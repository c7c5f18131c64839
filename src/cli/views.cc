#include "cli/views.h"

#include "cli/commands.h"
#include "crypto/x509.h"
#include "model/event.h"

namespace shipledger::cli {

int ReportError(const Io& io, const Status& status) {
  io.err << "error: " << status.message() << '\n';
  return kExitFailure;
}

JsonObject ReceiptJson(const v1::Receipt& receipt) {
  JsonObject out;
  out.Set("code", std::string_view(ResultCodeName(receipt.code())));
  out.Set("reason", std::string_view(receipt.reason()));
  out.Set("height", receipt.height());
  out.Set("index", receipt.index());
  return out;
}

std::vector<std::string> TimelineHeader() {
  return {"TIME", "HEIGHT", "TYPE", "ORG", "LOCATION", "REFERENCES", "RESULT"};
}

std::vector<std::string> TimelineRow(const v1::TimelineEntry& entry) {
  const v1::Event& e = entry.event();
  std::string org = e.signer_org();
  if (entry.cosigner_orgs_size() > 0) {
    org += " +" + Join({entry.cosigner_orgs().begin(), entry.cosigner_orgs().end()}, ",");
  }
  return {FormatTimeMs(entry.block_time_ms()),
          std::to_string(entry.height()),
          model::EventTypeName(e.type()),
          org,
          e.location().empty() ? "-" : e.location(),
          ReferencesText(e),
          entry.has_receipt() ? ReceiptSummary(entry.receipt()) : "(no receipt)"};
}

JsonObject TimelineEntryJson(const v1::TimelineEntry& entry) {
  const v1::Event& e = entry.event();
  JsonObject out;
  out.SetHex("event_id", entry.event_id());
  out.Set("height", entry.height());
  out.Set("index", entry.index());
  out.Set("block_time", std::string_view(FormatTimeMs(entry.block_time_ms())));
  out.Set("block_time_ms", entry.block_time_ms());
  out.Set("shipment_id", std::string_view(e.shipment_id()));
  out.Set("type", std::string_view(model::EventTypeName(e.type())));
  out.Set("signer_org", std::string_view(e.signer_org()));
  out.SetStrings("cosigner_orgs", {entry.cosigner_orgs().begin(), entry.cosigner_orgs().end()});
  out.Set("location", std::string_view(e.location()));
  if (entry.has_receipt()) {
    out.Set("receipt", ReceiptJson(entry.receipt()));
  } else {
    out.SetNull("receipt");
  }
  out.Set("event", MessageToJsonValue(e));
  return out;
}

std::string CertificateSubject(const std::string& cert_der) {
  auto cert = crypto::Certificate::FromDer(cert_der);
  if (!cert.ok()) return "(unreadable certificate)";
  return cert->organization() + " (CN " + cert->common_name() + ")";
}

}  // namespace shipledger::cli
