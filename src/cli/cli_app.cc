#include "cli/cli_app.h"

#include "cli/contract_flags.h"
#include "cli/documents.h"
#include "cli/output.h"
#include "model/genesis.h"

namespace shipledger::cli {

namespace {

const char kGlobalFooter[] =
    "Global options, accepted before or after the command:\n"
    "  --node HOST:PORT   the node to talk to (default 127.0.0.1:7050)\n"
    "  --identity DIR     client identity (cert.pem, key.pem), e.g. NET/ORG/clients/admin:\n"
    "                     authenticates to the node (TLS) and signs what event submit sends\n"
    "                     [env SHIPLEDGER_IDENTITY]\n"
    "  --genesis FILE     the network's genesis.yaml, whose CAs vouch for the node (default:\n"
    "                     the one three folders above --identity) [env SHIPLEDGER_GENESIS]\n"
    "  --insecure         plaintext, for a node with insecure_client_api: true (development)\n"
    "  --json             print one JSON document (watch: one per line)";

// An event id in examples (64 hex characters, as the commands require).
const std::string kExampleId = "9f2c4e1ab07d3c5e8f61a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3";

// A CLI11 validator from a function returning a Status: its message becomes the usage error.
template <typename Fn>
CLI::Validator StatusCheck(std::string description, Fn fn) {
  return CLI::Validator(
      [fn](std::string& value) -> std::string {
        Status s = fn(value);
        return s.ok() ? std::string() : s.message();
      },
      std::move(description));
}

CLI::Validator EventTypeCheck() {
  return StatusCheck("TYPE", [](const std::string& v) { return ParseEventTypeName(v).status(); });
}

CLI::Validator KeyValueCheck(const std::string& flag, const std::string& example) {
  return StatusCheck("KEY=VALUE", [flag, example](const std::string& v) {
    return ParseKeyValue(v, flag, example).status();
  });
}

CLI::Validator DocFlagCheck() {
  return StatusCheck("KIND=FILE", [](const std::string& v) { return ParseDocFlag(v).status(); });
}

CLI::Validator DocumentKindCheck() {
  return StatusCheck("KIND", [](const std::string& v) { return CheckDocumentKind(v); });
}

CLI::Validator TimeCheck() {
  return StatusCheck("TIME", [](const std::string& v) { return ParseTime(v).status(); });
}

}  // namespace

CliApp::CliApp()
    : app_(
          "shipledger: operator CLI of a shipledger network (permissioned ledger of shipment "
          "events)",
          "shipledger") {
  // Subcommands inherit fallthrough: a global option after the command reaches the app.
  app_.fallthrough();
  app_.require_subcommand(1);
  app_.footer(kGlobalFooter);
  app_.add_option("--node", options_.global.node, "Node to talk to, HOST:PORT")
      ->capture_default_str();
  app_.add_flag("--json", options_.global.json, "Print JSON instead of text");
  app_.add_option("--identity", options_.global.connect.identity_dir,
                  "Client identity folder (cert.pem, key.pem): authenticates to the node and "
                  "signs submitted events")
      ->envname("SHIPLEDGER_IDENTITY");
  app_.add_option("--genesis", options_.global.connect.genesis_path,
                  "The network's genesis.yaml (the CAs the node's certificate is checked "
                  "against); default: three folders above --identity")
      ->envname("SHIPLEDGER_GENESIS");
  app_.add_flag("--insecure", options_.global.connect.insecure,
                "Plaintext connection to a node with insecure_client_api: true (development "
                "only)");
  AddNetworkCommands();
  AddEventCommands();
  AddReadCommands();
  AddVerifyCommand();
  AddProofCommands();
  AddDocCommands();
  AddEpcisCommands();
  AddExportCommands();
  AddImportCommands();
}

void CliApp::Document(CLI::App* cmd, const std::string& notes, std::vector<std::string> examples) {
  std::string footer = notes.empty() ? "" : notes + "\n\n";
  footer += examples.size() == 1 ? "Example:\n" : "Examples:\n";
  for (const std::string& e : examples) footer += "  " + e + "\n";
  cmd->footer(footer + "\n" + kGlobalFooter);
  examples_[cmd] = std::move(examples);
}

CLI::App* CliApp::AddCommand(CLI::App* parent, const std::string& name,
                             const std::string& description, Runner runner) {
  CLI::App* sub = parent->add_subcommand(name, description);
  sub->footer(kGlobalFooter);
  if (runner) {
    runners_[sub] = std::move(runner);
  } else {
    sub->require_subcommand(1);
  }
  return sub;
}

void CliApp::AddNetworkCommands() {
  CLI::App* network = AddCommand(&app_, "network", "Set up a development network");
  NetworkInitOptions& init = options_.network_init;
  CLI::App* cmd = AddCommand(
      network, "init",
      "Create CAs, node and client identities, genesis.yaml and node configs in --out",
      [this](const Io& io) { return RunNetworkInit(options_.global, options_.network_init, io); });
  cmd->add_option("--out", init.out_dir, "Folder to create the network in")->required();
  cmd->add_option("--orgs", init.orgs,
                  "Organisations, NAME:ROLE[:client],... (roles: exporter, forwarder, carrier, "
                  "customs, importer, inspector; :client runs no node)")
      ->required();
  cmd->add_option("--base-port", init.base_port,
                  "First port: node i serves gRPC on P+2i, peers on P+2i+1")
      ->capture_default_str()
      ->check(CLI::Range(1, 65534));
  cmd->add_option("--chain-id", init.chain_id, "Chain id (default: shipledger-dev-<random hex>)");
  const model::ConsensusParams consensus_defaults;
  cmd->add_option("--view-timeout-ms", init.view_timeout_ms,
                  "Genesis consensus.view_timeout_ms: how long a replica waits for progress "
                  "before it starts a view change (default: " +
                      std::to_string(consensus_defaults.view_timeout_ms) + ")")
      ->check(CLI::Range(50, 600000));
  cmd->add_option("--batch-timeout-ms", init.batch_timeout_ms,
                  "Genesis consensus.batch_timeout_ms: longest wait from the first pending event "
                  "to a block (default: " +
                      std::to_string(consensus_defaults.batch_timeout_ms) + ")")
      ->check(CLI::Range(1, 60000));
  cmd->add_option("--checkpoint-interval", init.checkpoint_interval,
                  "Genesis consensus.checkpoint_interval: a checkpoint every K heights (default: " +
                      std::to_string(consensus_defaults.checkpoint_interval) + ")")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--host", init.hosts,
                  "ORG=NAME[,NAME...]: the host names and addresses ORG's node is reached at, "
                  "repeatable. The first goes into the genesis endpoints, all into the node's "
                  "certificate (beside localhost and 127.0.0.1). An address as the first: the "
                  "node listens and dials from it; a name: it listens on 0.0.0.0. Default: "
                  "127.0.0.1");
  Document(cmd, "",
           {"shipledger network init --out net --orgs "
            "exporter:exporter,forwarder:forwarder,customs:customs,importer:importer",
            "shipledger network init --out net --orgs acme:exporter,dhl:forwarder,zoll:customs,"
            "imp:importer --host acme=node0.acme.example,10.0.0.10 --host "
            "dhl=node1.dhl.example"});

