// `chain info`, `block show` and `status`: reads of the chain and the node.
#include <charconv>

#include "cli/commands.h"
#include "cli/json.h"
#include "cli/output.h"
#include "cli/views.h"
#include "model/digest.h"
#include "model/event.h"
#include "shipledger/bytes.h"

namespace shipledger::cli {

namespace {

// A block selector: all digits is a height, 64 hex characters a block hash.
Result<v1::GetBlockRequest> ParseBlockSelector(const std::string& text) {
  v1::GetBlockRequest request;
  uint64_t height = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), height);
  if (!text.empty() && ec == std::errc() && end == text.data() + text.size()) {
    request.set_height(height);
    return request;
  }
  auto hash = FromHex(text);
  if (hash && hash->size() == model::kDigestSize) {
    request.set_hash(*hash);
    return request;
  }
  return Status::InvalidArgument("'" + text +
                                 "' is neither a block height nor a 64-hex-character block hash");
}

}  // namespace

int RunChainInfo(const GlobalOptions& global, const Io& io) {
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  NodeClient& client = **connected;
  auto info = client.GetChainInfo();
  if (!info.ok()) return ReportError(io, info.status());
  if (global.json) {
    JsonObject doc;
    doc.Set("chain_id", std::string_view(info->chain_id()));
    doc.Set("height", info->height());
    doc.SetHex("head_hash", info->head_hash());
    doc.SetHex("genesis_hash", info->genesis_hash());
    doc.Set("event_count", info->event_count());
    PrintJson(io.out, doc);
    return kExitOk;
  }
  PrintFields(io.out, {{"chain", info->chain_id()},
                       {"height", std::to_string(info->height())},
                       {"head", ToHex(info->head_hash())},
                       {"genesis", ToHex(info->genesis_hash())},
                       {"events", std::to_string(info->event_count())}});
  return kExitOk;
}

int RunBlockShow(const GlobalOptions& global, const ShowOptions& options, const Io& io) {
  auto request = ParseBlockSelector(options.id);
  if (!request.ok()) return ReportError(io, request.status());
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  NodeClient& client = **connected;
  auto block = client.GetBlock(*request);
  if (!block.ok()) {
    if (block.status().code() == Code::kNotFound) {
      return ReportError(io, Status::NotFound("no block " + options.id +
                                              " on the chain; see the head with: shipledger "
                                              "chain info"));
    }
    return ReportError(io, block.status());
  }
  if (global.json) {
    io.out << RenderJson(MessageToJsonValue(*block)) << '\n';
    return kExitOk;
  }
  const v1::Proposal& p = block->proposal();
  std::vector<std::string> voters;
  for (const auto& v : block->certificate().votes()) voters.push_back(std::to_string(v.replica()));
  PrintFields(io.out,
              {{"block", std::to_string(p.height())},
               {"hash", ToHex(block->block_hash())},
               {"prev", ToHex(block->prev_block_hash())},
               {"time", FormatTimeMs(p.timestamp_ms())},
               {"proposer", "replica " + std::to_string(p.proposer())},
               {"chain", p.chain_id()},
               {"events root", ToHex(p.events_root())},
               {"events", std::to_string(block->events_size())},
               {"certificate", "view " + std::to_string(block->certificate().view()) + ", " +
                                   std::to_string(voters.size()) + " commit vote(s) by replica " +
                                   (voters.empty() ? "-" : Join(voters, ", "))}});
  if (block->events_size() == 0) return kExitOk;
  TextTable table;
  table.AddRow({"#", "EVENT ID", "TYPE", "SHIPMENT", "SIGNER"});
  for (int i = 0; i < block->events_size(); ++i) {
    const v1::SignedEvent& se = block->events(i);
    v1::Event e;
    const bool decoded = e.ParseFromString(se.event());
    table.AddRow({std::to_string(i), ToHex(model::EventId(se.event())),
                  decoded ? model::EventTypeName(e.type()) : "(undecodable)",
                  decoded ? e.shipment_id() : "-", decoded ? e.signer_org() : "-"});
  }
  io.out << '\n';
  table.Print(io.out);
  return kExitOk;
}

int RunStatus(const GlobalOptions& global, const Io& io) {
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  NodeClient& client = **connected;
  auto status = client.GetNodeStatus();
  if (!status.ok()) return ReportError(io, status.status());
  if (global.json) {
    PrintJson(io.out, NodeStatusJson(global.node, *status));
  } else {
    PrintNodeStatus(io.out, global.node, *status);
  }
  return kExitOk;
}

int RunBackup(const GlobalOptions& global, const Io& io) {
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  auto backup = (*connected)->CreateBackup();
  if (!backup.ok()) return ReportError(io, backup.status());
  if (global.json) {
    JsonObject doc;
    doc.Set("node", (*connected)->target());
    doc.Set("path", std::string_view(backup->path()));
    doc.Set("height", backup->height());
    doc.SetHex("head_hash", backup->head_hash());
    doc.Set("event_count", backup->event_count());
    doc.Set("size_bytes", backup->size_bytes());
    doc.Set("created_at", std::string_view(FormatTimeMs(backup->created_at_ms())));
    doc.Set("created_at_ms", backup->created_at_ms());
    PrintJson(io.out, doc);
    return kExitOk;
  }
  io.out << "backup of " << (*connected)->target() << " at height " << backup->height() << " ("
         << backup->event_count() << " events, head " << ToHex(backup->head_hash()) << ", "
         << backup->size_bytes() << " bytes)\n"
         << "  written on the node's host to " << backup->path() << "\n"
         << "  check it: shipledger verify --data-dir " << backup->path()
         << " --genesis genesis.yaml\n";
  return kExitOk;
}

int RunHealth(const GlobalOptions& global, const std::string& service, const Io& io) {
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  NodeClient& client = **connected;
  auto serving = client.CheckHealth(service);
  if (!serving.ok()) {
    if (serving.status().code() == Code::kNotFound) {
      return ReportError(io, Status::NotFound("node at " + client.target() +
                                              " serves no service named '" + service + "'"));
    }
    return ReportError(io, serving.status());
  }
  const std::string state = grpc::health::v1::HealthCheckResponse::ServingStatus_Name(*serving);
  if (global.json) {
    JsonObject doc;
    doc.Set("node", client.target()).Set("service", service).Set("status", state);
    PrintJson(io.out, doc);
  } else {
    io.out << client.target() << (service.empty() ? "" : " " + service) << ": " << state << "\n";
  }
  return *serving == grpc::health::v1::HealthCheckResponse::SERVING ? kExitOk : kExitFailure;
}

}  // namespace shipledger::cli
