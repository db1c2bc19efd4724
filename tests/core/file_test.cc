#include "core/file.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace trove {
namespace {

using ::testing::HasSubstr;

TEST(ReadFile, ReturnsIOErrorNamingAMissingPath) {
  testing::TempDir dir;
  const std::string path = dir.Sub("missing.txt");
  const Result<std::string> result = ReadFile(path);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kIOError);
  EXPECT_THAT(result.status().message(), HasSubstr(path));
}

TEST(WriteFileAtomic, WritesBytesThatReadFileReturns) {
  testing::TempDir dir;
  const std::string path = dir.Sub("data.bin");
  const std::string bytes("binary\0data\xFF", 12);
  ASSERT_TRUE(WriteFileAtomic(path, bytes).ok());
  const Result<std::string> read = ReadFile(path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, bytes);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(WriteFileAtomic, ReplacesAnExistingFile) {
  testing::TempDir dir;
  const std::string path = dir.Sub("f.txt");
  ASSERT_TRUE(WriteFileAtomic(path, "a much longer first version").ok());
  ASSERT_TRUE(WriteFileAtomic(path, "short").ok());
  EXPECT_EQ(*ReadFile(path), "short");
}

TEST(WriteFileAtomic, ReturnsIOErrorInAMissingDirectory) {
  testing::TempDir dir;
  const Status status = WriteFileAtomic(dir.Sub("no/such/dir/f.txt"), "x");
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_THAT(status.message(), HasSubstr("no/such/dir"));
}

TEST(ReadFile, ReturnsLimitExceededForAFileOverTheLimit) {
  testing::TempDir dir;
  const std::string path = dir.Sub("big.txt");
  ASSERT_TRUE(WriteFileAtomic(path, "0123456789").ok());
  EXPECT_TRUE(ReadFile(path, 10).ok());
  const Result<std::string> result = ReadFile(path, 9);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded);
  EXPECT_THAT(result.status().message(), HasSubstr(path));
}

TEST(ReadFile, ReadsAnEmptyFile) {
  testing::TempDir dir;
  const std::string path = dir.Sub("empty");
  ASSERT_TRUE(WriteFileAtomic(path, "").ok());
  const Result<std::string> read = ReadFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, "");
}

}  // namespace
}  // namespace trove