  CLI::App* identity = AddCommand(&app_, "identity", "Manage client identities");
  IdentityIssueOptions& issue = options_.identity_issue;
  cmd = AddCommand(identity, "issue", "Issue a client identity into ORG_DIR/clients/NAME/",
                   [this](const Io& io) {
                     return RunIdentityIssue(options_.global, options_.identity_issue, io);
                   });
  cmd->add_option("--org-dir", issue.org_dir,
                  "The organisation's folder (DIR/NAME of network "
                  "init; its ca/ signs the identity)")
      ->required();
  cmd->add_option("--name", issue.name, "Name of the identity (its certificate's CN)")->required();
  cmd->add_option("--validity-days", issue.validity_days, "Days the certificate is valid")
      ->capture_default_str()
      ->check(CLI::Range(1, 36500));
  cmd->add_flag("--admin", issue.admin,
                "An organisation admin (OU=admin): may revoke the organisation's certificates "
                "(event submit --type certificate_revocation --fingerprint F)");
  Document(cmd,
           "Writes cert.pem and key.pem (mode 0600) into ORG_DIR/clients/NAME/; the key never "
           "leaves it.",
           {"shipledger identity issue --org-dir net/forwarder --name dispatch",
            "shipledger identity issue --org-dir net/customs --name ops-lead --admin "
            "--validity-days 90"});
}

