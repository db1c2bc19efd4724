// Embedded objects of OOXML and ODF packages as child documents (src/extract/office/, through
// src/extract/ole/embedded_object.cc). Fixtures are Apache Tika's test files in the shared corpus;
// each child is extracted again through the registry, as an ingest would, to check that its text
// is found. Expected names were read with `unzip -l` and the texts with the embedding programs'
// own view of the files.
#include <chrono>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/document.h"
#include "core/status.h"
#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/office/zip_package.h"
#include "office_test_util.h"
#include "tests/extract/common/extract_tree.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract {
namespace {

using office_test::Fixture;
using office_test::WriteZip;
using testing::ChildText;
using ::testing::ElementsAre;
using testing::ExtractedNode;
using testing::ExtractTree;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::RecordingSink;

constexpr char kDocx[] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

// The file and its children, extracted two levels down.
ExtractedNode Tree(const std::string& relative) {
  const std::string name = relative.substr(relative.rfind('/') + 1);
  return ExtractTree(Fixture(relative), name, "", 2);
}

// A docx whose package also holds `embeddings` (part name, bytes) under word/embeddings/.
std::string DocxWithEmbeddings(const std::vector<office_test::Member>& embeddings) {
  std::vector<office_test::Member> members = office_test::DocxParts(
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:body><w:p><w:r><w:t>memo</w:t></w:r></w:p></w:body></w:document>");
  members.insert(members.end(), embeddings.begin(), embeddings.end());
  return WriteZip(members);
}

// A part of a fixture package, read as the extractor reads it.
std::string PartOf(const std::string& relative, std::string_view part) {
  const std::string package_bytes = Fixture(relative);
  auto package = internal::ZipPackage::Open(package_bytes);
  EXPECT_TRUE(package.ok()) << package.status().ToString();
  if (!package.ok()) return {};
  Result<std::string> bytes = (*package)->Read(part);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

Result<Extraction> ExtractDocx(const std::string& bytes, RecordingSink& sink, Limits limits = {}) {
  Input input;
  input.bytes = bytes;
  input.name = "memo.docx";
  input.media_type = kDocx;
  input.limits = limits;
  return internal::NewOoxmlExtractor()->Extract(input, sink);
}

TEST(OoxmlEmbeddedObjects, AnExcelWorkbookInAMemoIsAChildWithItsCells) {
  const ExtractedNode memo = Tree("tika/EmbeddedDocument.docx");
  ASSERT_TRUE(memo.status.ok()) << memo.status.ToString();
  // An Excel 97-2003 object saved as a whole compound file (.bin): sent as it is, named .xls.
  ASSERT_THAT(memo.ChildNames(),
              ElementsAre("word/embeddings/Microsoft_Office_Excel_97-2003_Worksheet1.xls"));
  EXPECT_EQ(memo.children[0].media_type, "application/vnd.ms-excel");
  EXPECT_THAT(ChildText(memo, "word/embeddings/Microsoft_Office_Excel_97-2003_Worksheet1.xls"),
              HasSubstr("1\t2\t3\t4"));
  EXPECT_THAT(memo.failures, IsEmpty());
}

TEST(OoxmlEmbeddedObjects, OfficeFilesInAPresentationKeepTheirPartNames) {
  const ExtractedNode deck = Tree("tika/testPPT_embeded.pptx");
  ASSERT_TRUE(deck.status.ok()) << deck.status.ToString();
  EXPECT_THAT(deck.ChildNames(),
              ElementsAre("ppt/embeddings/Microsoft_Office_Word_Document2.docx",
                          "ppt/embeddings/Microsoft_Office_Excel_Worksheet1.xlsx",
                          "ppt/embeddings/Microsoft_Office_Word_97_-_2003_Document1.doc"));
  EXPECT_THAT(ChildText(deck, "ppt/embeddings/Microsoft_Office_Word_Document2.docx"),
              HasSubstr("The Alfresco logo is above this"));
  EXPECT_THAT(ChildText(deck, "ppt/embeddings/Microsoft_Office_Excel_Worksheet1.xlsx"),
              HasSubstr("The\tquick\tbrown\tfox"));
  EXPECT_THAT(ChildText(deck, "ppt/embeddings/Microsoft_Office_Word_97_-_2003_Document1.doc"),
              HasSubstr("The quick brown fox jumps over the lazy dog"));
}

TEST(OoxmlEmbeddedObjects, AcrobatObjectsBecomePdfChildren) {
  // The OLE object keeps the PDF in its CONTENTS stream.
  const ExtractedNode workbook = Tree("tika/testEXCEL_embeddedPDF_windows.xlsx");
  ASSERT_THAT(workbook.ChildNames(), ElementsAre("xl/embeddings/oleObject1.pdf"));
  EXPECT_EQ(workbook.children[0].media_type, "application/pdf");
  EXPECT_THAT(ChildText(workbook, "xl/embeddings/oleObject1.pdf"), HasSubstr("Apache Tika"));

  const ExtractedNode memo = Tree("tika/testPDFEmbeddingAndEmbedded.docx");
  EXPECT_THAT(ChildText(memo, "word/embeddings/oleObject1.pdf"), HasSubstr("pdf_haystack"));
}

TEST(OoxmlEmbeddedObjects, APackageObjectBecomesTheWorkbookItWraps) {
  // An "Excel.Sheet.12" OLE object: a Package stream holding an xlsx.
  const ExtractedNode deck = Tree("tika/testPPT_oleWorkbook.pptx");
  ASSERT_THAT(deck.ChildNames(), ElementsAre("ppt/embeddings/oleObject1.xlsx"));
  EXPECT_THAT(ChildText(deck, "ppt/embeddings/oleObject1.xlsx"), HasSubstr("1\t5\t9"));
}

TEST(OoxmlEmbeddedObjects, AnOle10NativePackageGivesTheFileUnderItsOwnName) {
  // Outlook message dropped into Word: the Ole10Native label names it.
  const ExtractedNode memo = Tree("tika/EmbeddedOutlook.docx");
  ASSERT_THAT(memo.ChildNames(), ElementsAre("licensedTestMsgwAtt.msg"));
  const ExtractedNode* message = memo.Find("licensedTestMsgwAtt.msg");
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(message->media_type, "application/vnd.ms-outlook");
  EXPECT_THAT(message->extraction.text, HasSubstr("Sample Outlook Message with Attachments"));
  // The message's own attachment, two levels down.
  const ExtractedNode* attachment = memo.Find("docSavedAspdf.pdf");
  ASSERT_NE(attachment, nullptr);
  EXPECT_THAT(attachment->extraction.text, HasSubstr("embedded as an icon and saved as a pdf"));

  // A zip packaged in a docx, holding text files.
  const ExtractedNode nested = Tree("tika/test_recursive_embedded.docx");
  ASSERT_THAT(nested.ChildNames(), ElementsAre("embed1.zip"));
  const ExtractedNode* member = nested.Find("embed1/embed1a.txt");
  ASSERT_NE(member, nullptr);
  EXPECT_EQ(member->extraction.text, "embed_1a");
}

TEST(OdfEmbeddedObjects, AnEmbeddedSpreadsheetBecomesAPackageOfItsOwn) {
  const ExtractedNode text = Tree("tika/testODFwithOOo3.odt");
  ASSERT_TRUE(text.status.ok()) << text.status.ToString();
  // Object 2 is a formula: drawn from the document, not a child.
  ASSERT_THAT(text.ChildNames(), ElementsAre("Object 1.ods"));
  EXPECT_EQ(text.children[0].media_type, "application/vnd.oasis.opendocument.spreadsheet");
  EXPECT_THAT(ChildText(text, "Object 1.ods"), HasSubstr("1\tone embedded"));
  EXPECT_THAT(ChildText(text, "Object 1.ods"), HasSubstr("3\tthree embedded"));
}

TEST(OoxmlEmbeddedObjects, AnObjectOverTheChildLimitIsRecordedNotRead) {
  const std::string workbook =
      PartOf("tika/testPPT_embeded.pptx", "ppt/embeddings/Microsoft_Office_Excel_Worksheet1.xlsx");
  ASSERT_GT(workbook.size(), 1000u);
  RecordingSink sink;
  Limits limits;
  limits.max_child_bytes = 1000;
  Result<Extraction> result =
      ExtractDocx(DocxWithEmbeddings({{"word/embeddings/big.xlsx", workbook},
                                      {"word/embeddings/small.txt", "a small file"}}),
                  sink, limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->text, "memo");
  ASSERT_EQ(sink.failures.size(), 1u);
  EXPECT_EQ(sink.failures[0].name, "word/embeddings/big.xlsx");
  EXPECT_TRUE(sink.failures[0].why.Is(StatusCode::kLimitExceeded))
      << sink.failures[0].why.ToString();
  ASSERT_EQ(sink.children.size(), 1u);
  EXPECT_EQ(sink.children[0].name, "word/embeddings/small.txt");
}

TEST(OoxmlEmbeddedObjects, StopsWhenTheSinkRefusesAChild) {
  RecordingSink sink(/*accept_count=*/1);
  Result<Extraction> result = ExtractDocx(DocxWithEmbeddings({{"word/embeddings/a.txt", "a"},
                                                              {"word/embeddings/b.txt", "b"},
                                                              {"word/embeddings/c.txt", "c"}}),
                                          sink);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().Is(StatusCode::kLimitExceeded)) << result.status().ToString();
  EXPECT_EQ(sink.children.size(), 1u);
  EXPECT_EQ(sink.refused, 1);
}

TEST(OoxmlEmbeddedObjects, DamagedOleObjectsAreRecordedAndTheMemoStillRead) {
  const std::string object =
      PartOf("tika/test_recursive_embedded.docx", "word/embeddings/oleObject1.bin");
  ASSERT_GT(object.size(), 4096u);
  // Truncated, then randomly damaged: each gives a child, a recorded failure, or nothing, and the
  // memo's own text is always read.
  std::vector<std::string> damaged = {object.substr(0, 8), object.substr(0, 600),
                                      object.substr(0, object.size() / 2)};
  std::mt19937 random(7);
  for (int round = 0; round < 40; ++round) {
    std::string copy = object;
    for (int flip = 0; flip < 20; ++flip) {
      copy[512 + random() % (copy.size() - 512)] = static_cast<char>(random());
    }
    damaged.push_back(std::move(copy));
  }
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& bytes : damaged) {
    RecordingSink sink;
    Result<Extraction> result =
        ExtractDocx(DocxWithEmbeddings({{"word/embeddings/oleObject1.bin", bytes}}), sink);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->text, "memo");
    EXPECT_LE(sink.children.size() + sink.failures.size(), 1u);
    for (const RecordingSink::Failure& failure : sink.failures) {
      EXPECT_FALSE(failure.why.message().empty());
    }
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  // The truncated header is named in the failure.
  RecordingSink sink;
  ASSERT_TRUE(
      ExtractDocx(DocxWithEmbeddings({{"word/embeddings/oleObject1.bin", damaged[0]}}), sink).ok());
  ASSERT_EQ(sink.failures.size(), 1u);
  EXPECT_EQ(sink.failures[0].name, "word/embeddings/oleObject1");
  EXPECT_TRUE(sink.failures[0].why.Is(StatusCode::kCorrupt)) << sink.failures[0].why.ToString();
}

}  // namespace
}  // namespace trove::extract
