// Store::CreateCheckpoint: RocksDB's checkpoint of the live store.
#include <rocksdb/utilities/checkpoint.h>

#include <filesystem>
#include <memory>
#include <system_error>

#include "storage/store.h"
#include "storage/store_impl.h"

namespace shipledger::storage {

Status Store::CreateCheckpoint(const std::string& dir) const {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) {
    return Status::AlreadyExists("backup folder " + dir + " already exists");
  }
  rocksdb::Checkpoint* raw = nullptr;
  if (Status s = FromRocks(rocksdb::Checkpoint::Create(impl_->db, &raw), "checkpoint"); !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // log_size_for_flush 0: every family's memtable is flushed first, and the write-ahead log
  // that the flush leaves is copied too, so the copy holds everything committed before the call.
  const rocksdb::Status made = checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0);
  if (made.ok()) return Status::Ok();
  std::filesystem::remove_all(dir, ec);
  std::filesystem::remove_all(dir + ".tmp", ec);  // where RocksDB builds it before the rename
  if (made.IsNoSpace()) {
    return Status::ResourceExhausted("checkpoint into " + dir + ": the disk is full (" +
                                     made.ToString() + ")");
  }
  return FromRocks(made, "checkpoint into " + dir);
}

}  // namespace shipledger::storage
