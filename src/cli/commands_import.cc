// `import epcis|dcsa FILE`: events of another system, mapped, signed as the --identity and
// submitted in order (docs/interop.md, "Import").
#include <google/protobuf/util/json_util.h>

#include "cli/commands.h"
#include "cli/connection.h"
#include "cli/importer.h"
#include "cli/json.h"
#include "config/genesis_file.h"
#include "config/identity.h"
#include "crypto/x509.h"
#include "model/enum_names.h"

namespace shipledger::cli {

namespace {

namespace pb = google::protobuf;

constexpr size_t kMaxImportFileBytes = 64 << 20;

}  // namespace

int RunImport(const GlobalOptions& global, const ImportOptions& options, const Io& io) {
  if (global.connect.identity_dir.empty()) {
    return ReportError(
        io, Status::InvalidArgument("import signs every event with --identity DIR (e.g. "
                                    "NET/ORG/clients/admin), or set SHIPLEDGER_IDENTITY"));
  }
  auto signer = config::LoadIdentity(global.connect.identity_dir);
  if (!signer.ok()) return ReportError(io, signer.status().WithContext("--identity"));
  auto text = crypto::ReadFile(options.file);
  if (!text.ok()) return ReportError(io, text.status());
  if (text->size() > kMaxImportFileBytes) {
    return ReportError(io, Status::InvalidArgument(options.file + " is larger than 64 MiB"));
  }
  pb::Value doc;
  if (const auto s = pb::util::JsonStringToMessage(*text, &doc); !s.ok()) {
    return ReportError(
        io, Status::InvalidArgument(options.file + " is not JSON: " + std::string(s.message())));
  }
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  NodeClient& client = **connected;
  auto info = client.GetChainInfo();
  if (!info.ok()) return ReportError(io, info.status());

  // Every event that maps is signed and checked as the node will (signature, role, fields,
  // clock) with the network's genesis when the client has it, so that what the node would
  // refuse is named before anything is submitted.
  std::shared_ptr<const model::Genesis> genesis;
  if (auto loaded = config::LoadGenesis(GenesisPathFor(global.connect));
      loaded.ok() && (*loaded)->chain_id == info->chain_id()) {
    genesis = *loaded;
  }
  Importer importer(client, *signer, info->chain_id(), genesis, options.shipment_id);
  if (options.format == "epcis" && !doc.has_struct_value()) {
    return ReportError(io, Status::InvalidArgument(options.file + " is not a JSON object"));
  }
  auto mapped =
      options.format == "epcis" ? importer.MapEpcis(doc.struct_value()) : importer.MapDcsa(doc);
  if (!mapped.ok()) return ReportError(io, mapped.status().WithContext(options.file));
  if (Status s = importer.Sign(&*mapped); !s.ok()) return ReportError(io, s);

  int unmapped = 0;
  for (const ImportItem& item : *mapped) {
    if (!item.error.empty()) {
      ++unmapped;
      io.err << "event " << item.index
             << (item.source_id.empty() ? "" : " (" + item.source_id + ")") << ": " << item.error
             << '\n';
    } else if (!item.note.empty()) {
      io.err << "event " << item.index << ": " << item.note << '\n';
    }
  }
  if (unmapped > 0 && !options.skip_unmapped) {
    return ReportError(io, Status::InvalidArgument(
                               std::to_string(unmapped) + " of " + std::to_string(mapped->size()) +
                               " events cannot be imported (above); nothing was submitted. "
                               "--skip-unmapped submits the others"));
  }

  std::vector<pb::Value> rows;
  int valid = 0;
  int not_valid = 0;
  const Status failure = importer.Submit(*mapped, [&](const ImportOutcome& o) {
    const ImportItem& item = *o.item;
    if (o.result == "VALID") {
      ++valid;
    } else {
      ++not_valid;
    }
    if (global.json) {
      JsonObject row;
      row.Set("index", item.index);
      row.Set("source_id", std::string_view(item.source_id));
      row.Set("type", std::string_view(model::EventTypeName(item.event.type())));
      row.Set("shipment_id", std::string_view(item.event.shipment_id()));
      row.SetHex("event_id", o.event_id);
      row.Set("result", std::string_view(o.result));
      row.Set("reason", std::string_view(o.reason));
      rows.push_back(row.ToValue());
    } else {
      io.out << item.index << "  " << model::EventTypeName(item.event.type()) << "  "
             << item.event.shipment_id() << "  " << ToHex(o.event_id) << "  " << o.result
             << (o.reason.empty() ? "" : ": " + o.reason) << '\n';
    }
  });
  // What was done is printed even when a later batch failed.
  if (global.json) {
    JsonObject out;
    out.Set("file", std::string_view(options.file));
    out.Set("format", std::string_view(options.format));
    out.Set("events", JsonList(rows));
    out.Set("valid", valid);
    out.Set("not_valid", not_valid);
    out.Set("unmapped", unmapped);
    if (!failure.ok()) out.Set("error", std::string_view(failure.message()));
    PrintJson(io.out, out);
  } else {
    io.out << valid << " event(s) VALID, " << not_valid << " not, " << unmapped
           << " could not be imported\n";
  }
  if (!failure.ok()) return ReportError(io, failure);
  return not_valid > 0 ? kExitRejected : kExitOk;
}

}  // namespace shipledger::cli
