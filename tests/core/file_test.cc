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

TEST(MappedFile, ViewsTheBytesOfTheFile) {
  testing::TempDir dir;
  const std::string path = dir.Sub("data.bin");
  const std::string bytes("mapped\0bytes\xFF", 13);
  ASSERT_TRUE(WriteFileAtomic(path, bytes).ok());
  Result<MappedFile> mapped = MappedFile::Open(path);
  ASSERT_TRUE(mapped.ok()) << mapped.status().ToString();
  EXPECT_EQ(mapped->bytes(), bytes);
  // Moving keeps the mapping alive in the new owner.
  MappedFile moved = std::move(mapped).value();
  EXPECT_EQ(moved.bytes(), bytes);
}

TEST(MappedFile, MapsAnEmptyFileToAnEmptyView) {
  testing::TempDir dir;
  const std::string path = dir.Sub("empty");
  ASSERT_TRUE(WriteFileAtomic(path, "").ok());
  const Result<MappedFile> mapped = MappedFile::Open(path);
  ASSERT_TRUE(mapped.ok()) << mapped.status().ToString();
  EXPECT_TRUE(mapped->bytes().empty());
}

TEST(MappedFile, FailsLikeReadFile) {
  testing::TempDir dir;
  const std::string missing = dir.Sub("missing.txt");
  const Result<MappedFile> absent = MappedFile::Open(missing);
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.status().code(), StatusCode::kIOError);
  EXPECT_THAT(absent.status().message(), HasSubstr(missing));

  const std::string big = dir.Sub("big.txt");
  ASSERT_TRUE(WriteFileAtomic(big, "0123456789").ok());
  const Result<MappedFile> over = MappedFile::Open(big, 9);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), StatusCode::kLimitExceeded);
  EXPECT_THAT(over.status().message(), HasSubstr(big));
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
