// The index's internal pieces whose contracts the public API relies on.
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/hash.h"
#include "core/text.h"
#include "index/internal/minhash.h"
#include "index/internal/occurrences.h"
#include "index/internal/schema.h"
#include "index/internal/shards.h"
#include "index/internal/stored.h"

namespace trove::index::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The opening of the seed article of the sample dump, and two edits of it.
constexpr char kArticle[] =
    "The leaked documents show that the ministry knew of the contracts two years before the "
    "inquiry began, and that officials in three departments discussed how to keep them from "
    "the auditors. None of the officials named in the documents answered our questions.";

TEST(MinHash, SimilarityFollowsTheSharedWording) {
  const auto original = MinHashOf(kArticle);
  ASSERT_TRUE(original.has_value());
  EXPECT_EQ(Similarity(*original, *MinHashOf(kArticle)), 1.0);
  // Case, accents and spacing are folded away.
  std::string shouted = kArticle;
  for (char& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(Similarity(*original, *MinHashOf("  " + shouted + "\n")), 1.0);
  // One sentence of three replaced: a near-duplicate, but not an identical one.
  const auto edited = MinHashOf(
      "The leaked documents show that the ministry knew of the contracts two years before the "
      "inquiry began, and that officials in three departments discussed how to keep them from "
      "the auditors. The ministry declined to comment on any of it when we asked.");
  const double similarity = Similarity(*original, *edited);
  EXPECT_GT(similarity, 0.4);
  EXPECT_LT(similarity, 0.95);
  const auto unrelated = MinHashOf(
      "Shares in the mining group fell sharply on Monday after the company warned that output "
      "at its largest copper mine would fall for a second year because of flooding.");
  EXPECT_LT(Similarity(*original, *unrelated), 0.1);
  // Near-duplicates share an LSH band; unrelated texts do not.
  const auto a = BandKeys(*original), b = BandKeys(*MinHashOf(shouted)), c = BandKeys(*unrelated);
  EXPECT_EQ(a, b);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NE(a[i], c[i]);
}

TEST(MinHash, ShortTextsHaveNoSignatureAndSignaturesRoundTrip) {
  EXPECT_FALSE(MinHashOf("Thanks, see you Monday.").has_value());
  const auto signature = MinHashOf(kArticle);
  ASSERT_TRUE(signature.has_value());
  const std::string bytes = EncodeSignature(*signature);
  EXPECT_EQ(bytes.size(), static_cast<std::size_t>(kMinHashes) * 4);
  EXPECT_EQ(DecodeSignature(bytes), signature);
  EXPECT_FALSE(DecodeSignature(bytes.substr(1)).has_value());
}

TEST(Occurrences, RoundTripThroughTheSlotEncoding) {
  const std::vector<Occurrence> occurrences = {{"k1", "a.zip!/b.txt", "p1"}, {"k2", "c/b.txt", ""}};
  EXPECT_EQ(DecodeOccurrences(EncodeOccurrences(occurrences)), occurrences);
  EXPECT_THAT(DecodeOccurrences(EncodeOccurrences({})), IsEmpty());
}

TEST(Occurrences, DecodeAnUnreadableSlotAsNone) {
  EXPECT_THAT(DecodeOccurrences(""), IsEmpty());
  EXPECT_THAT(DecodeOccurrences("\xFF\xFF garbage"), IsEmpty());
  const std::string bytes = EncodeOccurrences({{"k1", "path", "p"}});
  EXPECT_THAT(DecodeOccurrences(std::string_view(bytes).substr(0, bytes.size() - 1)), IsEmpty());
}

TEST(StoredRecord, RoundTripsThroughCompression) {
  DocumentRecord record;
  record.id = ContentHash("x");
  record.extraction.text = std::string(10000, 'a') + " text that compresses";
  record.extraction.title = "Titre";
  const std::string data = CompressRecord(record);
  EXPECT_LT(data.size(), record.extraction.text.size() / 10);
  const Result<DocumentRecord> back = DecompressRecord(data);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->id, record.id);
  EXPECT_EQ(back->extraction.text, record.extraction.text);
  EXPECT_EQ(back->extraction.title, "Titre");
}

TEST(StoredRecord, DecompressingGarbageIsCorrupt) {
  EXPECT_EQ(DecompressRecord("").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(DecompressRecord("not zstd at all").status().code(), StatusCode::kCorrupt);
  DocumentRecord record;
  record.extraction.text = "some text";
  const std::string data = CompressRecord(record);
  EXPECT_EQ(DecompressRecord(std::string_view(data).substr(0, data.size() - 3)).status().code(),
            StatusCode::kCorrupt);
}

TEST(Shards, ShardForIsStableAndInRange) {
  const std::string id = ContentHash("doc");
  for (std::size_t count = 1; count <= 8; ++count) {
    const std::size_t shard = ShardFor(id, count);
    EXPECT_LT(shard, count);
    EXPECT_EQ(ShardFor(id, count), shard);
  }
  EXPECT_EQ(ShardFor(id, 0), 0u);
  EXPECT_EQ(ShardFor("", 4), 0u);
}

TEST(Shards, ShardForSpreadsContentHashesEvenly) {
  constexpr std::size_t kShards = 4;
  std::vector<int> counts(kShards, 0);
  for (int i = 0; i < 4000; ++i) ++counts[ShardFor(ContentHash(std::to_string(i)), kShards)];
  for (const int count : counts) EXPECT_NEAR(count, 1000, 150);
}

TEST(Shards, ShardPathsAreNumberedFromZero) {
  EXPECT_EQ(ShardPath("/c/index", 0), "/c/index/shard-0");
  EXPECT_EQ(ShardPath("/c/index", 12), "/c/index/shard-12");
  EXPECT_THAT(ListShards("/definitely/not/here"), IsEmpty());
}

TEST(ClampTerm, KeepsShortTermsAndCutsLongOnesAtACharacterBoundary) {
  EXPECT_EQ(ClampTerm("XFshort"), "XFshort");
  const std::string exact(240, 'a');
  EXPECT_EQ(ClampTerm(exact), exact);
  std::string accented = "XI";
  for (int i = 0; i < 200; ++i) accented += "é";  // 2 bytes each
  const std::string clamped = ClampTerm(accented);
  EXPECT_LE(clamped.size(), 240u);
  EXPECT_GE(clamped.size(), 239u);
  EXPECT_TRUE(IsValidUtf8(clamped));
  EXPECT_EQ(accented.compare(0, clamped.size(), clamped), 0);
}

}  // namespace
}  // namespace trove::index::internal
