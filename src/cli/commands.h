// The commands of `shipledger`: their options as parsed by cli_app.cc, and one function per
// command that runs it and returns the process exit code. Commands print results to
// `io.out` and failures (always with what to do about them) to `io.err`.
// Thread-safety: called once, from main's thread.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/client.h"
#include "cli/connection.h"
#include "cli/contract_flags.h"
#include "cli/event_builder.h"
#include "model/genesis.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"

namespace shipledger::cli {

// Exit codes of `shipledger`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command failed (message on stderr)
// verify, proof/disclosure verify: it does not verify; doc verify: no VALID event anchors the file
inline constexpr int kExitBroken = 2;
inline constexpr int kExitRejected = 3;  // event submit: the contract REJECTED the event
// proof/disclosure verify: the event is on the chain, but no stable checkpoint certifies its
// receipt, so there is no verdict (VALID/REJECTED would be only the serving node's word)
inline constexpr int kExitUncertified = 4;
inline constexpr int kExitUsage = 64;  // bad command line (sysexits EX_USAGE)

struct Io {
  std::ostream& out;
  std::ostream& err;
  // `err` is a terminal: long runs draw a progress line on it (cli/progress.h).
  bool progress = false;
};

// Accepted before or after the command.
struct GlobalOptions {
  std::string node = std::string(kDefaultNode);
  bool node_given = false;  // --node was on the command line
  bool json = false;
  ConnectOptions connect;  // --identity, --genesis, --insecure
};

// A client of global.node with the global credentials; the failure says which flag to set.
Result<std::unique_ptr<NodeClient>> ConnectToNode(const GlobalOptions& global);

struct NetworkInitOptions {
  std::string out_dir;
  std::string orgs;
  uint16_t base_port = 7050;
  std::string chain_id;
  // Genesis consensus parameters; 0 = the default (model::ConsensusParams).
  uint32_t view_timeout_ms = 0;
  uint32_t batch_timeout_ms = 0;
  uint32_t checkpoint_interval = 0;
  std::vector<std::string> hosts;  // --host ORG=NAME[,NAME...], repeated
};

struct IdentityIssueOptions {
  std::string org_dir;
  std::string name;
  int64_t validity_days = 365;
  bool admin = false;
};

struct EventSubmitOptions {
  std::vector<std::string> cosigner_dirs;
  std::string file;
  EventFlags flags;
  ContractFlags contract;  // rules v2 payloads (with --type, not --file)
  bool wait = false;
  std::vector<std::string> private_fields;  // NAME=VALUE
  std::vector<std::string> readers;         // organisation ids; the signer's is added
  std::vector<std::string> documents;       // KIND=FILE: each file's SHA-256 is anchored
  TrackingCodeFlags tracking;
};

struct ShowOptions {
  std::string id;  // event id (hex), shipment id, block height or hash
  // event show only: the key that opens private fields for the --identity's organisation.
  std::string encryption_key_path;  // empty: DefaultEncryptionKeyPath(identity_dir)
};

struct ShipmentListOptions {
  uint32_t page_size = 50;
  std::string page_token;
  bool all = false;
  bool excursions_only = false;  // --excursions
};

struct ShipmentFindOptions {
  std::string reference;  // KIND=VALUE
};

struct WatchOptions {
  uint64_t from_height = 0;
  std::string shipment_id;
  uint64_t count = 0;  // 0: until interrupted
};

struct VerifyOptions {
  std::string data_dir;
  std::string genesis_path;
  std::string expect_genesis_hash;
};

struct ProofGetOptions {
  std::string event_id;  // hex
  std::string out_path;
  bool wait = false;
};

struct ProofVerifyOptions {
  std::string proof_path;
  std::string genesis_path;
  std::string expect_genesis_hash;
};

struct DiscloseOptions {
  std::string event_id;             // hex
  std::vector<std::string> fields;  // private field names to disclose
  std::string out_path;
  std::string encryption_key_path;  // empty: DefaultEncryptionKeyPath(--identity)
  bool wait = false;                // wait for a stable checkpoint to certify the receipt
};

struct DocOptions {
  std::string file;         // the document file
  std::string kind;         // doc hash: print the KIND=sha256:<hex> form; empty: sha256:<hex>
  std::string shipment_id;  // doc verify: the shipment whose timeline should anchor the file
};

struct EpcisHashOptions {
  std::string file;       // an EPCISDocument, EPCISQueryDocument or single event (JSON-LD)
  bool pre_hash = false;  // print each pre-hash string too
};

struct ExportOptions {
  std::string format;               // "epcis" or "dcsa"
  std::string shipment_id;
  std::string out;                  // file to write the document to; empty: stdout
  bool open_private = false;        // epcis: open the --identity organisation's private fields
  std::string encryption_key_path;  // with open_private; default as `event show`
};

struct ImportOptions {
  std::string format;  // "epcis" or "dcsa"
  std::string file;
  std::string shipment_id;     // every event is about this shipment
  bool skip_unmapped = false;  // submit what maps even when some events do not
};

// Prints "error: <message>" to io.err and returns kExitFailure.
int ReportError(const Io& io, const Status& status);

// The 32 raw bytes of an event id given as 64 hex characters; INVALID_ARGUMENT otherwise.
Result<Bytes> ParseEventId(const std::string& hex);

// Loads the genesis file at `path` (errors name --genesis) and, when `expect_hash` is given,
// refuses it (FAILED_PRECONDITION) unless its hash is that one (INVALID_ARGUMENT when
// `expect_hash` is not 64 hex characters). DESIGN §3: whoever hands over a genesis could
// forge one.
Result<std::shared_ptr<const model::Genesis>> LoadExpectedGenesis(const std::string& path,
                                                                  const std::string& expect_hash);

int RunNetworkInit(const GlobalOptions& global, const NetworkInitOptions& options, const Io& io);
int RunIdentityIssue(const GlobalOptions& global, const IdentityIssueOptions& options,
                     const Io& io);
int RunEventSubmit(const GlobalOptions& global, const EventSubmitOptions& options, const Io& io);
int RunEventShow(const GlobalOptions& global, const ShowOptions& options, const Io& io);
int RunChainInfo(const GlobalOptions& global, const Io& io);
int RunBlockShow(const GlobalOptions& global, const ShowOptions& options, const Io& io);
// GetShipment of `shipment_id`; NOT_FOUND says the shipment is unknown or hidden from the
// --identity's organisation (the node answers both alike) and how to list the visible ones.
Result<v1::GetShipmentResponse> FetchShipment(NodeClient& client, const std::string& shipment_id);

int RunShipmentShow(const GlobalOptions& global, const ShowOptions& options, const Io& io);
int RunShipmentList(const GlobalOptions& global, const ShipmentListOptions& options, const Io& io);
int RunShipmentFind(const GlobalOptions& global, const ShipmentFindOptions& options, const Io& io);
int RunWatch(const GlobalOptions& global, const WatchOptions& options, const Io& io);
// `backup`: AdminService.CreateBackup; prints where the node wrote the copy.
int RunBackup(const GlobalOptions& global, const Io& io);
int RunStatus(const GlobalOptions& global, const Io& io);
// `health`: the node's grpc.health.v1 answer for `service` ("" = the node). Exit 0 when
// SERVING, 1 otherwise (not serving, unknown service, unreachable: the reason on stderr).
int RunHealth(const GlobalOptions& global, const std::string& service, const Io& io);
int RunVerify(const GlobalOptions& global, const VerifyOptions& options, const Io& io);
int RunProofGet(const GlobalOptions& global, const ProofGetOptions& options, const Io& io);
int RunProofVerify(const GlobalOptions& global, const ProofVerifyOptions& options, const Io& io);
int RunDisclose(const GlobalOptions& global, const DiscloseOptions& options, const Io& io);
// `epcis hash`: each event's CBV 2.0 hash ID; kExitBroken when an eventID that is such an ID
// is not the event's own.
int RunEpcisHash(const GlobalOptions& global, const EpcisHashOptions& options, const Io& io);
// `export epcis|dcsa`: the shipment as an EPCIS 2.0 document or DCSA T&T 2.2 events
// (LedgerService.ExportShipment; with --private, built here from GetShipment so that the
// caller's private fields can be opened with its key).
int RunExport(const GlobalOptions& global, const ExportOptions& options, const Io& io);
// `import epcis|dcsa FILE`: each event mapped, signed as --identity and submitted in order,
// each batch waited for. Nothing is submitted when an event cannot be mapped, unless
// skip_unmapped. kExitRejected when an event submitted is not VALID.
int RunImport(const GlobalOptions& global, const ImportOptions& options, const Io& io);
int RunDocHash(const GlobalOptions& global, const DocOptions& options, const Io& io);
int RunDocVerify(const GlobalOptions& global, const DocOptions& options, const Io& io);
// `disclosure verify`: options.proof_path names the disclosure file.
int RunDisclosureVerify(const GlobalOptions& global, const ProofVerifyOptions& options,
                        const Io& io);

}  // namespace shipledger::cli
