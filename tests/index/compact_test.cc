// CompactIndex rewrites the shards in place; a crash at any step of the move leaves an index
// that the next writer puts back in order (index/internal/shards.h).
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include "core/hash.h"
#include "index/index.h"
#include "index/index_fixture.h"
#include "index/internal/shards.h"

namespace trove::index {
namespace {

namespace fs = std::filesystem;
using test_util::Doc;
using test_util::Word;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;

class CompactTest : public test_util::IndexTest {
 protected:
  // 300 documents over two shards, committed in ten batches (an index written bit by bit).
  void SetUp() override {
    std::unique_ptr<Writer> writer = OpenWriter(/*shard_count=*/2);
    ASSERT_NE(writer, nullptr);
    for (int i = 0; i < 300; ++i) {
      const std::string name = "memo" + std::to_string(i);
      names_.push_back(name);
      Add(*writer, Doc(name, "the quarterly memo number " + std::to_string(i) +
                                 (i % 3 == 0 ? " mentions the pipeline" : " says nothing")));
      if (i % 30 == 29) ASSERT_TRUE(writer->Commit().ok());
    }
  }

  std::string Shard(int n) const { return internal::ShardPath(IndexDir(), n); }

  std::vector<std::string> names_;
};

TEST_F(CompactTest, KeepsEveryDocumentAndShrinksTheIndex) {
  const std::vector<std::string> pipeline_before = Find(Word("pipeline"));
  ASSERT_EQ(pipeline_before.size(), 100u);
  const Result<CompactResult> result = CompactIndex(IndexDir());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->shards, 2);
  EXPECT_LT(result->bytes_after, result->bytes_before);
  for (const char* suffix : {".compacting", ".compacted", ".old"}) {
    EXPECT_FALSE(fs::exists(Shard(0) + suffix)) << suffix;
    EXPECT_FALSE(fs::exists(Shard(1) + suffix)) << suffix;
  }
  EXPECT_THAT(Find(Word("pipeline")), UnorderedElementsAreArray(pipeline_before));
  EXPECT_EQ(Find(Word("quarterly")).size(), 100u);  // Find reads the first 100
  std::unique_ptr<Reader> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->Stats()->documents, 300u);
  // A writer goes on where the compacted index left off: an existing id is found, not added.
  std::unique_ptr<Writer> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  EXPECT_EQ(writer->shard_count(), 2);
  EXPECT_TRUE(*writer->Contains(ContentHash("memo7")));
  Add(*writer, Doc("memo7", "the quarterly memo number 7 says nothing"));
  Add(*writer, Doc("memo300", "a new memo on the pipeline"));
  ASSERT_TRUE(writer->Commit().ok());
  writer.reset();
  EXPECT_EQ(OpenReader()->Stats()->documents, 301u);
}

TEST_F(CompactTest, RefusedWhileAWriterHoldsTheCollection) {
  std::unique_ptr<Writer> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  const Result<CompactResult> result = CompactIndex(IndexDir());
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("writing this collection"));
  EXPECT_TRUE(fs::is_directory(Shard(0)));
  EXPECT_FALSE(fs::exists(Shard(0) + ".compacting"));
}

TEST_F(CompactTest, AWriterWaitsForNoCompactionToOpen) {
  Result<internal::LayoutLock> compacting = internal::LayoutLock::Acquire(IndexDir());
  ASSERT_TRUE(compacting.ok()) << compacting.status().ToString();
  const Result<std::unique_ptr<Writer>> writer = Writer::Open(IndexDir());
  ASSERT_FALSE(writer.ok());
  EXPECT_THAT(writer.status().message(), HasSubstr("busy"));
}

TEST_F(CompactTest, CrashBeforeTheCopyWasCompleteKeepsTheShard) {
  fs::create_directories(Shard(0) + ".compacting");
  std::ofstream(Shard(0) + ".compacting/postlist.glass") << "half written";
  EXPECT_EQ(OpenReader()->Stats()->documents, 300u);
  ASSERT_NE(OpenWriter(), nullptr);  // recovers
  EXPECT_FALSE(fs::exists(Shard(0) + ".compacting"));
  EXPECT_EQ(OpenReader()->Stats()->documents, 300u);
}

TEST_F(CompactTest, CrashBetweenTheRenamesUsesTheCompactedCopy) {
  // The compacted copy is complete and the old shard already moved aside.
  Xapian::Database(Shard(1)).compact(Shard(1) + ".compacted", Xapian::DBCOMPACT_NO_RENUMBER);
  fs::rename(Shard(1), Shard(1) + ".old");
  // A reader meanwhile finds the shard under its passing name.
  EXPECT_EQ(OpenReader()->Stats()->documents, 300u);
  ASSERT_NE(OpenWriter(), nullptr);
  EXPECT_TRUE(fs::is_directory(Shard(1)));
  EXPECT_FALSE(fs::exists(Shard(1) + ".compacted"));
  EXPECT_FALSE(fs::exists(Shard(1) + ".old"));
  EXPECT_EQ(OpenReader()->Stats()->documents, 300u);
  EXPECT_EQ(Find(Word("pipeline")).size(), 100u);
}

TEST_F(CompactTest, CrashAfterTheCopyButBeforeTheMoveKeepsOneShard) {
  Xapian::Database(Shard(0)).compact(Shard(0) + ".compacted", Xapian::DBCOMPACT_NO_RENUMBER);
  ASSERT_NE(OpenWriter(), nullptr);
  EXPECT_TRUE(fs::is_directory(Shard(0)));
  EXPECT_FALSE(fs::exists(Shard(0) + ".compacted"));
  EXPECT_EQ(OpenReader()->Stats()->documents, 300u);
}

TEST_F(CompactTest, NoIndexIsNotFound) {
  const Result<CompactResult> result = CompactIndex(IndexDir() + "-missing");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace trove::index
