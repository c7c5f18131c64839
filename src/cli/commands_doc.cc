// `doc hash` and `doc verify`: a document's SHA-256 as the chain anchors it, and which events of
// a shipment anchor a given file (docs/documents.md).
#include <algorithm>

#include "cli/commands.h"
#include "cli/documents.h"
#include "cli/json.h"
#include "cli/output.h"
#include "cli/views.h"
#include "model/event.h"
#include "shipledger/bytes.h"

namespace shipledger::cli {

namespace {

JsonObject AnchorJson(const DocumentAnchor& anchor) {
  const v1::TimelineEntry& entry = *anchor.entry;
  JsonObject out;
  out.SetHex("event_id", entry.event_id());
  out.Set("type", std::string_view(model::EventTypeName(entry.event().type())));
  out.Set("signer_org", std::string_view(entry.event().signer_org()));
  out.SetStrings("cosigner_orgs", {entry.cosigner_orgs().begin(), entry.cosigner_orgs().end()});
  out.Set("height", entry.height());
  out.Set("index", entry.index());
  out.Set("block_time", std::string_view(FormatTimeMs(entry.block_time_ms())));
  out.Set("block_time_ms", entry.block_time_ms());
  out.Set("kind", std::string_view(anchor.kind));
  if (entry.has_receipt()) {
    out.Set("receipt", ReceiptJson(entry.receipt()));
  } else {
    out.SetNull("receipt");
  }
  out.SetBool("valid", AnchorIsValid(anchor));
  return out;
}

void PrintAnchorTable(std::ostream& out, const std::vector<DocumentAnchor>& anchors) {
  TextTable table;
  table.AddRow({"EVENT", "TYPE", "ORG", "HEIGHT", "KIND", "RESULT"});
  for (const DocumentAnchor& anchor : anchors) {
    const v1::TimelineEntry& entry = *anchor.entry;
    table.AddRow({ToHex(entry.event_id()), model::EventTypeName(entry.event().type()),
                  entry.event().signer_org(), std::to_string(entry.height()), anchor.kind,
                  entry.has_receipt() ? ReceiptSummary(entry.receipt()) : "(no receipt)"});
  }
  table.Print(out);
}

}  // namespace

int RunDocHash(const GlobalOptions& global, const DocOptions& options, const Io& io) {
  if (!options.kind.empty()) {
    if (Status s = CheckDocumentKind(options.kind); !s.ok()) return ReportError(io, s);
  }
  auto hash = HashDocumentFile(options.file);
  if (!hash.ok()) return ReportError(io, hash.status());
  std::string reference = DocumentHashText(*hash);
  if (!options.kind.empty()) reference = options.kind + "=" + reference;
  if (global.json) {
    JsonObject doc;
    doc.Set("file", std::string_view(options.file));
    doc.SetHex("sha256", *hash);
    doc.Set("reference", std::string_view(reference));
    if (!options.kind.empty()) doc.Set("kind", std::string_view(options.kind));
    PrintJson(io.out, doc);
    return kExitOk;
  }
  io.out << reference << '\n';
  return kExitOk;
}

int RunDocVerify(const GlobalOptions& global, const DocOptions& options, const Io& io) {
  auto hash = HashDocumentFile(options.file);
  if (!hash.ok()) return ReportError(io, hash.status());
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  auto shipment = FetchShipment(**connected, options.shipment_id);
  if (!shipment.ok()) return ReportError(io, shipment.status());

  const std::vector<DocumentAnchor> anchors = FindDocumentAnchors(shipment->timeline(), *hash);
  const auto valid = std::count_if(anchors.begin(), anchors.end(), AnchorIsValid);
  const int exit_code = valid > 0 ? kExitOk : kExitBroken;
  const std::string hash_text = DocumentHashText(*hash);
  if (global.json) {
    std::vector<google::protobuf::Value> items;
    for (const DocumentAnchor& anchor : anchors) items.push_back(AnchorJson(anchor).ToValue());
    JsonObject doc;
    doc.Set("file", std::string_view(options.file));
    doc.Set("shipment_id", std::string_view(options.shipment_id));
    doc.SetHex("sha256", *hash);
    doc.SetBool("anchored", valid > 0);
    doc.Set("anchors", JsonList(items));
    PrintJson(io.out, doc);
    return exit_code;
  }
  if (anchors.empty()) {
    io.out << "no event of shipment " << options.shipment_id << " anchors this file (" << hash_text
           << ")\n";
    return exit_code;
  }
  PrintFields(io.out,
              {{"file", options.file}, {"document", hash_text}, {"shipment", options.shipment_id}});
  io.out << '\n';
  PrintAnchorTable(io.out, anchors);
  io.out << '\n';
  if (valid == 0) {
    io.out << "no VALID event of shipment " << options.shipment_id << " anchors this file ("
           << hash_text << "): the event(s) above that name it did not take effect\n";
    return exit_code;
  }
  const auto first_valid = std::find_if(anchors.begin(), anchors.end(), AnchorIsValid);
  io.out << "anchored by " << valid << " VALID event" << (valid == 1 ? "" : "s") << " of shipment "
         << options.shipment_id
         << "\nto check it offline against the genesis: shipledger proof get "
         << ToHex(first_valid->entry->event_id())
         << " --out doc.proof && shipledger proof verify doc.proof --genesis GENESIS\n";
  return exit_code;
}

}  // namespace shipledger::cli
