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

Extraction Extract(std::string_view bytes, std::string_view media_type = "text/csv") {
  std::unique_ptr<Extractor> extractor = internal::NewCsvExtractor();
  RecordingSink sink;
  Input input;
  input.bytes = bytes;
  input.media_type = media_type;
  Result<Extraction> extraction = extractor->Extract(input, sink);
  EXPECT_TRUE(extraction.ok()) << extraction.status().ToString();
  return extraction.ok() ? std::move(extraction).value() : Extraction{};
}

TEST(CsvExtractor, AcceptsCsvAndTsv) {
  std::unique_ptr<Extractor> extractor = internal::NewCsvExtractor();
  EXPECT_EQ(extractor->Name(), "csv");
  EXPECT_TRUE(extractor->Accepts("text/csv"));
  EXPECT_TRUE(extractor->Accepts("text/csv; charset=utf-8"));
  EXPECT_TRUE(extractor->Accepts("text/tab-separated-values"));
  EXPECT_FALSE(extractor->Accepts("text/plain"));
}

TEST(CsvExtractor, WritesRowsAsTabSeparatedLines) {
  const Extraction extraction = Extract("name,city\nAlice,Paris\nBob,Berlin\n");
  EXPECT_EQ(extraction.text, "name\tcity\nAlice\tParis\nBob\tBerlin\n");
  EXPECT_EQ(MetadataValue(extraction, "columns"), "name, city");
  EXPECT_EQ(MetadataValue(extraction, "rows"), "2");
}

TEST(CsvExtractor, ParsesQuotedFields) {
  const Extraction extraction = Extract(
      "id,quote\r\n1,\"Hello, \"\"world\"\"\"\r\n2,\"two\nlines\"\r\n3,plain \"inner\" quote");
  EXPECT_EQ(extraction.text,
            "id\tquote\n1\tHello, \"world\"\n2\ttwo lines\n3\tplain \"inner\" quote\n");
  EXPECT_EQ(MetadataValue(extraction, "rows"), "3");
}

TEST(CsvExtractor, SniffsSemicolonDelimiter) {
  const Extraction extraction = Extract("Name;Betrag;Datum\nM\xC3\xBCller;1,50;2020-01-02\n");
  EXPECT_EQ(extraction.text, "Name\tBetrag\tDatum\nM\xC3\xBCller\t1,50\t2020-01-02\n");
  EXPECT_EQ(MetadataValue(extraction, "columns"), "Name, Betrag, Datum");
}

TEST(CsvExtractor, ReadsTsvByMediaType) {
  const Extraction extraction = Extract("a\tb,c\n1\t2,3\n", "text/tab-separated-values");
  EXPECT_EQ(extraction.text, "a\tb,c\n1\t2,3\n");
  EXPECT_EQ(MetadataValue(extraction, "columns"), "a, b,c");
}

TEST(CsvExtractor, SkipsBlankLinesAndSurvivesUnterminatedQuote) {
  const Extraction extraction = Extract("h1,h2\n\n\nx,\"never closed\nmore");
  EXPECT_EQ(MetadataValue(extraction, "rows"), "1");
  EXPECT_EQ(extraction.text, "h1\th2\nx\tnever closed more\n");
}

TEST(CsvExtractor, SkipsRowsOfEmptyCellsAndTrailingEmptyColumns) {
  const Extraction extraction = Extract("Title,,\n,,\n,a,b\n , ,\n,c,d\n");
  EXPECT_EQ(MetadataValue(extraction, "columns"), "Title");
  EXPECT_EQ(MetadataValue(extraction, "rows"), "2");
  EXPECT_EQ(extraction.text, "Title\t\t\n\ta\tb\n\tc\td\n");
}

TEST(CsvExtractor, HandlesEmptyInput) {
  const Extraction extraction = Extract("");
  EXPECT_EQ(extraction.text, "");
  EXPECT_EQ(MetadataValue(extraction, "rows"), "0");
  EXPECT_EQ(MetadataValue(extraction, "columns"), "<absent>");
}

}  // namespace
}  // namespace trove::extract
