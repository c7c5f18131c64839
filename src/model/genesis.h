// Genesis: the network's fixed constitution (DESIGN §3) — chain id, organisations with their CA
// certificates and roles, replicas with pinned node certificates, consensus parameters, limits
// and the role policy. Loaded from genesis.yaml by config/; immutable afterwards.
// Thread-safety: immutable after construction; share freely.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crypto/ecdsa.h"
#include "crypto/x509.h"
#include "shipledger/bytes.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::model {

enum class Role { kExporter, kForwarder, kCarrier, kCustoms, kImporter, kInspector };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// Who may read a shipment through the client API (DESIGN §8). Default: its parties only.
enum class ReadScope { kParties, kAllMembers };

struct Organisation {
  std::string id;  // also the O= of every certificate its CA issues
  Role role = Role::kExporter;
  crypto::Certificate ca_cert;
  std::optional<crypto::PublicKey> encryption_key;  // for private fields (DESIGN §4)
};

struct Replica {
  uint32_t id = 0;
  std::string org;
  std::string grpc_endpoint;      // host:port of the client API
  std::string peer_endpoint;      // host:port of the replica transport
  crypto::Certificate node_cert;  // pinned: its fingerprint is the replica's identity
};

struct ConsensusParams {
  uint32_t batch_max_events = 500;  // Default: 500 events per block
  uint32_t batch_timeout_ms = 20;   // Default: 20 ms from the first pending event to a block
  uint32_t window = 8;              // Default: 8 heights in flight
  uint32_t checkpoint_interval = 64;
  uint32_t view_timeout_ms = 2000;
  int64_t clock_skew_ms = 5000;  // Δ: proposal timestamp vs a backup's clock
};

struct Limits {
  uint32_t max_event_bytes = 16 * 1024;          // Default: 16 KiB per serialized Event
  uint32_t max_signed_event_bytes = 32 * 1024;   // Default: 32 KiB with certificates, signatures
  uint32_t max_batch_events = 1000;              // Default: 1000 events per SubmitEvents
  uint32_t max_request_bytes = 8 * 1024 * 1024;  // Default: 8 MiB per gRPC message
  uint32_t max_cosignatures = 4;
  uint32_t max_references = 32;
  uint32_t max_documents = 32;
  uint32_t max_details = 64;
  uint32_t max_field_bytes = 256;  // ids, references, detail values
  // Contract rules v2 payloads (model/validation_payloads.h).
  uint32_t max_legs = 16;       // Default: 16 legs per booking route (and per reassignment leg no.)
  uint32_t max_readings = 500;  // Default: 500 readings per sensor_readings event
  // Contract rules v3 state (docs/contracts.md): what one organisation or shipment may keep in
  // the offer and open-leg indexes. Checked in execution (a REJECTED receipt), not admission.
  // Default: 1000 live (registered, unexpired, not withdrawn) carrier offers per organisation.
  uint32_t max_open_offers_per_org = 1000;
  // Default: 8 legs of one shipment left open (no carrier named or matched) at once; a booking,
  // return or reopening that would leave more is rejected.
  uint32_t max_open_legs_per_shipment = 8;
  // Private fields (DESIGN §4, model/envelope_check.h).
  uint32_t max_private_fields = 64;         // Default: 64 private fields per event
  uint32_t max_private_readers = 32;        // Default: 32 reader organisations per event
  uint32_t max_private_value_bytes = 4096;  // Default: 4 KiB per private value (bounds ciphertext)
  int64_t max_future_skew_ms = 5 * 60 * 1000;          // Default: 5 min ahead of the node's clock
  int64_t max_event_age_ms = 30LL * 24 * 3600 * 1000;  // Default: 30 days behind it
};

// Contract rules versions this build executes (DESIGN §3, docs/contracts.md). Version 1: the
// lifecycle, custody, customs holds and returns of the first release; version 2 adds route legs
// and carrier matching, cold chain, return terms, error declarations; version 3 adds "only a
// party makes a party" (DESIGN §8), bounded offer matching, certificate revocation and a receipt
// leaf that covers every receipt field. `network init` writes the latest.
inline constexpr uint32_t kOldestContractRules = 1;
inline constexpr uint32_t kLatestContractRules = 3;

// `contract_rules: [{from_height, version}]`: the version applies from that height on.
struct ContractRulesFrom {
  uint64_t from_height = 1;
  uint32_t version = kOldestContractRules;
};

class Genesis {
 public:
  std::string chain_id;
  Bytes hash;  // SHA-256("shipledger/genesis/v1" ‖ genesis file bytes); also block_hash_0
  std::vector<Organisation> organisations;
  std::vector<Replica> replicas;
  ConsensusParams consensus;
  Limits limits;
  // Which roles may sign each event type. An event type absent here may be signed by nobody.
  std::map<v1::EventType, std::vector<Role>> role_policy;
  // `read_scope: parties | all_members` in the genesis file. Default: parties.
  ReadScope read_scope = ReadScope::kParties;
  // Heights increasing, the first from height 1. Empty (a genesis without the key): version 1.
  std::vector<ContractRulesFrom> contract_rules;

  // The contract rules version that executes the block at `height`.
  uint32_t ContractRulesAt(uint64_t height) const;

  const Organisation* FindOrganisation(std::string_view id) const;
  const Replica* FindReplica(uint32_t id) const;
  // The replica whose pinned certificate has this fingerprint, or nullptr.
  const Replica* FindReplicaByFingerprint(ByteView fingerprint) const;
  bool RoleAllowed(v1::EventType type, Role role) const;
  uint32_t n() const { return static_cast<uint32_t>(replicas.size()); }
  uint32_t f() const { return replicas.empty() ? 0 : (n() - 1) / 3; }
  uint32_t quorum() const { return 2 * f() + 1; }
};

// The PEM bundle of every organisation CA of the genesis: what both ends of the client API
// check the other's certificate against (DESIGN §3, §8).
std::string OrganisationRootsPem(const Genesis& genesis);

// The role policy `network init` writes: who may sign what in a default network.
std::map<v1::EventType, std::vector<Role>> DefaultRolePolicy();

}  // namespace shipledger::model
