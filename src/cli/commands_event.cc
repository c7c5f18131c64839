// `event submit` and `event show`.
#include "cli/commands.h"
#include "cli/documents.h"
#include "cli/json.h"
#include "cli/output.h"
#include "cli/private_fields.h"
#include "cli/views.h"
#include "config/identity.h"
#include "crypto/x509.h"
#include "model/digest.h"
#include "model/event.h"
#include "shipledger/bytes.h"
#include "shipledger/clock.h"

namespace shipledger::cli {

namespace {

Result<config::Identity> LoadIdentityFlag(const std::string& dir, std::string_view flag) {
  auto identity = config::LoadIdentity(dir);
  if (!identity.ok()) {
    return identity.status().WithContext(
        std::string(flag) + " " + dir + " (an identity folder holds cert.pem and key.pem; " +
        "create one with: shipledger identity issue --org-dir DIR/ORG --name N)");
  }
  return identity;
}

// The event from flags (with the contract payload flags) or --file, with the --doc files'
// hashes appended.
Result<v1::Event> BuildUnsignedEvent(const EventSubmitOptions& options, int64_t now_ms) {
  v1::Event event;
  if (options.file.empty()) {
    SL_ASSIGN_OR_RETURN(event, EventFromFlags(options.flags));
    SL_RETURN_IF_ERROR(ApplyContractFlags(options.contract, now_ms, &event));
  } else {
    if (AnyContractFlag(options.contract)) {
      return Status::InvalidArgument(
          "give the event's payload in the --file JSON or as flags with --type, not both");
    }
    SL_ASSIGN_OR_RETURN(std::string json, crypto::ReadFile(options.file));
    auto parsed = EventFromJson(json);
    if (!parsed.ok()) return parsed.status().WithContext(options.file);
    event = std::move(parsed).value();
  }
  SL_RETURN_IF_ERROR(AddDocuments(&event, options.documents));
  return event;
}

// Exit code for a receipt: VALID 0, REJECTED kExitRejected, anything else kExitFailure.
int ReceiptExitCode(const v1::Receipt& receipt) {
  switch (receipt.code()) {
    case v1::RESULT_CODE_VALID:
      return kExitOk;
    case v1::RESULT_CODE_REJECTED:
      return kExitRejected;
    default:
      return kExitFailure;
  }
}

// A tracking code is worth handing out unless its booking was REJECTED or a DUPLICATE.
bool CodeIsUseful(const v1::SubmitResult& result) {
  return !result.has_receipt() || result.receipt().code() == v1::RESULT_CODE_VALID;
}

int PrintSubmitResult(const GlobalOptions& global, const EventSubmitOptions& options,
                      const Bytes& event_id, const std::string& tracking_code,
                      const v1::SubmitResult& result, const Io& io) {
  const auto code = static_cast<Code>(result.code());
  const bool admitted = code == Code::kOk;
  const bool known = code == Code::kAlreadyExists;
  int exit_code = kExitFailure;
  if (result.has_receipt()) {
    exit_code = ReceiptExitCode(result.receipt());
  } else if (known || (admitted && !options.wait)) {
    exit_code = kExitOk;
  }
  const std::string id = ToHex(event_id);
  if (global.json) {
    JsonObject doc;
    doc.Set("event_id", std::string_view(id));
    doc.Set("status", CodeName(code));
    doc.Set("message", std::string_view(result.message()));
    if (!tracking_code.empty() && (admitted || known) && CodeIsUseful(result)) {
      doc.Set("tracking_code", std::string_view(tracking_code));
    }
    if (result.has_receipt()) {
      doc.Set("height", result.receipt().height());
      doc.Set("receipt", ReceiptJson(result.receipt()));
    } else {
      doc.SetNull("height");
      doc.SetNull("receipt");
    }
    PrintJson(io.out, doc);
    return exit_code;
  }
  if (!admitted && !known) {
    io.err << "error: " << CodeName(code) << ": " << result.message() << '\n';
    return kExitFailure;
  }
  // ALREADY_EXISTS with a receipt: committed earlier; without one: still pending on the node.
  io.out << "event " << id
         << (!known ? " admitted"
                    : (result.has_receipt() ? " already on the chain" : " already pending"))
         << '\n';
  if (result.has_receipt()) {
    const v1::Receipt& r = result.receipt();
    io.out << "committed at height " << r.height() << ": " << ReceiptSummary(r) << '\n';
    if (r.code() == v1::RESULT_CODE_DUPLICATE) {
      io.err << "error: an identical event was committed earlier; this copy changed nothing\n";
    }
    if (r.code() == v1::RESULT_CODE_REJECTED && !tracking_code.empty()) {
      io.err << "the booking was rejected: its tracking code tracks nothing\n";
    }
  } else if (options.wait && admitted && result.message() == "committed") {
    // DESIGN §8: the node shows a receipt only to whoever may see the event.
    io.err << "error: the event is committed, but its receipt is not visible to this "
              "organisation: it is no party of the shipment\n";
  } else if (options.wait && admitted) {
    io.err << "error: the event was admitted but not committed within the node's wait; look "
              "it up later with: shipledger event show "
           << id << '\n';
  } else if (known) {
    io.out << "not committed yet; look it up later with: shipledger event show " << id << '\n';
  }
  if (!tracking_code.empty() && CodeIsUseful(result)) {
    io.out << "tracking code: " << tracking_code
           << " — give it to the end customer; the ledger keeps only its hash\n";
  }
  return exit_code;
}

}  // namespace

int RunEventSubmit(const GlobalOptions& global, const EventSubmitOptions& options, const Io& io) {
  if (global.connect.identity_dir.empty()) {
    return ReportError(
        io, Status::InvalidArgument("event submit signs with --identity DIR (e.g. "
                                    "NET/ORG/clients/admin), or set SHIPLEDGER_IDENTITY"));
  }
  auto signer = LoadIdentityFlag(global.connect.identity_dir, "--identity");
  if (!signer.ok()) return ReportError(io, signer.status());
  std::vector<config::Identity> cosigners;
  for (const auto& dir : options.cosigner_dirs) {
    auto cosigner = LoadIdentityFlag(dir, "--cosigner");
    if (!cosigner.ok()) return ReportError(io, cosigner.status());
    cosigners.push_back(std::move(cosigner).value());
  }
  auto event = BuildUnsignedEvent(options, SystemClock::Get().NowMs());
  if (!event.ok()) return ReportError(io, event.status());
  if (event->type() == v1::EVENT_TYPE_HANDOVER && cosigners.empty()) {
    return ReportError(io, Status::InvalidArgument(
                               "a handover needs the receiving organisation's co-signature: add "
                               "--cosigner DIR/RECEIVER/clients/NAME"));
  }

  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  NodeClient& client = **connected;
  auto info = client.GetChainInfo();
  if (!info.ok()) return ReportError(io, info.status());
  Status filled =
      FillEvent(&*event, info->chain_id(), *signer, cosigners, SystemClock::Get().NowMs());
  if (!filled.ok()) return ReportError(io, filled);
  if (!options.private_fields.empty()) {
    std::string genesis_path = GenesisPathFor(global.connect);
    if (genesis_path.empty()) genesis_path = DefaultGenesisPath(global.connect.identity_dir);
    Status sealed =
        AddPrivateFields(&*event, options.private_fields, options.readers, genesis_path, *info);
    if (!sealed.ok()) return ReportError(io, sealed);
  } else if (!options.readers.empty()) {
    return ReportError(
        io, Status::InvalidArgument("--readers names who may read --private fields; give at least "
                                    "one --private NAME=VALUE"));
  }
  auto tracking_code = AttachTrackingCode(&*event, options.tracking);
  if (!tracking_code.ok()) return ReportError(io, tracking_code.status());
  auto signed_event = SignEvent(*event, *signer, cosigners);
  if (!signed_event.ok()) return ReportError(io, signed_event.status());
  const Bytes event_id = model::EventId(signed_event->event());

  v1::SubmitEventsRequest request;
  *request.add_events() = *signed_event;
  request.set_wait_for_commit(options.wait);
  auto response = client.SubmitEvents(request);
  if (!response.ok()) return ReportError(io, response.status());
  if (response->results_size() != 1) {
    return ReportError(
        io, Status::Internal("node at " + global.node + " answered " +
                             std::to_string(response->results_size()) + " results for 1 event"));
  }
  return PrintSubmitResult(global, options, event_id, *tracking_code, response->results(0), io);
}

Result<Bytes> ParseEventId(const std::string& hex) {
  auto id = FromHex(hex);
  if (!id || id->size() != model::kDigestSize) {
    return Status::InvalidArgument("event id '" + hex +
                                   "' is not 64 hex characters (as printed by event submit)");
  }
  return *id;
}

int RunEventShow(const GlobalOptions& global, const ShowOptions& options, const Io& io) {
  auto id = ParseEventId(options.id);
  if (!id.ok()) return ReportError(io, id.status());
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  NodeClient& client = **connected;
  v1::GetEventRequest request;
  request.set_event_id(*id);
  auto response = client.GetEvent(request);
  if (!response.ok()) {
    if (response.status().code() == Code::kNotFound) {
      return ReportError(io, Status::NotFound("no event " + options.id +
                                              " on the chain (or the --identity's "
                                              "organisation is not a party to its shipment)"));
    }
    return ReportError(io, response.status());
  }
  const v1::SignedEvent& se = response->event();
  v1::Event e;
  if (!e.ParseFromString(se.event())) {
    return ReportError(io, Status::DataLoss("node returned undecodable event bytes"));
  }
  std::vector<std::string> cosigners;
  for (const auto& c : se.cosignatures()) cosigners.push_back(CertificateSubject(c.signer_cert()));
  auto private_view =
      ViewPrivateFields(e, global.connect.identity_dir, options.encryption_key_path);
  if (!private_view.ok()) return ReportError(io, private_view.status());
  const int exit_code = private_view->fraud ? kExitFailure : kExitOk;
  if (private_view->fraud) {
    io.err << "error: FRAUD: a private field of event " << options.id
           << " does not match what its signer committed to (or does not decrypt)\n";
  }
  if (global.json) {
    JsonObject doc;
    doc.Set("event_id", std::string_view(ToHex(*id)));
    doc.Set("signer", std::string_view(CertificateSubject(se.signer_cert())));
    doc.SetStrings("cosigners", cosigners);
    doc.Set("height", response->height());
    doc.Set("index", response->index());
    doc.Set("block_time", std::string_view(FormatTimeMs(response->block_time_ms())));
    doc.Set("block_time_ms", response->block_time_ms());
    if (response->has_receipt()) {
      doc.Set("receipt", ReceiptJson(response->receipt()));
    } else {
      doc.SetNull("receipt");
    }
    doc.Set("signed_event", MessageToJsonValue(se));
    if (e.has_private_envelope()) {
      doc.Set("private", private_view->json);
    } else {
      doc.SetNull("private");
    }
    PrintJson(io.out, doc);
    return exit_code;
  }
  std::vector<std::string> details;
  for (const auto& d : e.details()) details.push_back(d.key() + "=" + d.value());
  std::vector<std::pair<std::string, std::string>> rows = {
      {"event", ToHex(*id)},
      {"shipment", e.shipment_id()},
      {"type", model::EventTypeName(e.type())},
      {"signer", CertificateSubject(se.signer_cert())},
      {"cosigners", cosigners.empty() ? "-" : Join(cosigners, ", ")},
      {"occurred", FormatTimeMs(e.occurred_at_ms())},
      {"location", e.location().empty() ? "-" : e.location()},
      {"references", ReferencesText(e)},
      {"details", details.empty() ? "-" : Join(details, ", ")},
      {"parties", e.parties().empty() ? "-" : Join({e.parties().begin(), e.parties().end()}, ", ")},
      {"documents", DocumentsText(e)},
      {"block", "height " + std::to_string(response->height()) + ", index " +
                    std::to_string(response->index()) + ", time " +
                    FormatTimeMs(response->block_time_ms())},
      {"receipt", response->has_receipt() ? ReceiptSummary(response->receipt()) : "(none yet)"},
      {"chain", e.chain_id()},
      {"nonce", ToHex(e.nonce())}};
  rows.insert(rows.end(), private_view->rows.begin(), private_view->rows.end());
  PrintFields(io.out, rows);
  return exit_code;
}

}  // namespace shipledger::cli
