// Tests for the Word/Excel/PowerPoint 97-2003 extractor (src/extract/legacy/) on real files from
// the shared corpus (../shared/data/hostile-docs). Word and Excel text comes from antiword,
// catdoc and xls2csv (Debian packages antiword and catdoc).
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/legacy/helper_program.h"
#include "extract/registry.h"
#include "tests/extract/common/extract_tree.h"
#include "tests/extract/common/fixture.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract {
namespace {

using testing::ChildText;
using ::testing::Contains;
using ::testing::ElementsAre;
using testing::ExtractedNode;
using testing::ExtractTree;
using ::testing::HasSubstr;
using testing::HostileDoc;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::RecordingSink;

// Detects the fixture's type as the pipeline does and extracts it with the registered extractor.
Result<Extraction> ExtractFixture(const std::string& relative, std::string* type = nullptr) {
  const std::string bytes = HostileDoc(relative);
  const std::string name = relative.substr(relative.rfind('/') + 1);
  const std::string media_type = DetectMediaType(bytes, name);
  if (type != nullptr) *type = media_type;
  const auto registry = Registry::CreateDefault();
  const Extractor* extractor = registry->Find(media_type);
  if (extractor == nullptr) return Status::Unsupported("no extractor for " + media_type);
  RecordingSink sink;
  Input input;
  input.bytes = bytes;
  input.name = name;
  input.media_type = media_type;
  return extractor->Extract(input, sink);
}

TEST(LegacyOfficeExtractor, ReadsWordTextAndSummaryMetadata) {
  std::string type;
  Result<Extraction> result = ExtractFixture("tika/testWORD.doc", &type);
  EXPECT_EQ(type, "application/msword");
  EXPECT_EQ(TypeFamily(type), "word");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->text, HasSubstr("This is a sample Microsoft Word Document."));
  EXPECT_EQ(result->title, "Sample Word Document");
  EXPECT_EQ(result->author, "Keith Bennett");
  EXPECT_TRUE(result->date.has_value());
}

TEST(LegacyOfficeExtractor, FallsBackToCatdocForWord6) {
  Result<Extraction> result = ExtractFixture("tika/testWORD6.doc");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->text, HasSubstr("The quick brown fox jumps over the lazy dog"));
}

TEST(LegacyOfficeExtractor, ReadsMetadataOfWordFileWithOnlyPictures) {
  Result<Extraction> result = ExtractFixture("tika/Doc1_ole.doc");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->author, "pavel");
  EXPECT_THAT(result->metadata,
              Contains(std::pair<std::string, std::string>("company", "Jet Infosystem")));
}

TEST(LegacyOfficeExtractor, ReadsExcelCellsAsTabSeparatedText) {
  std::string type;
  Result<Extraction> result = ExtractFixture("ingest-file/rom.xls", &type);
  EXPECT_EQ(TypeFamily(type), "spreadsheet");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->text, HasSubstr("Penetenciarul 11 Bălţi\tLukoil Moldova"));
  EXPECT_THAT(result->text, Not(HasSubstr("\"Tip procedură\"")));  // CSV quoting undone

  result = ExtractFixture("tika/testEXCEL.xls");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->text, HasSubstr("Sample Excel Worksheet - Numbers and their Squares"));
  EXPECT_THAT(result->text, HasSubstr("\t15\t225"));
  EXPECT_EQ(result->title, "Simple Excel document");
}