void CliApp::AddEventCommands() {
  CLI::App* event = AddCommand(&app_, "event", "Submit and inspect shipment events");
  EventSubmitOptions& o = options_.event_submit;
  CLI::App* cmd = AddCommand(
      event, "submit",
      "Sign an event with the global --identity (and each --cosigner) and submit it to the node",
      [this](const Io& io) { return RunEventSubmit(options_.global, options_.event_submit, io); });
  CLI::Option* shipment = cmd->add_option("--shipment", o.flags.shipment_id, "Shipment id");
  CLI::Option* type = cmd->add_option("--type", o.flags.type,
                                      "Event type in snake_case: booked, pickup, handover, ...")
                          ->check(EventTypeCheck());
  CLI::Option* location =
      cmd->add_option("--location", o.flags.location, "Where it happened, UN/LOCODE (DEHAM)");
  CLI::Option* refs = cmd->add_option("--ref", o.flags.references,
                                      "Business reference KIND=VALUE (booking, bill_of_lading, "
                                      "container, purchase_order, invoice, awb, seal, "
                                      "customs_declaration); repeatable")
                          ->allow_extra_args(false)
                          ->check(KeyValueCheck("--ref", "booking=BK-2026-001"));
  CLI::Option* details = cmd->add_option("--detail", o.flags.details,
                                         "Clear detail KEY=VALUE (never personal data); repeatable")
                             ->allow_extra_args(false)
                             ->check(KeyValueCheck("--detail", "vessel=MAERSK-ESSEX"));
  CLI::Option* parties =
      cmd->add_option("--party", o.flags.parties,
                      "Organisation to make a party of the shipment: on booked, on party_added "
                      "(a party adds it; contract rules v3) and on customs declarations (the "
                      "customs authority lodged with); repeatable")
          ->allow_extra_args(false);
  CLI::Option* time = cmd->add_option("--time", o.flags.time,
                                      "When it happened: ISO-8601 or Unix ms (default: now)")
                          ->check(TimeCheck());
  cmd->add_option("--cosigner", o.cosigner_dirs,
                  "Identity folder of a required co-signer (e.g. the receiver of a handover); "
                  "repeatable")
      ->allow_extra_args(false);
  cmd->add_option("--file", o.file,
                  "The event as JSON (shipledger.v1.Event); chain_id, signer_org, "
                  "cosigner_orgs, occurred_at_ms and nonce are filled when absent")
      ->excludes(shipment)
      ->excludes(type)
      ->excludes(location)
      ->excludes(refs)
      ->excludes(details)
      ->excludes(parties)
      ->excludes(time);
  cmd->add_flag("--wait", o.wait,
                "Wait until the event is committed and print its receipt (without it the node has "
                "only admitted the event: not yet durable)");
  cmd->add_option("--private", o.private_fields,
                  "Private field NAME=VALUE, encrypted for the --readers and the signer's "
                  "organisation; nodes see only its name and a commitment; repeatable")
      ->allow_extra_args(false)
      ->check(KeyValueCheck("--private", "invoice_value=EUR-125000"));
  cmd->add_option("--readers", o.readers,
                  "Organisations that may read the --private fields, ORG[,ORG...] (the signer's "
                  "organisation always may)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option(
         "--doc", o.documents,
         "Anchor a document by its SHA-256, KIND=FILE (kinds: " + Join(DocumentKinds(), ", ") +
             "); the file is hashed here and never sent; repeatable")
      ->allow_extra_args(false)
      ->check(DocFlagCheck());
  CLI::Option* no_code = cmd->add_flag(
      "--no-tracking-code", o.tracking.none,
      "booked: give the shipment no public tracking code (by default one is generated and "
      "printed once; docs/tracking.md)");
  cmd->add_option("--tracking-code", o.tracking.code,
                  "booked: use this tracking code (25..64 characters of A-Z 0-9, dashes ignored; "
                  "at least 128 random bits) instead of a generated one")
      ->excludes(no_code);
  AddContractOptions(cmd, &o.contract);
  Document(cmd,
           "Exit 0: admitted (with --wait: committed VALID); 3: committed but REJECTED by the "
           "contract\n(the reason is printed); 1: refused or failed (the reason on stderr).",
           {"shipledger --identity net/exporter/clients/admin event submit --shipment S-2026-001 "
            "--type booked --party forwarder --party customs --party importer --ref "
            "booking=BK-2026-001 --wait",
            "shipledger --identity net/forwarder/clients/admin event submit --shipment "
            "S-2026-001 --type pickup --location DEHAM --wait",
            "shipledger --identity net/exporter/clients/admin event submit --shipment S-2026-001 "
            "--type handover --cosigner net/forwarder/clients/admin --wait",
            "shipledger --identity net/exporter/clients/admin event submit --file event.json "
            "--wait"});

  cmd =
      AddCommand(event, "show", "Show one event: fields, signer, co-signers, block, receipt",
                 [this](const Io& io) { return RunEventShow(options_.global, options_.show, io); });
  cmd->add_option("EVENT_ID", options_.show.id, "Event id (64 hex characters)")->required();
  cmd->add_option("--encryption-key", options_.show.encryption_key_path,
                  "The encryption private key (PEM) of the --identity's organisation, which "
                  "decrypts the private fields it may read (default: ca/encryption_key.pem two "
                  "folders above --identity, as network init lays it out: OUT/ORG/clients/NAME "
                  "-> OUT/ORG/ca/encryption_key.pem, when it exists)");
  Document(cmd, "",
           {"shipledger --identity net/importer/clients/admin event show " + kExampleId,
            "shipledger --json --identity net/exporter/clients/admin event show " + kExampleId});
}

