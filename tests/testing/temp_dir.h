// A fresh, empty directory under the system temp dir for tests and benchmarks that need a disk
// (RocksDB stores, network folders, config files), removed with its contents on destruction.
// Thread-safety: none needed; each instance names a directory nobody else uses.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>

namespace shipledger::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "shipledger-test") {
    static std::atomic<int> counter{0};
    std::random_device random;
    path_ = (std::filesystem::temp_directory_path() /
             (std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter++) + "-" + std::to_string(random())))
                .string();
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // The path of `rel` inside it.
  std::string operator/(std::string_view rel) const {
    return (std::filesystem::path(path_) / rel).string();
  }

 private:
  std::string path_;
};

}  // namespace shipledger::testing