TEST(LegacyOfficeExtractor, ReadsPowerPointTextWithoutMasterBoilerplate) {
  std::string type;
  Result<Extraction> result = ExtractFixture("tika/testComment.ppt", &type);
  EXPECT_EQ(TypeFamily(type), "presentation");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->text, HasSubstr("Here is some text"));
  EXPECT_THAT(result->text, Not(HasSubstr("Click to edit Master")));
  EXPECT_THAT(result->text, Not(HasSubstr("___PPT")));

  result = ExtractFixture("ingest-file/slides.ppt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "Now");
  EXPECT_THAT(result->text, HasSubstr("Now"));

  result = ExtractFixture("tika/testPPT.ppt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->text, HasSubstr("Created with Microsoft"));
}

TEST(LegacyOfficeExtractor, PasswordProtectedFilesFailWithAReasonNamingTheFile) {
  for (const char* relative :
       {"ingest-file/password_protected.xls", "tika/testWORD_protected_passtika.doc",
        "tika/testPPT_protected_passtika.ppt", "tika/testEXCEL_protected_passtika.xls"}) {
    Result<Extraction> result = ExtractFixture(relative);
    ASSERT_FALSE(result.ok()) << relative;
    EXPECT_TRUE(result.status().Is(StatusCode::kUnsupported)) << result.status().ToString();
    const std::string name = std::string(relative).substr(std::string(relative).rfind('/') + 1);
    EXPECT_THAT(result.status().message(), HasSubstr(name));
    EXPECT_THAT(result.status().message(), HasSubstr("password-protected"));
  }
}

TEST(LegacyOfficeExtractor, SurvivesTruncatedAndDamagedFiles) {
  const auto extractor = internal::NewLegacyOfficeExtractor();
  for (const char* type :
       {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}) {
    const std::string bytes =
        HostileDoc(std::string(type) == "application/msword"         ? "tika/testWORD.doc"
                   : std::string(type) == "application/vnd.ms-excel" ? "tika/testEXCEL.xls"
                                                                     : "tika/testPPT.ppt");
    std::mt19937 random(3);
    for (std::size_t size : {0ul, 100ul, bytes.size() / 2}) {
      RecordingSink sink;
      Input input;
      std::string damaged = bytes.substr(0, size);
      for (int flip = 0; flip < 50 && !damaged.empty(); ++flip) {
        damaged[random() % damaged.size()] = static_cast<char>(random());
      }
      input.bytes = damaged;
      input.name = "damaged";
      input.media_type = type;
      (void)extractor->Extract(input, sink);  // any status; no crash or hang
    }
  }
}

// The fixture and its embedded objects, extracted two levels down as an ingest would.
ExtractedNode Tree(const std::string& relative) {
  return ExtractTree(HostileDoc(relative), relative.substr(relative.rfind('/') + 1), "", 2);
}

TEST(LegacyOfficeExtractor, WordObjectPoolStoragesBecomeChildDocuments) {
  const ExtractedNode memo = Tree("tika/testWORD_embeded.doc");
  ASSERT_TRUE(memo.status.ok()) << memo.status.ToString();
  // An Excel and a PowerPoint storage copied out as compound files; a Package stream (docx).
  ASSERT_THAT(memo.ChildNames(),
              ElementsAre("ObjectPool/_1345470949.xls", "ObjectPool/_1345471034.docx",
                          "ObjectPool/_1345471035.ppt"));
  EXPECT_EQ(memo.children[0].media_type, "application/vnd.ms-excel");
  EXPECT_EQ(memo.children[2].media_type, "application/vnd.ms-powerpoint");
  EXPECT_THAT(ChildText(memo, "ObjectPool/_1345470949.xls"), HasSubstr("The\tquick\tbrown\tfox"));
  EXPECT_THAT(ChildText(memo, "ObjectPool/_1345471034.docx"),
              HasSubstr("The Alfresco logo is above this"));
  EXPECT_THAT(ChildText(memo, "ObjectPool/_1345471035.ppt"),
              HasSubstr("The quick brown fox jumps over the lazy dog"));
  EXPECT_THAT(memo.failures, IsEmpty());

  const ExtractedNode pdf_memo = Tree("tika/testWORD_embedded_pdf.doc");
  ASSERT_THAT(pdf_memo.ChildNames(), ElementsAre("ObjectPool/_1402837031.pdf"));
  EXPECT_THAT(ChildText(pdf_memo, "ObjectPool/_1402837031.pdf"), HasSubstr("Wer wjelrwoierj"));
}

TEST(LegacyOfficeExtractor, ExcelMbdStoragesBecomeChildDocuments) {
  const ExtractedNode book = Tree("tika/testEXCEL_embeded.xls");
  ASSERT_TRUE(book.status.ok()) << book.status.ToString();
  ASSERT_THAT(book.ChildNames(), ElementsAre("MBD0003271D.ppt", "MBD00032A24.doc"));
  EXPECT_THAT(ChildText(book, "MBD00032A24.doc"),
              HasSubstr("The quick brown fox jumps over the lazy dog"));
  // The embedded presentation's own objects, one level further down.
  const ExtractedNode* deck = book.Find("MBD0003271D.ppt");
  ASSERT_NE(deck, nullptr);
  EXPECT_THAT(deck->ChildNames(), ElementsAre("oleObject1.xls", "oleObject2.doc"));

  const ExtractedNode pdf_book = Tree("tika/testExcel_embeddedPDF.xls");
  ASSERT_THAT(pdf_book.ChildNames(), ElementsAre("MBD0063FA15.pdf"));
  EXPECT_THAT(ChildText(pdf_book, "MBD0063FA15.pdf"), HasSubstr("Hello World!"));
}

TEST(LegacyOfficeExtractor, PowerPointObjectRecordsAreInflatedIntoChildDocuments) {
  const ExtractedNode deck = Tree("tika/testPPT_embeded.ppt");
  ASSERT_TRUE(deck.status.ok()) << deck.status.ToString();
  ASSERT_THAT(deck.ChildNames(), ElementsAre("oleObject1.xls", "oleObject2.doc"));
  EXPECT_THAT(ChildText(deck, "oleObject1.xls"), HasSubstr("The\tquick\tbrown\tfox"));
  EXPECT_THAT(ChildText(deck, "oleObject2.doc"), HasSubstr("The Alfresco logo is above this"));

  // This record's zlib stream lacks its end marker; the declared size ends it.
  const ExtractedNode workbook_deck = Tree("tika/testPPT_oleWorkbook.ppt");
  ASSERT_THAT(workbook_deck.ChildNames(), ElementsAre("oleObject1.xlsx"));
  EXPECT_THAT(ChildText(workbook_deck, "oleObject1.xlsx"), HasSubstr("1\t5\t9"));
}

TEST(LegacyOfficeExtractor, Ole10NativeObjectsKeepTheirFileNames) {
  // Two sounds packaged into a Word file: the label names each.
  const ExtractedNode memo = Tree("tika/Doc1_ole.doc");
  ASSERT_THAT(memo.ChildNames(), ElementsAre("MSj00748450000[1].wav", "MSj00974840000[1].wav"));
  EXPECT_EQ(memo.children[0].media_type, "audio/x-wav");
}

TEST(LegacyOfficeExtractor, SurvivesDamagedEmbeddedObjects) {
  const auto extractor = internal::NewLegacyOfficeExtractor();
  const std::pair<const char*, const char*> cases[] = {
      {"tika/testWORD_embeded.doc", "application/msword"},
      {"tika/testEXCEL_embeded.xls", "application/vnd.ms-excel"},
      {"tika/testPPT_embeded.ppt", "application/vnd.ms-powerpoint"},
      {"tika/testPPT_oleWorkbook.ppt", "application/vnd.ms-powerpoint"},
  };
  std::mt19937 random(11);
  const auto start = std::chrono::steady_clock::now();
  for (const auto& [relative, type] : cases) {
    const std::string bytes = HostileDoc(relative);
    for (int round = 0; round < 12; ++round) {
      std::string damaged = bytes;
      // The header and first directory sector stay whole, so that the damage reaches the
      // storages and records behind them.
      for (int flip = 0; flip < 40; ++flip) {
        damaged[1024 + random() % (damaged.size() - 1024)] = static_cast<char>(random());
      }
      if (round % 3 == 0) damaged.resize(damaged.size() * 3 / 4);
      RecordingSink sink;
      Input input;
      input.bytes = damaged;
      input.name = "damaged";
      input.media_type = type;
      (void)extractor->Extract(input, sink);  // any status; no crash or hang
      for (const RecordingSink::Failure& failure : sink.failures) {
        EXPECT_FALSE(failure.why.message().empty()) << relative;
      }
    }
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

TEST(LegacyOfficeExtractor, RespectsTheChildSizeLimitForEmbeddedObjects) {
  const auto extractor = internal::NewLegacyOfficeExtractor();
  const std::string bytes = HostileDoc("tika/testWORD_embeded.doc");
  RecordingSink sink;
  Input input;
  input.bytes = bytes;
  input.name = "testWORD_embeded.doc";
  input.media_type = "application/msword";
  input.limits.max_child_bytes = 32000;  // the .docx (31,303 bytes) fits; the .xls and .ppt not
  Result<Extraction> result = extractor->Extract(input, sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(sink.children.size(), 1u);
  EXPECT_EQ(sink.children[0].name, "ObjectPool/_1345471034.docx");
  ASSERT_EQ(sink.failures.size(), 2u);
  for (const RecordingSink::Failure& failure : sink.failures) {
    EXPECT_TRUE(failure.why.Is(StatusCode::kLimitExceeded)) << failure.why.ToString();
  }
}

TEST(RunHelper, KillsAHelperThatRunsPastItsTimeLimit) {
  internal::HelperLimits limits;
  limits.timeout = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  // "tail -f FILE" never ends by itself.
  Result<internal::HelperOutput> output = internal::RunHelper({"tail", "-f"}, "x", limits);
  ASSERT_FALSE(output.ok());
  EXPECT_TRUE(output.status().Is(StatusCode::kTimeout)) << output.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(RunHelper, PassesArgumentsWithoutAShellAndCapsOutput) {
  // "cat" prints the temporary file holding the input; a shell would expand "$(id)".
  internal::HelperLimits limits;
  limits.max_output_bytes = 5;
  Result<internal::HelperOutput> output = internal::RunHelper({"cat"}, "$(id) and more", limits);
  ASSERT_TRUE(output.ok()) << output.status().ToString();
  EXPECT_EQ(output->out, "$(id)");
  EXPECT_TRUE(output->is_truncated);
  Result<internal::HelperOutput> missing = internal::RunHelper({"no-such-trove-helper"}, "x");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().Is(StatusCode::kNotFound));
}

}  // namespace
}  // namespace trove::extract