void CliApp::AddReadCommands() {
  CLI::App* chain = AddCommand(&app_, "chain", "The chain as a whole");
  Document(AddCommand(chain, "info", "Height, head hash, chain id, genesis hash, event count",
                      [this](const Io& io) { return RunChainInfo(options_.global, io); }),
           "", {"shipledger --identity net/exporter/clients/admin chain info"});

  CLI::App* block = AddCommand(&app_, "block", "Committed blocks");
  CLI::App* cmd = AddCommand(block, "show", "Show one block and its events", [this](const Io& io) {
    return RunBlockShow(options_.global, options_.show, io);
  });
  cmd->add_option("HEIGHT_OR_HASH", options_.show.id, "Block height, or block hash (64 hex)")
      ->required();
  Document(cmd, "",
           {"shipledger --identity net/exporter/clients/admin block show 12",
            "shipledger --json --identity net/exporter/clients/admin block show " + kExampleId});

  CLI::App* shipment = AddCommand(&app_, "shipment", "Track shipments");
  cmd = AddCommand(shipment, "show", "A shipment's state and timeline", [this](const Io& io) {
    return RunShipmentShow(options_.global, options_.show, io);
  });
  cmd->add_option("SHIPMENT_ID", options_.show.id, "Shipment id")->required();
  Document(cmd, "Only a party to the shipment sees it (NOT_FOUND otherwise).",
           {"shipledger --identity net/importer/clients/admin shipment show S-2026-001",
            "shipledger --json --identity net/importer/clients/admin shipment show S-2026-001"});
  cmd = AddCommand(shipment, "list", "Shipments on the chain, in id order", [this](const Io& io) {
    return RunShipmentList(options_.global, options_.shipment_list, io);
  });
  cmd->add_option("--page-size", options_.shipment_list.page_size, "Shipments per page")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--page-token", options_.shipment_list.page_token,
                  "Continue after a previous page (its next page token)");
  cmd->add_flag("--all", options_.shipment_list.all, "Fetch every page");
  cmd->add_flag("--excursions", options_.shipment_list.excursions_only,
                "Only shipments whose cold chain had an excursion (time out of range beyond "
                "the tolerance)");
  Document(cmd, "Lists the shipments the --identity's organisation is a party to.",
           {"shipledger --identity net/forwarder/clients/admin shipment list --all",
            "shipledger --identity net/importer/clients/admin shipment list --excursions",
            "shipledger --json --identity net/forwarder/clients/admin shipment list "
            "--page-size 50"});
  cmd = AddCommand(shipment, "find", "Shipments by business reference", [this](const Io& io) {
    return RunShipmentFind(options_.global, options_.shipment_find, io);
  });
  cmd->add_option("--ref", options_.shipment_find.reference,
                  "Reference KIND=VALUE, e.g. bill_of_lading=MAEU123456789")
      ->required()
      ->check(KeyValueCheck("--ref", "bill_of_lading=MAEU123456789"));
  Document(cmd, "",
           {"shipledger --identity net/customs/clients/admin shipment find --ref "
            "bill_of_lading=MAEU123456789"});

  cmd = AddCommand(&app_, "watch", "Print committed events as they happen (Ctrl-C to stop)",
                   [this](const Io& io) { return RunWatch(options_.global, options_.watch, io); });
  cmd->add_option(
      "--from-height", options_.watch.from_height,
      "Start at this height (default: the first block); to resume, the last height printed "
      "(a stream can break inside a block, so its events may repeat)");
  cmd->add_option("--shipment", options_.watch.shipment_id, "Only this shipment's events");
  cmd->add_option("--count", options_.watch.count, "Stop after N events (default: never)");
  Document(cmd, "With --json, one JSON document per line (JSON Lines).",
           {"shipledger --identity net/importer/clients/admin watch",
            "shipledger --identity net/importer/clients/admin watch --shipment S-2026-001",
            "shipledger --json --identity net/exporter/clients/admin watch --from-height 120 "
            "--count 10"});

  Document(AddCommand(&app_, "status",
                      "The node's status: view, primary, height, lag, checkpoint, peers, ...",
                      [this](const Io& io) { return RunStatus(options_.global, io); }),
           "",
           {"shipledger --node 127.0.0.1:7050 --identity net/exporter/clients/admin status",
            "shipledger --json --identity net/exporter/clients/admin status"});

  Document(AddCommand(&app_, "backup",
                      "Have the node copy its data dir while it runs (into its backup_dir)",
                      [this](const Io& io) { return RunBackup(options_.global, io); }),
           "Takes an admin identity (identity issue --admin) of the node's own organisation. "
           "The copy is\nwritten on the node's host, under node.yaml backup_dir (default: "
           "'backups' beside the data dir);\ncopy it off the host, check it with verify "
           "--data-dir, restore it as docs/operations.md says.",
           {"shipledger --node 127.0.0.1:7050 --identity net/exporter/clients/admin backup",
            "shipledger --json --identity net/customs/clients/admin --node 127.0.0.1:7054 "
            "backup"});

  cmd = AddCommand(
      &app_, "health", "Is the node serving? (the standard gRPC health check, over the same TLS)",
      [this](const Io& io) { return RunHealth(options_.global, options_.health_service, io); });
  cmd->add_option("--service", options_.health_service,
                  "One service by full name, e.g. shipledger.v1.LedgerService (default: the "
                  "node as a whole)");
  Document(cmd,
           "Exit 0 when SERVING; 1 when not serving, unknown or unreachable (the reason on "
           "stderr).",
           {"shipledger --node 127.0.0.1:7050 --identity net/exporter/clients/admin health",
            "shipledger --json health --service shipledger.v1.LedgerService"});
}

