// Store: what the consensus runtime keeps (DESIGN §6, §7): the journal (family `consensus`),
// stable checkpoint certificates (family `checkpoints`) and runs of blocks for state transfer.
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/digest.h"
#include "model/journal.h"
#include "storage/keys.h"
#include "storage/store.h"
#include "storage/store_impl.h"

namespace shipledger::storage {

using keys::Family;

namespace {

Status RefuseReadOnly(const std::string& dir, std::string_view what) {
  return Status::FailedPrecondition("cannot " + std::string(what) + ": store in " + dir +
                                    " is open read-only");
}

std::string JournalWhere(ByteView key) {
  uint64_t height = 0;
  uint64_t sequence = 0;
  if (!keys::DecodeJournalKey(key, &height, &sequence)) return "journal key " + ToHex(key);
  return "journal entry " + std::to_string(height) + "/" + std::to_string(sequence);
}

}  // namespace

Status Store::Impl::RecoverJournal() {
  // The sequence is global and the keys sort by height first, so the highest one may be
  // anywhere: read every key (the journal is pruned at each stable checkpoint, so it is short).
  // Sequences removed by a prune may be reused; every height keeps its append order, since all
  // the entries still stored at any height have lower sequences than the next one.
  uint64_t next = 0;
  Status key_status;
  SL_RETURN_IF_ERROR(
      Scan(Family::kConsensus, ByteView(), std::nullopt, [&](ByteView key, ByteView) {
        uint64_t height = 0;
        uint64_t sequence = 0;
        if (!keys::DecodeJournalKey(key, &height, &sequence) ||
            sequence == std::numeric_limits<uint64_t>::max()) {
          key_status = Status::DataLoss("data dir " + dir + ": malformed " + JournalWhere(key));
          return false;
        }
        next = std::max(next, sequence + 1);
        return true;
      }));
  SL_RETURN_IF_ERROR(key_status);
  std::lock_guard<std::mutex> lock(journal_mu);
  next_journal_sequence = next;
  return Status::Ok();
}

v1::CheckpointCertificate Store::Impl::GenesisCheckpoint() const {
  v1::CheckpointCertificate genesis;
  genesis.set_height(0);
  genesis.set_block_hash(genesis_hash);
  genesis.set_results(model::ZeroDigest());
  return genesis;
}

Status Store::AppendJournal(uint64_t height, const v1::JournalEntry& entry) {
  Impl& impl = *impl_;
  if (impl.options.read_only) return RefuseReadOnly(impl.dir, "append to the journal");
  Bytes value;
  SL_RETURN_IF_ERROR(SerializeValue(entry, &value));
  std::lock_guard<std::mutex> lock(impl.journal_mu);
  const Bytes key = keys::JournalKey(height, impl.next_journal_sequence);
  SL_RETURN_IF_ERROR(FromRocks(impl.db->Put(impl.SyncedWrite(), impl.cf(Family::kConsensus),
                                            rocksdb::Slice(key.data(), key.size()),
                                            rocksdb::Slice(value.data(), value.size())),
                               "append journal entry at height " + std::to_string(height)));
  // Advanced only after a successful write; a failed one leaves no gap to explain.
  ++impl.next_journal_sequence;
  return Status::Ok();
}

Result<std::vector<v1::JournalEntry>> Store::LoadJournal() const {
  std::vector<v1::JournalEntry> entries;
  Status decode_status;
  SL_RETURN_IF_ERROR(
      impl_->Scan(Family::kConsensus, ByteView(), std::nullopt, [&](ByteView key, ByteView value) {
        uint64_t height = 0;
        uint64_t sequence = 0;
        if (!keys::DecodeJournalKey(key, &height, &sequence)) {
          decode_status = Status::DataLoss("malformed " + JournalWhere(key));
          return false;
        }
        decode_status = ParseValue(value, &entries.emplace_back(), JournalWhere(key));
        return decode_status.ok();
      }));
  SL_RETURN_IF_ERROR(decode_status);
  return entries;
}

Status Store::Impl::AddJournalPrune(uint64_t through_height, rocksdb::WriteBatch* batch) {
  rocksdb::ColumnFamilyHandle* family = cf(Family::kConsensus);
  // Height 0: views entered and VIEW-CHANGEs sent, in append order.
  std::vector<Bytes> height0_keys;
  std::vector<v1::JournalEntry> height0;
  Status decode_status;
  const Bytes height0_prefix = keys::HeightKey(0);
  SL_RETURN_IF_ERROR(Scan(Family::kConsensus, height0_prefix, keys::PrefixSuccessor(height0_prefix),
                          [&](ByteView key, ByteView value) {
                            decode_status =
                                ParseValue(value, &height0.emplace_back(), JournalWhere(key));
                            height0_keys.emplace_back(key);
                            return decode_status.ok();
                          }));
  SL_RETURN_IF_ERROR(decode_status);
  std::vector<const v1::JournalEntry*> entries;
  for (const auto& e : height0) entries.push_back(&e);
  const std::vector<bool> prune = model::PrunableHeightZeroEntries(entries, through_height);
  for (size_t i = 0; i < prune.size(); ++i) {
    if (!prune[i]) continue;
    const Bytes& key = height0_keys[i];
    SL_RETURN_IF_ERROR(
        FromRocks(batch->Delete(family, rocksdb::Slice(key.data(), key.size())), "batch"));
  }
  // Heights 1..through_height: one range tombstone. Keys are 16 bytes, so the 8-byte height
  // prefixes bound the range exactly; past the last height, a 17-byte key above every key.
  if (through_height >= 1) {
    const Bytes begin = keys::HeightKey(1);
    const Bytes end = through_height == std::numeric_limits<uint64_t>::max()
                          ? Bytes(17, '\xff')
                          : keys::HeightKey(through_height + 1);
    SL_RETURN_IF_ERROR(
        FromRocks(batch->DeleteRange(family, rocksdb::Slice(begin.data(), begin.size()),
                                     rocksdb::Slice(end.data(), end.size())),
                  "batch"));
  }
  return Status::Ok();
}

Status Store::PutCheckpoint(const v1::CheckpointCertificate& certificate) {
  Impl& impl = *impl_;
  if (impl.options.read_only) return RefuseReadOnly(impl.dir, "store a checkpoint");
  if (certificate.height() == 0) {
    return Status::InvalidArgument(
        "checkpoint certificate at height 0: the genesis checkpoint is implicit, not stored");
  }
  Bytes value;
  SL_RETURN_IF_ERROR(SerializeValue(certificate, &value));
  const Bytes key = keys::HeightKey(certificate.height());
  rocksdb::WriteBatch batch;
  SL_RETURN_IF_ERROR(
      FromRocks(batch.Put(impl.cf(Family::kCheckpoints), rocksdb::Slice(key.data(), key.size()),
                          rocksdb::Slice(value.data(), value.size())),
                "batch"));
  // DESIGN §6: the journal is pruned in the very write that makes the certificate durable, so a
  // failed write leaves both as they were and a restart can never sign twice at (view, height).
  std::lock_guard<std::mutex> lock(impl.journal_mu);
  SL_RETURN_IF_ERROR(impl.AddJournalPrune(certificate.height(), &batch));
  return FromRocks(impl.db->Write(impl.SyncedWrite(), &batch),
                   "store checkpoint at height " + std::to_string(certificate.height()));
}

namespace {

// Parses a stored certificate and checks that it sits under its own height.
Status ParseCheckpoint(ByteView key, ByteView value, v1::CheckpointCertificate* certificate) {
  uint64_t height = 0;
  if (!keys::DecodeU64(key, &height)) {
    return Status::DataLoss("malformed checkpoint key " + ToHex(key));
  }
  SL_RETURN_IF_ERROR(
      ParseValue(value, certificate, "checkpoint certificate at height " + std::to_string(height)));
  if (certificate->height() != height) {
    return Status::DataLoss("checkpoint certificate stored at height " + std::to_string(height) +
                            " is for height " + std::to_string(certificate->height()));
  }
  return Status::Ok();
}

}  // namespace

Result<v1::CheckpointCertificate> Store::LatestCheckpoint() const {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(Family::kCheckpoints)));
  it->SeekToLast();
  if (!it->Valid()) {
    SL_RETURN_IF_ERROR(FromRocks(it->status(), "read checkpoints"));
    return impl_->GenesisCheckpoint();
  }
  v1::CheckpointCertificate certificate;
  SL_RETURN_IF_ERROR(ParseCheckpoint(ByteView(it->key().data(), it->key().size()),
                                     ByteView(it->value().data(), it->value().size()),
                                     &certificate));
  return certificate;
}

