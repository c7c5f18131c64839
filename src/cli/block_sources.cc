#include "cli/block_sources.h"

namespace shipledger::cli {

Result<std::unique_ptr<StoreBlockSource>> StoreBlockSource::Open(const std::string& data_dir,
                                                                 const model::Genesis& genesis) {
  storage::StoreOptions options;
  options.read_only = true;
  options.create_if_missing = false;
  auto store = storage::Store::Open(data_dir, genesis, options);
  if (!store.ok()) return store.status().WithContext("cannot open data dir " + data_dir);
  return std::unique_ptr<StoreBlockSource>(
      new StoreBlockSource(data_dir, std::move(store).value()));
}

Result<SourceHead> StoreBlockSource::Head() {
  const storage::ChainHead head = store_->head();
  SourceHead out;
  out.height = head.height;
  out.block_hash = head.block_hash;
  return out;
}

Result<v1::Block> StoreBlockSource::GetBlock(uint64_t height) { return store_->GetBlock(height); }

Result<std::vector<v1::CheckpointCertificate>> StoreBlockSource::Checkpoints(uint64_t from_height,
                                                                             uint32_t limit) {
  return store_->ListCheckpoints(from_height, limit);
}

Result<Bytes> StoreBlockSource::ResultsAt(uint64_t height) {
  SL_ASSIGN_OR_RETURN(storage::Store::ResultsRecord record, store_->GetResults(height));
  return std::move(record.results);
}

Result<SourceHead> NodeBlockSource::Head() {
  SL_ASSIGN_OR_RETURN(v1::ChainInfo info, client_->GetChainInfo());
  SourceHead out;
  out.height = info.height();
  out.block_hash = info.head_hash();
  out.chain_id = info.chain_id();
  out.genesis_hash = info.genesis_hash();
  return out;
}

Result<v1::Block> NodeBlockSource::GetBlock(uint64_t height) {
  v1::GetBlockRequest request;
  request.set_height(height);
  return client_->GetBlock(request);
}

}  // namespace shipledger::cli