void CliApp::AddVerifyCommand() {
  VerifyOptions& o = options_.verify;
  CLI::App* cmd = AddCommand(
      &app_, "verify",
      "Verify the whole chain against a genesis file (offline with --data-dir, else via --node)",
      [this](const Io& io) { return RunVerify(options_.global, options_.verify, io); });
  Document(cmd,
           "Recomputes every block hash and link, events Merkle root, commit certificate, event "
           "signature,\ncertificate chain (at block time) and co-signature. Exit 0: chain OK; 2: "
           "chain BROKEN at\nthe height printed; 1: could not check (unreadable source, wrong "
           "genesis). On a terminal,\na progress line on stderr.",
           {"shipledger verify --genesis net/genesis.yaml --data-dir /var/lib/shipledger/data",
            "shipledger --identity net/customs/clients/admin --node 127.0.0.1:7054 verify "
            "--genesis net/genesis.yaml"});
  cmd->add_option("--genesis", o.genesis_path, "The network's genesis.yaml")->required();
  cmd->add_option("--data-dir", o.data_dir, "A node's data dir, read offline (read-only)");
  cmd->add_option("--expect-genesis-hash", o.expect_genesis_hash,
                  "Refuse a genesis file with another hash (64 hex)");
}

void CliApp::AddProofCommands() {
  CLI::App* proof = AddCommand(&app_, "proof", "Offline proofs that an event is on the chain");
  ProofGetOptions& get = options_.proof_get;
  CLI::App* cmd = AddCommand(
      proof, "get",
      "Fetch the proof of an event (inclusion, receipt, results chain to a stable checkpoint)",
      [this](const Io& io) { return RunProofGet(options_.global, options_.proof_get, io); });
  cmd->add_option("EVENT_ID", get.event_id, "Event id (64 hex characters)")->required();
  cmd->add_option("--out", get.out_path, "File to write (binary shipledger.v1.EventProof)")
      ->required();
  cmd->add_flag("--wait", get.wait,
                "Wait until a stable checkpoint certifies the event's receipt (about a second "
                "after traffic stops)");
  Document(cmd, "Anyone with the genesis checks the file offline: shipledger proof verify FILE.",
           {"shipledger --identity net/importer/clients/admin proof get " + kExampleId +
            " --out pickup.proof --wait"});

  ProofVerifyOptions& verify = options_.proof_verify;
  cmd = AddCommand(
      proof, "verify", "Check a proof file offline against a genesis file",
      [this](const Io& io) { return RunProofVerify(options_.global, options_.proof_verify, io); });
  Document(cmd,
           "Trusts nothing but the genesis: checks the event's signature and certificate chain "
           "(at block time),\nits Merkle path, the commit certificate, the receipt's path and the "
           "results chain to the\ncheckpoint certificate. Exit 0: proof OK, receipt certified "
           "(prints VALID/REJECTED);\n4: the event is on the chain but no checkpoint certifies "
           "its receipt (no verdict);\n2: proof INVALID (prints what did not match); 1: could "
           "not check.",
           {"shipledger proof verify pickup.proof --genesis net/genesis.yaml"});
  cmd->add_option("FILE", verify.proof_path, "The proof file (from proof get)")->required();
  cmd->add_option("--genesis", verify.genesis_path, "The network's genesis.yaml")->required();
  cmd->add_option("--expect-genesis-hash", verify.expect_genesis_hash,
                  "Refuse a genesis file with another hash (64 hex)");

  DiscloseOptions& d = options_.disclose;
  cmd = AddCommand(
      &app_, "disclose",
      "Write a disclosure of chosen private fields of an event (with their salts and the event's "
      "proof) for a third party",
      [this](const Io& io) { return RunDisclose(options_.global, options_.disclose, io); });
  Document(cmd,
           "The --identity's organisation must be a reader of the fields. The file holds the "
           "chosen\nfields' values and salts, the signed event (other fields stay encrypted) and "
           "its proof;\nanyone with the genesis checks it with: shipledger disclosure verify FILE "
           "--genesis G",
           {"shipledger --identity net/exporter/clients/admin disclose --event " + kExampleId +
            " --field invoice_value --out invoice.disclosure --wait"});
  cmd->add_option("--event", d.event_id, "Event id (64 hex characters)")->required();
  cmd->add_option("--field", d.fields, "Private field to disclose (repeatable)")
      ->required()
      ->allow_extra_args(false);
  cmd->add_option("--out", d.out_path, "File to write (binary shipledger.v1.Disclosure)")
      ->required();
  cmd->add_option("--encryption-key", d.encryption_key_path,
                  "The organisation's encryption private key (default: ca/encryption_key.pem two "
                  "folders above --identity)");
  cmd->add_flag("--wait", d.wait, "Wait until a stable checkpoint certifies the event's receipt");

  CLI::App* disclosure = AddCommand(&app_, "disclosure", "Check disclosures of private fields");
  ProofVerifyOptions& dv = options_.disclosure_verify;
  cmd = AddCommand(disclosure, "verify",
                   "Check a disclosure file offline against a genesis file and print the "
                   "disclosed fields and who signed them",
                   [this](const Io& io) {
                     return RunDisclosureVerify(options_.global, options_.disclosure_verify, io);
                   });
  Document(cmd,
           "Checks the event's proof as `proof verify` does, and each disclosed value and salt "
           "against the\ncommitment the signer signed. Exit 0: OK, receipt certified; 4: OK but "
           "the receipt is not\ncertified (no verdict); 2: INVALID (prints what did not match); "
           "1: could not check.",
           {"shipledger disclosure verify invoice.disclosure --genesis net/genesis.yaml"});
  cmd->add_option("FILE", dv.proof_path, "The disclosure file (from disclose)")->required();
  cmd->add_option("--genesis", dv.genesis_path, "The network's genesis.yaml")->required();
  cmd->add_option("--expect-genesis-hash", dv.expect_genesis_hash,
                  "Refuse a genesis file with another hash (64 hex)");
}

