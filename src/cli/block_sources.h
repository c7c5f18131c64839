// The two places `shipledger verify` reads a chain from: a node's data dir, opened read-only
// (offline, works beside a running node), and a node's GetBlock API.
// Thread-safety: used by one thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/client.h"
#include "cli/verifier.h"
#include "storage/store.h"

namespace shipledger::cli {

class StoreBlockSource final : public BlockSource {
 public:
  // Opens `data_dir` read-only. FAILED_PRECONDITION when it holds another chain, NOT_FOUND
  // when it holds no store, as storage::Store::Open reports.
  static Result<std::unique_ptr<StoreBlockSource>> Open(const std::string& data_dir,
                                                        const model::Genesis& genesis);

  std::string Describe() const override { return "data dir " + data_dir_; }
  Result<SourceHead> Head() override;
  Result<v1::Block> GetBlock(uint64_t height) override;
  // The stable checkpoint certificates stored in the data dir (storage family `checkpoints`).
  Result<std::vector<v1::CheckpointCertificate>> Checkpoints(uint64_t from_height,
                                                             uint32_t limit) override;
  // The results digest recorded with block `height`.
  Result<Bytes> ResultsAt(uint64_t height) override;

 private:
  StoreBlockSource(std::string data_dir, std::unique_ptr<storage::Store> store)
      : data_dir_(std::move(data_dir)), store_(std::move(store)) {}

  std::string data_dir_;
  std::unique_ptr<storage::Store> store_;
};

class NodeBlockSource final : public BlockSource {
 public:
  explicit NodeBlockSource(NodeClient* client) : client_(client) {}

  std::string Describe() const override { return "node " + client_->target(); }
  Result<SourceHead> Head() override;
  Result<v1::Block> GetBlock(uint64_t height) override;

 private:
  NodeClient* client_;  // not owned
};

}  // namespace shipledger::cli
