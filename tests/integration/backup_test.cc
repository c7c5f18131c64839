// `shipledger backup` (AdminService.CreateBackup) against a real shipledgerd: only an admin of
// the node's organisation may take one; the copy is taken while the node commits, holds exactly
// the chain up to its height, verifies offline and, put in place of the data dir, is what the
// node restarts from.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "fixture.h"

namespace shipledger::itest {
namespace {

namespace fs = std::filesystem;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The value after `"key": ` on the line that has it, quotes removed (the CLI's --json output
// puts one key per line).
std::string JsonValue(const std::string& json, const std::string& key) {
  const size_t at = json.find("\"" + key + "\": ");
  if (at == std::string::npos) return "";
  const size_t start = at + key.size() + 4;
  std::string value = json.substr(start, json.find('\n', start) - start);
  if (!value.empty() && value.back() == ',') value.pop_back();
  if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
  return value;
}

class BackupTest : public ::testing::Test {
 protected:
  std::string node() const { return "127.0.0.1:" + std::to_string(net_.port()); }
  ProgramResult As(const std::string& identity, std::vector<std::string> args) {
    std::vector<std::string> full = {"--node", node(), "--identity", identity};
    full.insert(full.end(), args.begin(), args.end());
    return Cli(full, 30000);
  }
  ProgramResult Submit(const std::string& shipment) {
    return As(net_.admin_dir("exporter"),
              {"event", "submit", "--shipment", shipment, "--type", "booked", "--wait"});
  }
  bool WaitServing() {
    for (int i = 0; i < 500; ++i) {
      if (As(net_.admin_dir("exporter"), {"health"}).code == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  NetworkDir net_;
};

TEST_F(BackupTest, OnlyAnAdminOfTheNodesOrganisationTakesOne) {
  Daemon daemon(net_.node_yaml());
  ASSERT_TRUE(WaitServing());
  const ProgramResult clerk = Cli(
      {"identity", "issue", "--org-dir", (net_.path() / "exporter").string(), "--name", "clerk"});
  ASSERT_EQ(clerk.code, 0) << clerk;

  const ProgramResult not_admin = As((net_.path() / "exporter/clients/clerk").string(), {"backup"});
  EXPECT_EQ(not_admin.code, 1) << not_admin;
  EXPECT_TRUE(Contains(not_admin.err, "PERMISSION_DENIED")) << not_admin;
  EXPECT_TRUE(Contains(not_admin.err,
                       "admin certificate (OU=admin) of its organisation "
                       "'exporter'"))
      << not_admin;
  const ProgramResult other_org = As(net_.admin_dir("forwarder"), {"backup"});
  EXPECT_EQ(other_org.code, 1) << other_org;
  EXPECT_TRUE(Contains(other_org.err, "PERMISSION_DENIED")) << other_org;
  EXPECT_TRUE(Contains(other_org.err, "an admin of 'forwarder'")) << other_org;
  const fs::path backups = net_.path() / "exporter/node/backups";
  EXPECT_TRUE(!fs::exists(backups) || fs::is_empty(backups)) << "a refused call wrote nothing";
}

// A backup writes to the node's disk: a node serving its client API in plaintext to anyone
// (development) takes none.
TEST_F(BackupTest, NoBackupOverThePlaintextClientApi) {
  std::ofstream(net_.node_yaml(), std::ios::app) << "insecure_client_api: true\n";
  Daemon daemon(net_.node_yaml());
  bool up = false;
  for (int i = 0; i < 500 && !up; ++i) {
    up = Cli({"--node", node(), "--insecure", "health"}).code == 0;
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(up);
  const ProgramResult r = Cli({"--node", node(), "--insecure", "backup"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(Contains(r.err, "PERMISSION_DENIED")) << r;
  EXPECT_TRUE(Contains(r.err, "not served over the plaintext client API")) << r;
  EXPECT_FALSE(fs::exists(net_.path() / "exporter/node/backups"));
}

TEST_F(BackupTest, TakenWhileRunningItVerifiesAndRestores) {
  auto daemon = std::make_unique<Daemon>(net_.node_yaml());
  ASSERT_TRUE(WaitServing());
  for (const char* s : {"B-1", "B-2", "B-3"}) ASSERT_EQ(Submit(s).code, 0) << s;
  // What a backup interrupted by a crash left: the next one clears it.
  const fs::path leftover = net_.path() / "exporter/node/backups/.incomplete-20260101T000000Z";
  fs::create_directories(leftover);
  std::ofstream(leftover / "CURRENT") << "MANIFEST-000001\n";

  const ProgramResult backup = As(net_.admin_dir("exporter"), {"--json", "backup"});
  ASSERT_EQ(backup.code, 0) << backup;
  const std::string path = JsonValue(backup.out, "path");
  const std::string height = JsonValue(backup.out, "height");
  EXPECT_EQ(height, "3") << backup;
  EXPECT_EQ(JsonValue(backup.out, "event_count"), "3") << backup;
  EXPECT_EQ(fs::path(path).parent_path(), fs::path(net_.path() / "exporter/node/backups"))
      << backup;
  EXPECT_TRUE(Contains(fs::path(path).filename().string(), "-h3")) << path;
  EXPECT_EQ(JsonValue(backup.out, "head_hash").size(), 64u) << backup;
  EXPECT_FALSE(fs::exists(leftover));

  // The node goes on; the backup does not.
  ASSERT_EQ(Submit("B-4").code, 0);
  const ProgramResult text = As(net_.admin_dir("exporter"), {"backup"});
  EXPECT_EQ(text.code, 0) << text;
  EXPECT_TRUE(Contains(text.out, "at height 4 (4 events")) << text;
  EXPECT_TRUE(Contains(text.out, "shipledger verify --data-dir ")) << text;

  // Checked offline while the node still runs.
  const ProgramResult verified =
      Cli({"verify", "--data-dir", path, "--genesis", net_.genesis_path()});
  EXPECT_EQ(verified.code, 0) << verified;
  EXPECT_TRUE(Contains(verified.out, "chain OK: 3 blocks, 3 events")) << verified;

  // Restored in place of the data dir, the node starts from it (one node: what came after the
  // copy is gone) and goes on.
  daemon->Kill(SIGTERM);
  ASSERT_EQ(daemon->Wait(), 0);
  daemon.reset();
  fs::rename(net_.data_dir(), net_.data_dir() + ".old");
  fs::rename(path, net_.data_dir());
  daemon = std::make_unique<Daemon>(net_.node_yaml());
  ASSERT_TRUE(WaitServing());
  const ProgramResult info = As(net_.admin_dir("exporter"), {"--json", "chain", "info"});
  ASSERT_EQ(info.code, 0) << info;
  EXPECT_EQ(JsonValue(info.out, "height"), "3") << info;
  EXPECT_EQ(JsonValue(info.out, "head_hash"), JsonValue(backup.out, "head_hash")) << info;
  ASSERT_EQ(Submit("B-5").code, 0);
}

}  // namespace
}  // namespace shipledger::itest
