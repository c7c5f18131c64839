// Test helpers for config/: files, and small CA / node certificate sets
// built in memory (faster and more flexible than a full network init).
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "crypto/ecdsa.h"
#include "crypto/x509.h"
#include "testing/temp_dir.h"

namespace shipledger::config::testing {

// 2026-01-01T00:00:00Z: the fixed "now" of these tests.
inline constexpr int64_t kNowMs = 1767225600000;
inline constexpr int64_t kYearMs = 365LL * 24 * 3600 * 1000;

using shipledger::testing::TempDir;

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void WriteText(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

inline mode_t FileMode(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

// An organisation CA held in memory.
struct TestCa {
  crypto::PrivateKey key;
  crypto::Certificate cert;
};

inline crypto::IssueOptions Options(crypto::CertKind kind, const std::string& org,
                                    const std::string& cn) {
  crypto::IssueOptions o;
  o.kind = kind;
  o.organization = org;
  o.common_name = cn;
  o.not_before_ms = kNowMs;
  o.not_after_ms = kNowMs + kYearMs;
  o.serial = 42;
  return o;
}

inline TestCa MakeCa(const std::string& org) {
  crypto::PrivateKey key = crypto::PrivateKey::Generate().value();
  crypto::Certificate cert =
      crypto::IssueCaCertificate(key, Options(crypto::CertKind::kCa, org, org + " CA")).value();
  return {std::move(key), std::move(cert)};
}

// A certificate for a fresh key, signed by `ca`, with subject O = `org`.
inline crypto::Certificate Issue(const TestCa& ca, crypto::CertKind kind, const std::string& org,
                                 const std::string& cn) {
  const crypto::PrivateKey key = crypto::PrivateKey::Generate().value();
  return crypto::IssueCertificate(ca.cert, ca.key, key.public_key(), Options(kind, org, cn))
      .value();
}

}  // namespace shipledger::config::testing
