// The `shipledger` command line: CLI11 wiring of every command and option, then dispatch to the
// command functions of commands.h. Global options (--node, --json) are accepted before or
// after the command; `--help` works at every level.
// Thread-safety: used by one thread.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace shipledger::cli {

// Everything a command line can set.
struct CliOptions {
  GlobalOptions global;
  NetworkInitOptions network_init;
  IdentityIssueOptions identity_issue;
  EventSubmitOptions event_submit;
  ShowOptions show;  // event show, block show, shipment show
  ShipmentListOptions shipment_list;
  ShipmentFindOptions shipment_find;
  WatchOptions watch;
  VerifyOptions verify;
  ProofGetOptions proof_get;
  ProofVerifyOptions proof_verify;
  DiscloseOptions disclose;
  ProofVerifyOptions disclosure_verify;
  DocOptions doc;  // doc hash, doc verify
  EpcisHashOptions epcis_hash;
  ExportOptions export_shipment;
  ImportOptions import_events;
  std::string health_service;  // health --service
};

class CliApp {
 public:
  CliApp();
  CliApp(const CliApp&) = delete;
  CliApp& operator=(const CliApp&) = delete;

  // Parses `args` (without the program name) into options(). Returns nullopt when a command
  // was selected (call Run); otherwise the exit code of a run that parsing completed: 0 after
  // printing help to io.out, kExitUsage after printing a usage error to io.err.
  std::optional<int> Parse(const std::vector<std::string>& args, const Io& io);

  // Runs the selected command. REQUIRES: Parse returned nullopt.
  int Run(const Io& io);

  const CliOptions& options() const { return options_; }
  // Every command that runs (e.g. "event submit"), in the order --help lists them.
  std::vector<std::string> Commands() const;
  // The --help text of a command of Commands() (empty for an unknown one).
  std::string Help(const std::string& command) const;
  // The examples its --help shows, each a whole command line without the shell's quoting.
  std::vector<std::string> Examples(const std::string& command) const;
  // The selected command, e.g. "event submit"; empty before a successful Parse.
  std::string command() const;

 private:
  using Runner = std::function<int(const Io&)>;
  CLI::App* AddCommand(CLI::App* parent, const std::string& name, const std::string& description,
                       Runner runner = nullptr);
  // The footer of cmd's --help: `notes` (may be empty), then the examples, then the global
  // options.
  void Document(CLI::App* cmd, const std::string& notes, std::vector<std::string> examples);
  // The command of Commands() by its path; nullptr for an unknown one.
  const CLI::App* Find(const std::string& command) const;
  void AddNetworkCommands();
  void AddEventCommands();
  void AddReadCommands();
  void AddVerifyCommand();
  void AddProofCommands();
  void AddDocCommands();
  void AddEpcisCommands();
  void AddExportCommands();
  void AddImportCommands();
  // The deepest subcommand selected by the last parse (the app itself if none).
  const CLI::App* Selected() const;

  CliOptions options_;
  CLI::App app_;
  std::map<const CLI::App*, Runner> runners_;
  std::map<const CLI::App*, std::vector<std::string>> examples_;
};

// Parses and runs a command line; what shipledger_main.cc calls. `progress`: `err` is a
// terminal, so long runs draw a progress line on it.
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
           bool progress = false);

}  // namespace shipledger::cli