void CliApp::AddDocCommands() {
  CLI::App* doc =
      AddCommand(&app_, "doc", "Documents anchored by their SHA-256 (docs/documents.md)");
  DocOptions& o = options_.doc;
  CLI::App* cmd =
      AddCommand(doc, "hash", "Print a file's SHA-256 as events anchor it (sha256:<hex>); offline",
                 [this](const Io& io) { return RunDocHash(options_.global, options_.doc, io); });
  cmd->add_option("FILE", o.file, "The document file")->required();
  cmd->add_option("--kind", o.kind,
                  "Print KIND=sha256:<hex> (kinds: " + Join(DocumentKinds(), ", ") + ")")
      ->check(DocumentKindCheck());
  Document(cmd, "",
           {"shipledger doc hash bl.pdf", "shipledger doc hash bl.pdf --kind bill_of_lading"});

  cmd =
      AddCommand(doc, "verify", "Check that an event of a shipment anchors exactly this file",
                 [this](const Io& io) { return RunDocVerify(options_.global, options_.doc, io); });
  Document(cmd,
           "Hashes FILE, reads the shipment's timeline from the node and lists every event that "
           "anchors that\nhash. Exit 0: a VALID event anchors it; 2: none does (REJECTED ones are "
           "listed but do not count);\n1: could not check (unreadable file, unknown shipment, "
           "node unreachable).",
           {"shipledger --identity net/importer/clients/admin doc verify bl.pdf --shipment "
            "S-2026-001"});
  cmd->add_option("FILE", o.file, "The document file")->required();
  cmd->add_option("--shipment", o.shipment_id, "The shipment whose events should anchor it")
      ->required();
}

