// docs/configuration.md cannot drift from the loader: its node.yaml table names exactly the keys
// config::ParseNodeConfig accepts (kNodeConfigKeys), "required" exactly those it requires, and
// each default it shows, written into a node.yaml, changes nothing ("none": absent unless set).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "config/node_config.h"

namespace shipledger::config {
namespace {

// The rows of the first table after "## node.yaml": key → default column, backticks removed.
std::map<std::string, std::string> DocumentedNodeKeys() {
  std::ifstream in(std::string(SHIPLEDGER_DOCS_DIR) + "/configuration.md");
  EXPECT_TRUE(in.good()) << "docs/configuration.md";
  std::map<std::string, std::string> rows;
  std::string line;
  bool in_section = false;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      if (in_section) break;
      in_section = line == "## node.yaml";
      continue;
    }
    if (!in_section) continue;
    if (line.rfind("| `", 0) != 0) {
      if (in_table) break;
      continue;
    }
    in_table = true;
    std::vector<std::string> cells;
    std::stringstream split(line.substr(1));
    std::string cell;
    while (std::getline(split, cell, '|')) {
      const size_t first = cell.find_first_not_of(' ');
      const size_t last = cell.find_last_not_of(' ');
      cell = first == std::string::npos ? "" : cell.substr(first, last - first + 1);
      if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') {
        cell = cell.substr(1, cell.size() - 2);
      }
      cells.push_back(cell);
    }
    EXPECT_GE(cells.size(), 3u) << line;
    if (cells.size() >= 2) {
      EXPECT_TRUE(rows.emplace(cells[0], cells[1]).second) << "listed twice: " << cells[0];
    }
  }
  return rows;
}

// The smallest node.yaml: the required keys, plus `extra`.
Result<NodeConfig> Parse(const std::string& extra = "") {
  return ParseNodeConfig(
      "replica_id: 0\ngenesis: g.yaml\ngrpc_listen: 127.0.0.1:7050\ndata_dir: data\n"
      "cert: cert.pem\nkey: key.pem\n" +
          extra,
      "/etc/shipledger/node.yaml");
}

TEST(ConfigurationDoc, ListsExactlyTheKeysTheLoaderAccepts) {
  const std::map<std::string, std::string> documented = DocumentedNodeKeys();
  std::set<std::string> doc_keys, doc_required;
  for (const auto& [key, default_value] : documented) {
    doc_keys.insert(key);
    if (default_value == "required") doc_required.insert(key);
  }
  const std::set<std::string> keys(std::begin(kNodeConfigKeys), std::end(kNodeConfigKeys));
  const std::set<std::string> required(std::begin(kRequiredNodeConfigKeys),
                                       std::end(kRequiredNodeConfigKeys));
  EXPECT_EQ(doc_keys, keys);
  EXPECT_EQ(doc_required, required);
}

TEST(ConfigurationDoc, EveryDefaultShownIsTheLoadersDefault) {
  const Result<NodeConfig> base = Parse();
  ASSERT_TRUE(base.ok()) << base.status().ToString();
  int checked = 0;
  int without_default = 0;
  for (const auto& [key, value] : DocumentedNodeKeys()) {
    if (value == "required") continue;
    if (value == "none") {  // absent unless set (an empty value is refused)
      ++without_default;
      continue;
    }
    const Result<NodeConfig> with = Parse(key + ": " + value + "\n");
    ASSERT_TRUE(with.ok()) << key << ": " << with.status().ToString();
    EXPECT_TRUE(*with == *base) << key << ": the documented default " << value
                                << " is not the loader's";
    ++checked;
  }
  EXPECT_EQ(checked + without_default,
            static_cast<int>(std::size(kNodeConfigKeys) - std::size(kRequiredNodeConfigKeys)));
  EXPECT_LE(without_default, 4)
      << "only the endpoints that are off unless set, and backup_dir (beside the data dir)";
}

TEST(ConfigurationDoc, TheDefaultCheckWouldSeeAWrongDefault) {
  // The comparison above is not vacuous: another value of a key gives another config.
  const Result<NodeConfig> base = Parse();
  const Result<NodeConfig> other = Parse("max_watchers: 257\n");
  ASSERT_TRUE(base.ok() && other.ok());
  EXPECT_FALSE(*other == *base);
}

}  // namespace
}  // namespace shipledger::config
