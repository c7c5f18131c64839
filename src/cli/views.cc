#include "cli/views.h"

#include "cli/commands.h"
#include "cli/documents.h"
#include "cli/views_contract.h"
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
  out.Set("outputs", ContractOutputsJson(receipt));
  return out;
}

std::vector<std::string> TimelineHeader() {
  return {"TIME", "HEIGHT", "TYPE", "ORG", "LOCATION", "REFERENCES", "DOCUMENTS", "RESULT"};
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
          DocumentsText(e, /*short_hash=*/true),
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

JsonObject NodeStatusJson(const std::string& node, const v1::NodeStatus& s) {
  JsonObject doc;
  doc.Set("node", std::string_view(node));
  doc.Set("chain_id", std::string_view(s.chain_id()));
  doc.Set("replica_id", s.replica_id());
  doc.Set("organisation", std::string_view(s.organisation()));
  doc.Set("view", s.view());
  doc.Set("primary", s.primary());
  doc.SetBool("is_primary", s.is_primary());
  doc.SetBool("view_changing", s.view_changing());
  doc.Set("height", s.height());
  doc.SetHex("head_hash", s.head_hash());
  doc.Set("highest_known_height", s.highest_known_height());
  doc.Set("lag", s.lag());
  doc.Set("stable_checkpoint", s.stable_checkpoint());
  doc.Set("diverged_height", s.diverged_height());
  doc.Set("nodes", s.nodes());
  std::vector<google::protobuf::Value> peers;
  for (const v1::PeerStatus& p : s.peers()) {
    JsonObject peer;
    peer.Set("replica", p.replica());
    peer.Set("organisation", std::string_view(p.organisation()));
    peer.SetBool("connected", p.connected_out() || p.connected_in());
    peer.SetBool("connected_out", p.connected_out());
    peer.SetBool("connected_in", p.connected_in());
    peer.Set("height", p.height());
    peer.Set("view", p.view());
    peer.Set("last_heard_ms_ago", p.last_heard_ms_ago());
    peer.Set("frames_dropped", p.frames_dropped());
    peer.Set("protocol_errors", p.protocol_errors());
    peer.Set("bad_messages", p.bad_messages());
    peer.Set("frames_over_share", p.frames_over_share());
    peer.Set("heartbeats_coalesced", p.heartbeats_coalesced());
    peer.Set("resends_suppressed", p.resends_suppressed());
    peers.push_back(peer.ToValue());
  }
  doc.Set("peers", JsonList(peers));
  doc.Set("mempool_events", s.mempool_events());
  doc.Set("mempool_capacity", s.mempool_capacity());
  doc.Set("events_committed", s.events_committed());
  doc.Set("watchers", s.watchers());
  JsonObject by_org;
  for (const v1::WatcherCount& c : s.watchers_by_org()) by_org.Set(c.organisation(), c.streams());
  doc.Set("watchers_by_org", by_org);
  doc.Set("watchers_evicted", s.watchers_evicted());
  doc.Set("uptime_ms", s.uptime_ms());
  doc.Set("version", std::string_view(s.version()));
  return doc;
}

namespace {

// "out" (we dialled the link), "in" (the peer dialled it), "down", or "out+in" for the moment
// after both dialled at once (one link per pair stays, DESIGN §6).
std::string LinksText(const v1::PeerStatus& p) {
  if (p.connected_out() && p.connected_in()) return "out+in";
  if (p.connected_out()) return "out";
  if (p.connected_in()) return "in";
  return "down";
}

// "never", "350 ms ago", "12.3 s ago".
std::string LastHeardText(int64_t ms_ago) {
  if (ms_ago < 0) return "never";
  if (ms_ago < 1000) return std::to_string(ms_ago) + " ms ago";
  return std::to_string(ms_ago / 1000) + "." + std::to_string((ms_ago % 1000) / 100) + " s ago";
}

// "replica 2 (customs-org)", or "replica 2 (this node)".
std::string ReplicaText(const v1::NodeStatus& s, uint32_t replica) {
  std::string text = "replica " + std::to_string(replica);
  if (replica == s.replica_id()) return text + " (this node)";
  for (const v1::PeerStatus& p : s.peers()) {
    if (p.replica() == replica && !p.organisation().empty())
      return text + " (" + p.organisation() + ")";
  }
  return text;
}

// "5 (forwarder-org 3, importer-org 2; 1 evicted)": Watch streams, per organisation as far as
// the node shows them to us.
std::string WatchersText(const v1::NodeStatus& s) {
  std::string text = std::to_string(s.watchers());
  std::string detail;
  for (const v1::WatcherCount& c : s.watchers_by_org()) {
    if (!detail.empty()) detail += ", ";
    detail += (c.organisation().empty() ? "(no organisation)" : c.organisation()) + " " +
              std::to_string(c.streams());
  }
  if (s.watchers_evicted() != 0) {
    detail += (detail.empty() ? "" : "; ") + std::to_string(s.watchers_evicted()) + " evicted";
  }
  return detail.empty() ? text : text + " (" + detail + ")";
}

}  // namespace

void PrintNodeStatus(std::ostream& out, const std::string& node, const v1::NodeStatus& s) {
  std::string height = std::to_string(s.height());
  if (s.lag() > 0) {
    height += ", " + std::to_string(s.lag()) + " behind (highest known " +
              std::to_string(s.highest_known_height()) + ")";
  }
  std::vector<std::pair<std::string, std::string>> fields = {
      {"node", node},
      {"chain", s.chain_id()},
      {"replica", std::to_string(s.replica_id()) + " (" + s.organisation() + ")"},
      {"view", std::to_string(s.view())},
      {"primary", ReplicaText(s, s.primary())},
      {"is primary", s.is_primary() ? "yes" : "no"},
      {"view change", s.view_changing() ? "in progress (waiting for NEW-VIEW)" : "no"},
      {"height", height},
      {"lag", std::to_string(s.lag())},
      {"head", ToHex(s.head_hash())},
      {"checkpoint", "stable at height " + std::to_string(s.stable_checkpoint())}};
  if (s.diverged_height() != 0) {
    fields.emplace_back("DIVERGED", "results differ from the stable checkpoint at height " +
                                        std::to_string(s.diverged_height()) +
                                        ": this node has stopped voting");
  }
  fields.insert(fields.end(), {{"nodes", std::to_string(s.nodes())},
                               {"mempool", std::to_string(s.mempool_events()) + " / " +
                                               std::to_string(s.mempool_capacity()) + " events"},
                               {"committed", std::to_string(s.events_committed()) + " events"},
                               {"watchers", WatchersText(s)},
                               {"uptime", std::to_string(s.uptime_ms() / 1000) + " s"},
                               {"version", s.version()}});
  if (s.peers_size() == 0) {
    fields.emplace_back("peers", s.nodes() <= 1 ? "none (one-node network)" : "none reported");
  }
  PrintFields(out, fields);
  if (s.peers_size() == 0) return;
  out << "\npeers\n";
  TextTable table;
  table.AddRow(
      {"REPLICA", "ORG", "LINKS", "HEIGHT", "VIEW", "LAST HEARD", "DROPPED", "ERRORS", "BAD MSGS"});
  for (const v1::PeerStatus& p : s.peers()) {
    table.AddRow({std::to_string(p.replica()), p.organisation().empty() ? "-" : p.organisation(),
                  LinksText(p), std::to_string(p.height()), std::to_string(p.view()),
                  LastHeardText(p.last_heard_ms_ago()), std::to_string(p.frames_dropped()),
                  std::to_string(p.protocol_errors()), std::to_string(p.bad_messages())});
  }
  table.Print(out, "  ");
}

std::string CertificateSubject(const std::string& cert_der) {
  auto cert = crypto::Certificate::FromDer(cert_der);
  if (!cert.ok()) return "(unreadable certificate)";
  return cert->organization() + " (CN " + cert->common_name() + ")";
}

}  // namespace shipledger::cli
