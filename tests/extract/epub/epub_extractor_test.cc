// Tests for the EPUB extractor (src/extract/epub/epub_extractor.cc).
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/registry.h"
#include "tests/extract/common/fixture.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using testing::HostileDoc;
using testing::RecordingSink;

Result<Extraction> ExtractEpub(const std::string& bytes) {
  RecordingSink sink;
  return testing::ExtractBytes(*internal::NewEpubExtractor(), bytes, "book.epub",
                               "application/epub+zip", sink);
}

TEST(EpubExtractor, ReadsChaptersInSpineOrderAndDublinCoreMetadata) {
  const std::string bytes = HostileDoc("tika/testEPUB.epub");
  EXPECT_EQ(DetectMediaType(bytes, "testEPUB.epub"), "application/epub+zip");
  EXPECT_EQ(TypeFamily("application/epub+zip"), "ebook");
  Result<Extraction> result = ExtractEpub(bytes);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "An ePub  for Tika");
  EXPECT_EQ(result->author, "Bart Hanssens");
  EXPECT_EQ(result->date, 1254873600);  // 2009-10-07
  EXPECT_THAT(result->metadata,
              Contains(std::pair<std::string, std::string>("publisher", "Apache")));
  const std::size_t one = result->text.find("This is the text for chapter One");
  const std::size_t two = result->text.find("This is the text for chapter Two");
  ASSERT_NE(one, std::string::npos);
  ASSERT_NE(two, std::string::npos);
  EXPECT_LT(one, two);
  EXPECT_EQ(result->page_count, 3);  // table of contents and two chapters
}

TEST(EpubExtractor, RejectsDamagedZip) {
  const std::string bytes = HostileDoc("tika/testEPUB.epub");
  Result<Extraction> result = ExtractEpub(bytes.substr(0, bytes.size() / 2));
  EXPECT_FALSE(result.ok());
  EXPECT_FALSE(ExtractEpub("not a zip").ok());
}

}  // namespace
}  // namespace trove::extract
