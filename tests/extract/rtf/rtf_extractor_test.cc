#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "extract/internal/builtin.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract {
namespace {

using testing::RecordingSink;

TEST(RtfExtractor, AcceptsRtfTypes) {
  std::unique_ptr<Extractor> extractor = internal::NewRtfExtractor();
  EXPECT_EQ(extractor->Name(), "rtf");
  EXPECT_TRUE(extractor->Accepts("text/rtf"));
  EXPECT_TRUE(extractor->Accepts("application/rtf"));
  EXPECT_FALSE(extractor->Accepts("text/plain"));
}

TEST(RtfExtractor, FillsExtraction) {
  std::unique_ptr<Extractor> extractor = internal::NewRtfExtractor();
  RecordingSink sink;
  Input input;
  input.bytes = "{\\rtf1\\ansi{\\info{\\title T}{\\author A}}Hello\\par World}";
  input.media_type = "application/rtf";
  Result<Extraction> extraction = extractor->Extract(input, sink);
  ASSERT_TRUE(extraction.ok()) << extraction.status().ToString();
  EXPECT_EQ(extraction->text, "Hello\nWorld");
  EXPECT_EQ(extraction->title, "T");
  EXPECT_EQ(extraction->author, "A");
}

TEST(RtfExtractor, ReturnsCorruptForNonRtf) {
  std::unique_ptr<Extractor> extractor = internal::NewRtfExtractor();
  RecordingSink sink;
  Input input;
  input.bytes = "not rtf";
  Result<Extraction> extraction = extractor->Extract(input, sink);
  ASSERT_FALSE(extraction.ok());
  EXPECT_EQ(extraction.status().code(), StatusCode::kCorrupt);
}

}  // namespace
}  // namespace trove::extract
