// shipledger: the operator CLI (see cli/cli_app.h for the commands).
#include <unistd.h>

#include <exception>
#include <iostream>

#include "cli/cli_app.h"
#include "cli/progress.h"

int main(int argc, char** argv) {
  try {
    return shipledger::cli::RunCli(argc, argv, std::cout, std::cerr,
                                   shipledger::cli::IsInteractiveTerminal(STDERR_FILENO));
  } catch (const std::exception& e) {
    std::cerr << "error: unexpected failure: " << e.what() << '\n';
    return shipledger::cli::kExitFailure;
  }
}