void CliApp::AddEpcisCommands() {
  CLI::App* epcis = AddCommand(&app_, "epcis", "GS1 EPCIS 2.0 documents (docs/interop.md)");
  EpcisHashOptions& o = options_.epcis_hash;
  CLI::App* cmd = AddCommand(
      epcis, "hash",
      "Print the CBV 2.0 event hash ID of every event of an EPCIS 2.0 JSON-LD file; offline",
      [this](const Io& io) { return RunEpcisHash(options_.global, options_.epcis_hash, io); });
  cmd->add_option("FILE", o.file,
                  "An EPCISDocument, an EPCISQueryDocument or a single event (JSON-LD)")
      ->required();
  cmd->add_flag("--pre-hash", o.pre_hash, "Print each event's pre-hash string too");
  Document(cmd,
           "The id (ni:///sha-256;<hex>?ver=CBV2.0) does not depend on how the event is written: "
           "URNs or Digital\nLinks, bare CBV words or URIs, local time or UTC. Exit 0: every "
           "event hashed; 2: an event's\neventID is a CBV 2.0 hash ID that is not its own; 1: "
           "the file is not an EPCIS document.",
           {"shipledger epcis hash capture.jsonld",
            "shipledger --json epcis hash capture.jsonld --pre-hash"});
}

void CliApp::AddExportCommands() {
  CLI::App* out = AddCommand(&app_, "export", "A shipment in an industry format (docs/interop.md)");
  ExportOptions& o = options_.export_shipment;
  auto add = [&](const std::string& format, const std::string& summary) {
    CLI::App* cmd = AddCommand(out, format, summary, [this, format](const Io& io) {
      options_.export_shipment.format = format;
      return RunExport(options_.global, options_.export_shipment, io);
    });
    cmd->add_option("--shipment", o.shipment_id, "The shipment to export")->required();
    cmd->add_option("--out", o.out, "Write the document to this file (default: standard output)");
    return cmd;
  };
  CLI::App* cmd = add("epcis", "The shipment as a GS1 EPCIS 2.0 JSON-LD document");
  cmd->add_flag("--private", o.open_private,
                "Open the private fields the --identity's organisation may read and put their "
                "values in the header's ledger records (never in the events, whose ids stay)");
  cmd->add_option("--encryption-key", o.encryption_key_path,
                  "With --private: the organisation's encryption private key (PEM) (default: "
                  "ca/encryption_key.pem two folders above --identity)");
  Document(cmd,
           "Each VALID event becomes an ObjectEvent or TransactionEvent whose eventID is its CBV "
           "2.0 event hash ID\nand whose recordTime is its commit time; what the ledger knows "
           "about it (height, ledger event id,\nreceipt, signers) is in epcisHeader.sl:ledger. "
           "Events the format has no event for are listed there\nand on stderr.",
           {"shipledger --identity net/importer/clients/admin export epcis --shipment S-2026-001 "
            "--out s1.jsonld",
            "shipledger --identity net/importer/clients/admin export epcis --shipment S-2026-001 "
            "--private"});
  cmd = add("dcsa", "The shipment as DCSA Track & Trace 2.2 events (a JSON array)");
  Document(cmd,
           "SHIPMENT, TRANSPORT and EQUIPMENT events, as GET /v2/events answers them. Events DCSA "
           "2.2 has no event\nfor (sensor readings, exceptions, ...) are listed on stderr.",
           {"shipledger --identity net/carrier/clients/admin export dcsa --shipment S-2026-001",
            "shipledger --json --identity net/carrier/clients/admin export dcsa --shipment "
            "S-2026-001 --out s1-dcsa.json"});
}

