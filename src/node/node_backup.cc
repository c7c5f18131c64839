// Node::CreateBackup (AdminService.CreateBackup): a copy of the data dir taken while the node
// runs, written under node.yaml backup_dir (docs/operations.md "Back up and restore").
#include <filesystem>
#include <system_error>

#include "model/units.h"
#include "node/node.h"
#include "shipledger/log.h"

namespace shipledger::node {

namespace fs = std::filesystem;
using enum LogComponent;

namespace {

// "2026-12-07T16:05:12.345Z" -> "20261207T160512.345Z": a folder name without ':'.
std::string CompactTime(int64_t unix_ms) {
  std::string out;
  for (char c : model::FormatTimeMs(unix_ms)) {
    if (c != '-' && c != ':') out += c;
  }
  return out;
}

uint64_t FolderBytes(const fs::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const auto size = it->file_size(size_ec);
      if (!size_ec) total += size;
    }
  }
  return total;
}

}  // namespace

std::string Node::organisation() const { return identity_->org(); }

Result<v1::Backup> Node::CreateBackup() {
  std::unique_lock<std::mutex> lock(backup_mu_, std::try_to_lock);
  if (!lock.owns_lock()) {
    return Status::Aborted("a backup of this node is being taken: try again when it is done");
  }
  const int64_t now_ms = clock_.NowMs();
  Result<v1::Backup> backup = TakeBackup(now_ms);
  metrics_.BackupTaken(backup.ok(), now_ms, backup.ok() ? backup->height() : 0);
  if (backup.ok()) {
    Log(kNode).info("backup taken: {} (height {}, {} events, {} bytes)", backup->path(),
                    backup->height(), backup->event_count(), backup->size_bytes());
  } else {
    Log(kNode).warn("backup failed: {}", backup.status().message());
  }
  return backup;
}

Result<v1::Backup> Node::TakeBackup(int64_t now_ms) {
  const fs::path dir = config_.backup_dir.empty()
                           ? fs::path(config_.data_dir).lexically_normal().parent_path() / "backups"
                           : fs::path(config_.backup_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return Status::FailedPrecondition("cannot create the backup folder " + dir.string() + ": " +
                                      ec.message() + " (node.yaml backup_dir)");
  }
  // Leftovers of a backup this node was taking when it stopped (only it writes these names).
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().rfind(".incomplete-", 0) == 0) {
      std::error_code ignored;
      fs::remove_all(it->path(), ignored);
    }
  }
  const std::string stamp = CompactTime(now_ms);
  // Built under a name no restore would pick, renamed once it opens and its height is known.
  const fs::path incomplete = dir / (".incomplete-" + stamp);
  SL_RETURN_IF_ERROR(store_->CreateCheckpoint(incomplete.string()));
  storage::ChainHead head;
  {
    storage::StoreOptions read_only;
    read_only.read_only = true;
    auto copy = storage::Store::Open(incomplete.string(), *genesis_, read_only);
    if (!copy.ok()) {
      fs::remove_all(incomplete, ec);
      return Status::Internal("the backup does not open as a data dir: " + copy.status().message());
    }
    head = (*copy)->head();
  }
  const fs::path final_path = dir / ("backup-" + stamp + "-h" + std::to_string(head.height));
  fs::rename(incomplete, final_path, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove_all(incomplete, ec);
    return Status::Internal("cannot rename the backup to " + final_path.string() + ": " + why);
  }
  v1::Backup out;
  out.set_path(fs::absolute(final_path, ec).string());
  out.set_height(head.height);
  out.set_head_hash(head.block_hash);
  out.set_event_count(head.event_count);
  out.set_size_bytes(FolderBytes(final_path));
  out.set_created_at_ms(now_ms);
  return out;
}

}  // namespace shipledger::node
