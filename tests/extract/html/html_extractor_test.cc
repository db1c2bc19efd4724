#include <memory>
#include <string>

#include <gtest/gtest.h>

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

Result<Extraction> Extract(std::string_view bytes, std::string_view media_type = "text/html") {
  std::unique_ptr<Extractor> extractor = internal::NewHtmlExtractor();
  RecordingSink sink;
  Input input;
  input.bytes = bytes;
  input.media_type = media_type;
  return extractor->Extract(input, sink);
}

TEST(HtmlExtractor, AcceptsHtmlAndXhtml) {
  std::unique_ptr<Extractor> extractor = internal::NewHtmlExtractor();
  EXPECT_EQ(extractor->Name(), "html");
  EXPECT_TRUE(extractor->Accepts("text/html"));
  EXPECT_TRUE(extractor->Accepts("application/xhtml+xml"));
  EXPECT_FALSE(extractor->Accepts("text/plain"));
}

TEST(HtmlExtractor, RespectsDeclaredCharset) {
  Result<Extraction> extraction = Extract(
      "<html><head><meta charset=\"windows-1251\"><title>\xCF\xF0\xE8\xE2\xE5\xF2</title></head>"
      "<body><p>\xEC\xE8\xF0</p></body></html>");
  ASSERT_TRUE(extraction.ok()) << extraction.status().ToString();
  EXPECT_EQ(extraction->title, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");  // Привет
  EXPECT_EQ(extraction->text, "\xD0\xBC\xD0\xB8\xD1\x80");                           // мир
  EXPECT_EQ(MetadataValue(*extraction, "charset"), "windows-1251");
}

TEST(HtmlExtractor, ContentTypeCharsetWinsOverMeta) {
  Result<Extraction> extraction =
      Extract("<meta charset=utf-8><p>caf\xE9</p>", "text/html; charset=iso-8859-1");
  ASSERT_TRUE(extraction.ok());
  EXPECT_EQ(extraction->text, "caf\xC3\xA9");
}

TEST(HtmlExtractor, FallsBackToDetectionForUnknownCharset) {
  Result<Extraction> extraction = Extract("<meta charset=x-bogus><p>plain words</p>");
  ASSERT_TRUE(extraction.ok());
  EXPECT_EQ(extraction->text, "plain words");
}

TEST(HtmlExtractor, FillsTitleAuthorAndDescription) {
  Result<Extraction> extraction = Extract(
      "<title>T</title><meta name=description content=\"About it\"><meta name=author content=A>"
      "<p>body</p>");
  ASSERT_TRUE(extraction.ok());
  EXPECT_EQ(extraction->title, "T");
  EXPECT_EQ(extraction->author, "A");
  EXPECT_EQ(MetadataValue(*extraction, "description"), "About it");
  EXPECT_EQ(extraction->text, "body");
}

TEST(HtmlExtractor, AcceptsEmptyInput) {
  Result<Extraction> extraction = Extract("");
  ASSERT_TRUE(extraction.ok());
  EXPECT_EQ(extraction->text, "");
}

}  // namespace
}  // namespace trove::extract
