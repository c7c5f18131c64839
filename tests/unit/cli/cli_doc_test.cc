// docs/cli.md cannot drift from the program: it has a section for exactly the commands
// CliApp knows, and every `shipledger ...` line of its code blocks parses as the command of
// the section it stands in.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "cli/cli_app.h"

namespace shipledger::cli {
namespace {

struct DocExample {
  std::string section;  // the command of the "### shipledger ..." heading above it
  std::string line;
};

TEST(CliDoc, EveryCommandHasASectionWhoseExamplesParse) {
  std::ifstream in(std::string(SHIPLEDGER_DOCS_DIR) + "/cli.md");
  ASSERT_TRUE(in.good()) << "docs/cli.md";
  const std::string heading = "### shipledger ";
  std::set<std::string> sections;
  std::vector<DocExample> examples;
  std::string section;
  bool in_code = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("```", 0) == 0) {
      in_code = !in_code;
    } else if (!in_code && line.rfind(heading, 0) == 0) {
      section = line.substr(heading.size());
      EXPECT_TRUE(sections.insert(section).second) << "two sections for " << section;
    } else if (in_code && line.rfind("shipledger ", 0) == 0) {
      examples.push_back({section, line});
    }
  }
  const CliApp app;
  const std::vector<std::string> commands = app.Commands();
  EXPECT_EQ(sections, std::set<std::string>(commands.begin(), commands.end()));
  ASSERT_GE(examples.size(), commands.size());
  for (const DocExample& e : examples) {
    std::vector<std::string> words;
    std::istringstream split(e.line);
    for (std::string w; split >> w;) words.push_back(w);
    std::ostringstream out, err;
    const Io io{out, err};
    CliApp parser;
    const std::optional<int> code =
        parser.Parse(std::vector<std::string>(words.begin() + 1, words.end()), io);
    EXPECT_FALSE(code) << e.line << "\n" << err.str();
    EXPECT_EQ(parser.command(), e.section) << e.line;
  }
}

}  // namespace
}  // namespace shipledger::cli
