// `verify`: checks a whole chain against a genesis file, offline on a data dir or via a node.
#include <algorithm>
#include <cctype>

#include "cli/block_sources.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/verifier.h"
#include "config/genesis_file.h"
#include "model/digest.h"
#include "shipledger/bytes.h"

namespace shipledger::cli {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

Result<std::shared_ptr<const model::Genesis>> LoadExpectedGenesis(const std::string& path,
                                                                  const std::string& expect_hash) {
  auto loaded = config::LoadGenesis(path);
  if (!loaded.ok()) return loaded.status().WithContext("--genesis " + path);
  std::shared_ptr<const model::Genesis> genesis = *loaded;
  if (expect_hash.empty()) return genesis;
  const std::string genesis_hex = ToHex(genesis->hash);
  const std::string expected = Lower(expect_hash);
  auto raw = FromHex(expected);
  if (!raw || raw->size() != model::kDigestSize) {
    return Status::InvalidArgument("--expect-genesis-hash must be 64 hex characters");
  }
  if (expected != genesis_hex) {
    return Status::FailedPrecondition("genesis file " + path + " has hash " + genesis_hex +
                                      ", not the expected " + expected +
                                      ": refusing to verify against it (get the genesis.yaml of "
                                      "the network you mean)");
  }
  return genesis;
}

int RunVerify(const GlobalOptions& global, const VerifyOptions& options, const Io& io) {
  if (!options.data_dir.empty() && global.node_given) {
    return ReportError(io,
                       Status::InvalidArgument(
                           "give either --data-dir DIR (offline) or --node HOST:PORT, not both"));
  }
  auto loaded = LoadExpectedGenesis(options.genesis_path, options.expect_genesis_hash);
  if (!loaded.ok()) return ReportError(io, loaded.status());
  std::shared_ptr<const model::Genesis> genesis = *loaded;
  const std::string genesis_hex = ToHex(genesis->hash);

  std::unique_ptr<BlockSource> source;
  std::unique_ptr<NodeClient> client;
  if (!options.data_dir.empty()) {
    auto store = StoreBlockSource::Open(options.data_dir, *genesis);
    if (!store.ok()) return ReportError(io, store.status());
    source = std::move(store).value();
  } else {
    // The genesis being verified against is also what the node's TLS certificate is checked by.
    ConnectOptions connect = global.connect;
    if (connect.genesis_path.empty()) connect.genesis_path = options.genesis_path;
    auto connected = Connect(global.node, connect);
    if (!connected.ok()) return ReportError(io, connected.status());
    client = std::move(connected).value();
    source = std::make_unique<NodeBlockSource>(client.get());
  }

  if (!global.json) {
    io.out << "verifying chain '" << genesis->chain_id << "' (genesis " << genesis_hex << ") from "
           << source->Describe() << '\n';
    io.out.flush();
  }
  ChainVerifier verifier(genesis);
  Progress progress(io.err, io.progress, "verifying", "blocks");
  auto report = verifier.Verify(
      *source, [&](uint64_t height, uint64_t head) { progress.Update(height, head); });
  progress.Finish();
  if (!report.ok()) return ReportError(io, report.status());

  if (global.json) {
    JsonObject doc;
    doc.SetBool("ok", report->ok);
    doc.Set("source", std::string_view(source->Describe()));
    doc.Set("chain_id", std::string_view(genesis->chain_id));
    doc.Set("genesis_hash", std::string_view(genesis_hex));
    doc.Set("blocks", report->blocks);
    doc.Set("events", report->events);
    doc.Set("checkpoints", report->checkpoints);
    doc.Set("checkpoints_above_head", report->checkpoints_above_head);
    doc.SetHex("head_hash", report->head_hash);
    if (!report->ok) {
      doc.Set("bad_height", report->bad_height);
      doc.Set("problem", std::string_view(report->problem));
    }
    PrintJson(io.out, doc);
  } else if (report->ok) {
    io.out << "chain OK: " << report->blocks << " blocks, " << report->events << " events, "
           << report->checkpoints << " checkpoint certificates, head " << ToHex(report->head_hash)
           << ", genesis " << genesis_hex << '\n';
    if (report->checkpoints_above_head > 0) {
      io.out << "note: " << report->checkpoints_above_head
             << " checkpoint certificate(s) above the head verified by signature only (the node "
                "was catching up)\n";
    }
  } else {
    io.out << "chain BROKEN at height " << report->bad_height << ": " << report->problem << '\n';
  }
  return report->ok ? kExitOk : kExitBroken;
}

}  // namespace shipledger::cli
