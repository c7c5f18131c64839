// `proof get` and `proof verify`: an event proof (DESIGN §5) fetched from a node into a file,
// and checked offline against a genesis file. The file is the binary protobuf encoding of
// shipledger.v1.EventProof (docs/proofs.md).
#include "cli/commands.h"
#include "cli/documents.h"
#include "cli/json.h"
#include "cli/message_file.h"
#include "cli/output.h"
#include "cli/private_fields.h"
#include "cli/views_contract.h"
#include "config/identity.h"
#include "model/disclosure.h"
#include "model/event.h"
#include "model/proof.h"
#include "shipledger/bytes.h"

namespace shipledger::cli {

namespace {

// Proofs are small (one block's paths and a results chain); anything much larger is not one.
constexpr size_t kMaxProofFileBytes = 64 << 20;

Result<v1::EventProof> ReadProofFile(const std::string& path) {
  v1::EventProof proof;
  SL_RETURN_IF_ERROR(ReadMessageFile(
      path, kMaxProofFileBytes,
      "a shipledger event proof (binary shipledger.v1.EventProof, as `proof get` writes it)",
      &proof));
  if (!proof.has_proposal()) {
    return Status::InvalidArgument(path + " is not a shipledger event proof (it has no block)");
  }
  return proof;
}

std::string CertifiedText(const model::EventProofVerdict& v) {
  if (v.certified) {
    return "yes, by the stable checkpoint at height " + std::to_string(v.checkpoint_height);
  }
  return "NO: no stable checkpoint covered height " + std::to_string(v.height) +
         " when the proof was made; only inclusion is proven (fetch it again with proof get "
         "--wait)";
}

// The exit code of a proof that checks out: without a stable checkpoint only inclusion is proven.
int VerifiedExit(const model::EventProofVerdict& v) {
  return v.certified ? kExitOk : kExitUncertified;
}

using Disclosed = std::vector<std::pair<std::string, std::string>>;

// Prints a verified proof; with `disclosed`, first the disclosed fields (a disclosure).
void PrintVerdict(const Io& io, bool json, const model::Genesis& genesis,
                  const model::EventProofVerdict& v, const Disclosed* disclosed = nullptr) {
  const v1::Event& e = v.event;
  if (json) {
    JsonObject doc;
    doc.SetBool("ok", true);
    if (disclosed != nullptr) {
      JsonObject fields;
      for (const auto& [name, value] : *disclosed) fields.Set(name, std::string_view(value));
      doc.Set("disclosed", fields);
    }
    doc.SetHex("genesis_hash", genesis.hash);
    doc.SetHex("event_id", v.event_id);
    doc.Set("shipment_id", std::string_view(e.shipment_id()));
    doc.Set("type", std::string_view(model::EventTypeName(e.type())));
    doc.Set("signer_org", std::string_view(e.signer_org()));
    doc.SetStrings("cosigned_by", v.cosigned_by);
    std::vector<google::protobuf::Value> documents;  // {kind, sha256 (hex)}
    for (const auto& d : e.documents()) documents.push_back(MessageToJsonValue(d));
    doc.Set("documents", JsonList(documents));
    doc.Set("height", v.height);
    doc.Set("index", v.index);
    doc.Set("block_time_ms", v.block_time_ms);
    doc.SetHex("block_hash", v.block_hash);
    // An uncertified receipt is only the serving node's word: no verdict is printed.
    if (v.certified) {
      doc.Set("verdict", std::string_view(ResultCodeName(v.code)));
      doc.Set("reason", std::string_view(v.reason));
      v1::Receipt decided;  // the certified outputs, in the receipt's JSON form
      for (const auto& o : v.outputs) *decided.add_outputs() = o;
      doc.Set("decisions", ContractOutputsJson(decided));
    }
    doc.SetBool("certified", v.certified);
    if (v.certified) doc.Set("checkpoint_height", v.checkpoint_height);
    PrintJson(io.out, doc);
    return;
  }
  std::string verdict = ResultCodeName(v.code);
  if (!v.reason.empty()) verdict += ": " + v.reason;
  if (!v.certified) verdict = "none: the receipt is not certified (only the serving node's word)";
  std::string signer = e.signer_org();
  if (!v.cosigned_by.empty()) signer += " (co-signed by " + Join(v.cosigned_by, ", ") + ")";
  if (disclosed != nullptr) {
    io.out << "disclosure OK: " << disclosed->size() << " field(s) as committed to by "
           << e.signer_org() << " in the signed event\n";
    for (const auto& [name, value] : *disclosed) io.out << "  " << name << " = " << value << '\n';
  } else if (v.certified) {
    io.out << "proof OK\n";
  } else {
    io.out << "proof OK for inclusion only: the event is on the chain; its receipt is not "
              "certified, so there is no verdict (exit "
           << kExitUncertified << ")\n";
  }
  PrintFields(io.out,
              {{"genesis", ToHex(genesis.hash)},
               {"event", ToHex(v.event_id)},
               {"shipment", e.shipment_id()},
               {"type", model::EventTypeName(e.type())},
               {"signer", signer},
               {"documents", DocumentsText(e)},
               {"height", std::to_string(v.height) + " (index " + std::to_string(v.index) + ")"},
               {"block time", FormatTimeMs(v.block_time_ms)},
               {"block hash", ToHex(v.block_hash)},
               {"verdict", verdict},
               {"certified", CertifiedText(v)}});
  // Rules v3 certify the contract's decisions with the verdict (the receipt leaf covers them).
  if (v.certified) {
    for (const auto& o : v.outputs) io.out << "  decision: " << ContractOutputText(o) << '\n';
  }
}

}  // namespace

int RunProofGet(const GlobalOptions& global, const ProofGetOptions& options, const Io& io) {
  auto id = ParseEventId(options.event_id);
  if (!id.ok()) return ReportError(io, id.status());
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  NodeClient& client = **connected;
  v1::GetEventProofRequest request;
  request.set_event_id(*id);
  request.set_wait_for_certified(options.wait);
  auto proof = client.GetEventProof(request);
  if (!proof.ok()) {
    if (proof.status().code() == Code::kNotFound) {
      return ReportError(io, Status::NotFound("no event " + options.event_id + " on the chain"));
    }
    return ReportError(io, proof.status());
  }
  if (Status s = WriteMessageFile(options.out_path, *proof); !s.ok()) return ReportError(io, s);
  const bool certified = proof->has_checkpoint();
  const uint64_t height = proof->proposal().height();
  if (global.json) {
    JsonObject doc;
    doc.SetHex("event_id", *id);
    doc.Set("out", std::string_view(options.out_path));
    doc.Set("height", height);
    doc.SetBool("certified", certified);
    if (certified) doc.Set("checkpoint_height", proof->checkpoint().height());
    PrintJson(io.out, doc);
    return kExitOk;
  }
  io.out << "wrote the proof of event " << options.event_id << " (height " << height << ", "
         << ResultCodeName(proof->receipt().code()) << ") to " << options.out_path << '\n';
  if (certified) {
    io.out << "certified by the stable checkpoint at height " << proof->checkpoint().height()
           << '\n';
  } else {
    io.out << "not yet certified: no stable checkpoint covers height " << height
           << " yet; the proof shows inclusion only (use --wait to wait for one)\n";
  }
  return kExitOk;
}

// Prints what did not match and returns kExitBroken.
int ReportInvalid(const Io& io, bool json, const model::Genesis& genesis, std::string_view what,
                  const Status& problem) {
  if (json) {
    JsonObject doc;
    doc.SetBool("ok", false);
    doc.SetHex("genesis_hash", genesis.hash);
    doc.Set("problem", std::string_view(problem.message()));
    PrintJson(io.out, doc);
  } else {
    io.out << what << " INVALID: " << problem.message() << " (genesis " << ToHex(genesis.hash)
           << ")\n";
  }
  return kExitBroken;
}

int RunProofVerify(const GlobalOptions& global, const ProofVerifyOptions& options, const Io& io) {
  auto genesis = LoadExpectedGenesis(options.genesis_path, options.expect_genesis_hash);
  if (!genesis.ok()) return ReportError(io, genesis.status());
  auto proof = ReadProofFile(options.proof_path);
  if (!proof.ok()) return ReportError(io, proof.status());
  auto verdict = model::VerifyEventProof(*genesis, *proof);
  if (verdict.ok()) {
    PrintVerdict(io, global.json, **genesis, *verdict);
    return VerifiedExit(*verdict);
  }
  return ReportInvalid(io, global.json, **genesis, "proof", verdict.status());
}

int RunDisclose(const GlobalOptions& global, const DiscloseOptions& options, const Io& io) {
  auto id = ParseEventId(options.event_id);
  if (!id.ok()) return ReportError(io, id.status());
  auto identity = config::LoadIdentity(global.connect.identity_dir);
  if (!identity.ok()) {
    return ReportError(io, identity.status().WithContext(
                               "disclose opens the fields as the --identity's organisation"));
  }
  auto connected = ConnectToNode(global);
  if (!connected.ok()) return ReportError(io, connected.status());
  v1::GetEventProofRequest request;
  request.set_event_id(*id);
  request.set_wait_for_certified(options.wait);
  auto proof = (*connected)->GetEventProof(request);
  if (!proof.ok()) {
    if (proof.status().code() == Code::kNotFound) {
      return ReportError(io, Status::NotFound("no event " + options.event_id +
                                              " on the chain (or the --identity's organisation "
                                              "is not a party to its shipment)"));
    }
    return ReportError(io, proof.status());
  }
  v1::Event event;
  if (!event.ParseFromString(proof->event().event())) {
    return ReportError(io, Status::Internal("the node's proof carries an event that does not "
                                            "parse"));
  }
  const std::string org = identity->org();
  auto key = LoadEncryptionKey(global.connect.identity_dir, options.encryption_key_path, org);
  if (!key.ok()) return ReportError(io, key.status());
  auto opened = model::Open(event, org, *key);
  if (!opened.ok()) return ReportError(io, opened.status());
  auto disclosure = model::MakeDisclosure(std::move(proof).value(), *opened, options.fields);
  if (!disclosure.ok()) return ReportError(io, disclosure.status());
  if (Status s = WriteMessageFile(options.out_path, *disclosure); !s.ok()) {
    return ReportError(io, s);
  }
  const bool certified = disclosure->proof().has_checkpoint();
  if (global.json) {
    JsonObject doc;
    doc.SetHex("event_id", *id);
    doc.Set("out", std::string_view(options.out_path));
    doc.SetStrings("fields", options.fields);
    doc.Set("height", disclosure->proof().proposal().height());
    doc.SetBool("certified", certified);
    PrintJson(io.out, doc);
    return kExitOk;
  }
  io.out << "wrote a disclosure of " << Join(options.fields, ", ") << " of event "
         << options.event_id << " to " << options.out_path;
  if (!certified) {
    io.out << " (receipt not yet certified by a stable checkpoint; --wait waits for one)";
  }
  io.out << '\n';
  return kExitOk;
}

int RunDisclosureVerify(const GlobalOptions& global, const ProofVerifyOptions& options,
                        const Io& io) {
  auto genesis = LoadExpectedGenesis(options.genesis_path, options.expect_genesis_hash);
  if (!genesis.ok()) return ReportError(io, genesis.status());
  v1::Disclosure disclosure;
  Status read = ReadMessageFile(
      options.proof_path, kMaxProofFileBytes,
      "a shipledger disclosure (binary shipledger.v1.Disclosure, as `disclose` writes it)",
      &disclosure);
  if (!read.ok()) return ReportError(io, read);
  auto verdict = model::VerifyDisclosure(*genesis, disclosure);
  if (!verdict.ok()) {
    return ReportInvalid(io, global.json, **genesis, "disclosure", verdict.status());
  }
  PrintVerdict(io, global.json, **genesis, verdict->proof, &verdict->fields);
  return VerifiedExit(verdict->proof);
}

}  // namespace shipledger::cli
