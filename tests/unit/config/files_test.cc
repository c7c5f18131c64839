#include "config/files.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "config_test_support.h"

namespace shipledger::config::internal {
namespace {

using config::testing::FileMode;
using config::testing::TempDir;

TEST(Files, WriteFileAtomicCreatesFoldersAndSetsMode) {
  TempDir dir;
  const std::string path = dir / "a/b/key.pem";
  ASSERT_TRUE(WriteFileAtomic(path, "secret", kPrivateFileMode).ok());
  EXPECT_EQ(config::testing::ReadText(path), "secret");
  EXPECT_EQ(FileMode(path), 0600u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(Files, WriteFileAtomicReplacesContentsAndMode) {
  TempDir dir;
  const std::string path = dir / "f";
  ASSERT_TRUE(WriteFileAtomic(path, "a much longer first version", kPrivateFileMode).ok());
  ASSERT_TRUE(WriteFileAtomic(path, "v2", kPublicFileMode).ok());
  EXPECT_EQ(config::testing::ReadText(path), "v2");
  EXPECT_EQ(FileMode(path), 0644u);
}

TEST(Files, ReadWholeFileReportsMissingFile) {
  TempDir dir;
  EXPECT_EQ(ReadWholeFile(dir / "absent").status().code(), Code::kNotFound);
  EXPECT_EQ(ReadWholeFile(dir.path()).status().code(), Code::kInternal);
  ASSERT_TRUE(WriteFileAtomic(dir / "empty", "", kPublicFileMode).ok());
  auto empty = ReadWholeFile(dir / "empty");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST(Files, PathExists) {
  TempDir dir;
  EXPECT_TRUE(PathExists(dir.path()));
  EXPECT_FALSE(PathExists(dir / "nothing"));
}

}  // namespace
}  // namespace shipledger::config::internal