Result<v1::CheckpointCertificate> Store::GetCheckpoint(uint64_t height) const {
  if (height == 0) return impl_->GenesisCheckpoint();
  const Bytes key = keys::HeightKey(height);
  Bytes value;
  SL_ASSIGN_OR_RETURN(const bool found, impl_->Get(Family::kCheckpoints, key, &value));
  if (!found) {
    return Status::NotFound("no checkpoint certificate stored at height " + std::to_string(height));
  }
  v1::CheckpointCertificate certificate;
  SL_RETURN_IF_ERROR(ParseCheckpoint(key, value, &certificate));
  return certificate;
}

Result<std::vector<v1::CheckpointCertificate>> Store::ListCheckpoints(uint64_t from_height,
                                                                      uint32_t limit) const {
  std::vector<v1::CheckpointCertificate> certificates;
  if (limit == 0) return certificates;
  Status decode_status;
  SL_RETURN_IF_ERROR(impl_->Scan(Family::kCheckpoints, keys::HeightKey(from_height), std::nullopt,
                                 [&](ByteView key, ByteView value) {
                                   decode_status =
                                       ParseCheckpoint(key, value, &certificates.emplace_back());
                                   return decode_status.ok() && certificates.size() < limit;
                                 }));
  SL_RETURN_IF_ERROR(decode_status);
  return certificates;
}

Result<std::vector<v1::Block>> Store::GetBlocks(uint64_t from_height, uint32_t max_blocks,
                                                size_t max_bytes) const {
  if (from_height == 0) {
    return Status::InvalidArgument("no block at height 0: blocks start at height 1");
  }
  std::vector<v1::Block> blocks;
  // Blocks at or below the head never change, so reading them one by one is consistent.
  const uint64_t head = impl_->CurrentHead().height;
  size_t total_bytes = 0;
  for (uint64_t height = from_height; height <= head && blocks.size() < max_blocks; ++height) {
    SL_ASSIGN_OR_RETURN(v1::Block block, GetBlock(height));
    const size_t size = block.ByteSizeLong();
    // Written so that it cannot overflow: the first block alone may exceed max_bytes.
    if (!blocks.empty() && (total_bytes >= max_bytes || size > max_bytes - total_bytes)) break;
    total_bytes += size;
    blocks.push_back(std::move(block));
  }
  return blocks;
}

}  // namespace shipledger::storage
