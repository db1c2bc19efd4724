#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "core/text.h"
#include "extract/internal/builtin.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract {
namespace {

using testing::RecordingSink;

std::string MetadataValue(const Extraction& extraction, std::string_view key) {
  for (const auto& [name, value] : extraction.metadata) {
    if (name == key) return value;
  }
  return "<absent>";
}

TEST(TextExtractor, AcceptsTextTypesNotClaimedElsewhere) {
  std::unique_ptr<Extractor> extractor = internal::NewTextExtractor();
  EXPECT_EQ(extractor->Name(), "text");
  EXPECT_TRUE(extractor->Accepts("text/plain"));
  EXPECT_TRUE(extractor->Accepts("text/plain; charset=utf-8"));
  EXPECT_TRUE(extractor->Accepts("text/x-python"));
  EXPECT_TRUE(extractor->Accepts("application/json"));
  EXPECT_TRUE(extractor->Accepts("application/xml"));
  EXPECT_TRUE(extractor->Accepts("text/xml"));
  EXPECT_TRUE(extractor->Accepts("application/atom+xml"));
  EXPECT_FALSE(extractor->Accepts("text/html"));
  EXPECT_FALSE(extractor->Accepts("text/csv"));
  EXPECT_FALSE(extractor->Accepts("text/rtf"));
  EXPECT_FALSE(extractor->Accepts("application/xhtml+xml"));
  EXPECT_FALSE(extractor->Accepts("application/pdf"));
  EXPECT_FALSE(extractor->Accepts("image/svg+xml"));
}

TEST(TextExtractor, DecodesAndRecordsCharset) {
  std::unique_ptr<Extractor> extractor = internal::NewTextExtractor();
  RecordingSink sink;
  Input input;
  input.bytes =
      "Gr\xFC\xDF"
      "e aus K\xF6ln\r\nzweite Zeile";
  input.media_type = "text/plain; charset=iso-8859-1";
  Result<Extraction> extraction = extractor->Extract(input, sink);
  ASSERT_TRUE(extraction.ok()) << extraction.status().ToString();
  EXPECT_EQ(extraction->text,
            "Gr\xC3\xBC\xC3\x9F"
            "e aus K\xC3\xB6ln\nzweite Zeile");
  EXPECT_EQ(MetadataValue(*extraction, "charset"), "windows-1252");
  EXPECT_TRUE(sink.children.empty());
}

TEST(TextExtractor, HonoursXmlDeclaredEncoding) {
  std::unique_ptr<Extractor> extractor = internal::NewTextExtractor();
  RecordingSink sink;
  Input input;
  input.bytes = "<?xml version=\"1.0\" encoding='windows-1251'?><a>\xEC\xE8\xF0</a>";
  input.media_type = "application/xml";
  Result<Extraction> extraction = extractor->Extract(input, sink);
  ASSERT_TRUE(extraction.ok());
  EXPECT_EQ(extraction->text,
            "<?xml version=\"1.0\" encoding='windows-1251'?><a>\xD0\xBC\xD0\xB8\xD1\x80</a>");
  EXPECT_EQ(MetadataValue(*extraction, "charset"), "windows-1251");
}

TEST(TextExtractor, CutsTextAtLimit) {
  std::unique_ptr<Extractor> extractor = internal::NewTextExtractor();
  RecordingSink sink;
  const std::string big(1000, 'x');
  Input input;
  input.bytes = big;
  input.media_type = "text/plain";
  input.limits.max_text_bytes = 100;
  Result<Extraction> extraction = extractor->Extract(input, sink);
  ASSERT_TRUE(extraction.ok());
  EXPECT_EQ(extraction->text.size(), 100u);
  EXPECT_TRUE(extraction->is_truncated);
}

TEST(TextExtractor, ReturnsEmptyTextForEmptyInput) {
  std::unique_ptr<Extractor> extractor = internal::NewTextExtractor();
  RecordingSink sink;
  Input input;
  input.media_type = "text/plain";
  Result<Extraction> extraction = extractor->Extract(input, sink);
  ASSERT_TRUE(extraction.ok());
  EXPECT_EQ(extraction->text, "");
  EXPECT_FALSE(extraction->is_truncated);
}

TEST(TextExtractor, ProducesValidUtf8FromBinaryJunk) {
  std::unique_ptr<Extractor> extractor = internal::NewTextExtractor();
  RecordingSink sink;
  std::string junk;
  for (int idx = 0; idx < 4096; ++idx) junk += static_cast<char>((idx * 7919) % 256);
  Input input;
  input.bytes = junk;
  input.media_type = "text/plain";
  Result<Extraction> extraction = extractor->Extract(input, sink);
  ASSERT_TRUE(extraction.ok());
  EXPECT_TRUE(IsValidUtf8(extraction->text));
}

}  // namespace
}  // namespace trove::extract
