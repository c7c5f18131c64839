// The commands of `shipledger`: their options as parsed by cli_app.cc, and one function per
// command that runs it and returns the process exit code. Commands print results to
// `io.out` and failures (always with what to do about them) to `io.err`.
// Thread-safety: called once, from main's thread.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "cli/client.h"
#include "cli/event_builder.h"
#include "shipledger/status.h"

namespace shipledger::cli {

// Exit codes of `shipledger`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // the command failed (message on stderr)
inline constexpr int kExitBroken = 2;    // verify: the chain does not verify
inline constexpr int kExitRejected = 3;  // event submit: the contract REJECTED the event
inline constexpr int kExitUsage = 64;    // bad command line (sysexits EX_USAGE)

struct Io {
  std::ostream& out;
  std::ostream& err;
};

// Accepted before or after the command.
struct GlobalOptions {
  std::string node = std::string(kDefaultNode);
  bool node_given = false;  // --node was on the command line
  bool json = false;
};

struct NetworkInitOptions {
  std::string out_dir;
  std::string orgs;
  uint16_t base_port = 7050;
  std::string chain_id;
  // Genesis consensus parameters; 0 = the default (model::ConsensusParams).
  uint32_t view_timeout_ms = 0;
  uint32_t batch_timeout_ms = 0;
  uint32_t checkpoint_interval = 0;
};

struct IdentityIssueOptions {
  std::string org_dir;
  std::string name;
  int64_t validity_days = 365;
};

struct EventSubmitOptions {
  std::string identity_dir;
  std::vector<std::string> cosigner_dirs;
  std::string file;
  EventFlags flags;
  bool wait = false;
  TrackingCodeFlags tracking;
};

struct ShowOptions {
  std::string id;  // event id (hex), shipment id, block height or hash
};

struct ShipmentListOptions {
  uint32_t page_size = 50;
  std::string page_token;
  bool all = false;
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

// Prints "error: <message>" to io.err and returns kExitFailure.
int ReportError(const Io& io, const Status& status);

int RunNetworkInit(const GlobalOptions& global, const NetworkInitOptions& options, const Io& io);
int RunIdentityIssue(const GlobalOptions& global, const IdentityIssueOptions& options,
                     const Io& io);
int RunEventSubmit(const GlobalOptions& global, const EventSubmitOptions& options, const Io& io);
int RunEventShow(const GlobalOptions& global, const ShowOptions& options, const Io& io);
int RunChainInfo(const GlobalOptions& global, const Io& io);
int RunBlockShow(const GlobalOptions& global, const ShowOptions& options, const Io& io);
int RunShipmentShow(const GlobalOptions& global, const ShowOptions& options, const Io& io);
int RunShipmentList(const GlobalOptions& global, const ShipmentListOptions& options, const Io& io);
int RunShipmentFind(const GlobalOptions& global, const ShipmentFindOptions& options, const Io& io);
int RunWatch(const GlobalOptions& global, const WatchOptions& options, const Io& io);
int RunStatus(const GlobalOptions& global, const Io& io);
int RunVerify(const GlobalOptions& global, const VerifyOptions& options, const Io& io);

}  // namespace shipledger::cli