void CliApp::AddImportCommands() {
  CLI::App* in = AddCommand(&app_, "import",
                            "Events of another system into the ledger, signed as --identity "
                            "(docs/interop.md)");
  ImportOptions& o = options_.import_events;
  auto add = [&](const std::string& format, const std::string& summary, const std::string& file) {
    CLI::App* cmd = AddCommand(in, format, summary, [this, format](const Io& io) {
      options_.import_events.format = format;
      return RunImport(options_.global, options_.import_events, io);
    });
    cmd->add_option("FILE", o.file, file)->required();
    cmd->add_option("--shipment", o.shipment_id,
                    "Every event is about this shipment (default: the shipment a booking in the "
                    "file or on the chain names by the event's references)");
    cmd->add_flag("--skip-unmapped", o.skip_unmapped,
                  "Submit the events that map even when others do not (default: nothing is "
                  "submitted then)");
    return cmd;
  };
  Document(add("epcis", "Import the events of an EPCIS 2.0 JSON-LD document",
               "An EPCISDocument, an EPCISQueryDocument or a single event"),
           "An event is imported only if exporting it again gives back its CBV 2.0 event hash "
           "ID; each event\nthat cannot be is named with the reason. Events are submitted in "
           "the file's order and waited\nfor. Exit 3: some event was not VALID.",
           {"shipledger --identity net/carrier/clients/admin import epcis wms-export.jsonld",
            "shipledger --identity net/carrier/clients/admin import epcis capture.jsonld "
            "--shipment S-2026-001 --skip-unmapped"});
  Document(add("dcsa", "Import DCSA Track & Trace 2.2 events (a JSON array or one event)",
               "A GET /v2/events answer, or one event"),
           "Codes are read as DCSA's four letters or their words (ARRI or ARRIVED, GTOT or "
           "GATE_OUT). Fields the\nmapping does not place are kept as dcsa.* details.",
           {"shipledger --identity net/carrier/clients/admin import dcsa events.json",
            "shipledger --json --identity net/carrier/clients/admin import dcsa events.json "
            "--shipment S-2026-001"});
}

const CLI::App* CliApp::Selected() const {
  const CLI::App* current = &app_;
  while (true) {
    auto subs = current->get_subcommands();
    if (subs.empty()) break;
    current = subs.front();
  }
  return current;
}

std::string CliApp::command() const {
  std::string out;
  const CLI::App* current = &app_;
  while (true) {
    auto subs = current->get_subcommands();
    if (subs.empty()) break;
    current = subs.front();
    if (!out.empty()) out += ' ';
    out += current->get_name();
  }
  return out;
}

std::vector<std::string> CliApp::Commands() const {
  std::vector<std::string> out;
  std::function<void(const CLI::App*, const std::string&)> walk = [&](const CLI::App* app,
                                                                      const std::string& path) {
    for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
      const std::string name = path.empty() ? sub->get_name() : path + " " + sub->get_name();
      if (runners_.count(sub) != 0) out.push_back(name);
      walk(sub, name);
    }
  };
  walk(&app_, "");
  return out;
}

const CLI::App* CliApp::Find(const std::string& command) const {
  const CLI::App* current = &app_;
  size_t start = 0;
  while (start <= command.size()) {
    const size_t space = command.find(' ', start);
    const std::string name =
        command.substr(start, space == std::string::npos ? std::string::npos : space - start);
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : current->get_subcommands([](const CLI::App*) { return true; })) {
      if (sub->get_name() == name) next = sub;
    }
    if (next == nullptr) return nullptr;
    current = next;
    if (space == std::string::npos) break;
    start = space + 1;
  }
  return runners_.count(current) != 0 ? current : nullptr;
}

std::string CliApp::Help(const std::string& command) const {
  const CLI::App* cmd = Find(command);
  if (cmd == nullptr) return "";
  const size_t space = command.rfind(' ');
  return cmd->help(space == std::string::npos ? "shipledger"
                                              : "shipledger " + command.substr(0, space));
}

std::vector<std::string> CliApp::Examples(const std::string& command) const {
  const CLI::App* cmd = Find(command);
  if (cmd == nullptr) return {};
  auto it = examples_.find(cmd);
  return it == examples_.end() ? std::vector<std::string>() : it->second;
}

std::optional<int> CliApp::Parse(const std::vector<std::string>& args, const Io& io) {
  std::vector<const char*> argv = {"shipledger"};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app_.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp& e) {
    return app_.exit(e, io.out, io.err);
  } catch (const CLI::CallForAllHelp& e) {
    return app_.exit(e, io.out, io.err);
  } catch (const CLI::ParseError& e) {
    const CLI::App* selected = Selected();
    const std::string path = command().empty() ? "shipledger" : "shipledger " + command();
    if (runners_.count(selected) == 0) {
      // No command (or a group without its command): show what is on offer.
      const size_t space = path.rfind(' ');
      io.err << selected->help(space == std::string::npos ? "" : path.substr(0, space));
    }
    io.err << "error: " << e.what() << "\nrun '" << path << " --help' for usage\n";
    return kExitUsage;
  }
  options_.global.node_given = app_.get_option("--node")->count() > 0;
  return std::nullopt;
}

int CliApp::Run(const Io& io) {
  auto it = runners_.find(Selected());
  if (it == runners_.end()) {
    io.err << app_.help();
    return kExitUsage;
  }
  return it->second(io);
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err, bool progress) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const Io io{out, err, progress};
  CliApp app;
  if (auto exit_code = app.Parse(args, io)) return *exit_code;
  return app.Run(io);
}

}  // namespace shipledger::cli
