// Unit tests for the OOXML extractor (src/extract/office/ooxml_extractor.cc). Expected values
// were read from the fixtures with unzip -p (docProps/core.xml, docProps/app.xml and the content
// parts); synthetic packages are written in memory with libarchive.
#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/document.h"
#include "core/status.h"
#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "office_test_util.h"

namespace trove::extract {
namespace {

using office_test::Fixture;
using office_test::RunExtractor;
using office_test::WriteZip;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

constexpr char kDocx[] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr char kXlsx[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr char kPptx[] =
    "application/vnd.openxmlformats-officedocument.presentationml.presentation";

constexpr char kWordNamespaces[] =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"";

// A minimal docx whose body is `body_xml` (the children of <w:body>).
std::string MinimalDocx(const std::string& body_xml, const std::string& prolog = "") {
  return WriteZip(office_test::DocxParts(prolog + "<w:document " + std::string(kWordNamespaces) +
                                         "><w:body>" + body_xml + "</w:body></w:document>"));
}

class OoxmlExtractor : public ::testing::Test {
 protected:
  Result<Extraction> Run(const std::string& bytes, std::string_view type = kDocx,
                         Limits limits = {}) {
    return RunExtractor(*extractor_, bytes, type, limits);
  }

  std::unique_ptr<Extractor> extractor_ = internal::NewOoxmlExtractor();
};

TEST_F(OoxmlExtractor, AcceptsWordExcelAndPowerPointPackagesOnly) {
  EXPECT_EQ(extractor_->Name(), "ooxml");
  EXPECT_TRUE(extractor_->Accepts(kDocx));
  EXPECT_TRUE(extractor_->Accepts(kXlsx));
  EXPECT_TRUE(extractor_->Accepts(kPptx));
  EXPECT_TRUE(extractor_->Accepts("application/vnd.ms-excel.sheet.macroEnabled.12"));
  EXPECT_TRUE(extractor_->Accepts(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.template"));
  EXPECT_FALSE(extractor_->Accepts("application/zip"));
  EXPECT_FALSE(extractor_->Accepts("application/vnd.oasis.opendocument.text"));
  EXPECT_FALSE(extractor_->Accepts("application/vnd.ms-excel.sheet.binary.macroEnabled.12"));
}

TEST_F(OoxmlExtractor, DocxGivesBodyThenHeadersAndCoreProperties) {
  auto result = Run(Fixture("tika/testWORD.docx"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "Sample Word Document");
  EXPECT_EQ(result->author, "Keith Bennett");
  ASSERT_TRUE(result->date.has_value());
  EXPECT_EQ(*result->date, 1229011440);  // dcterms:created 2008-12-11T16:04:00Z
  EXPECT_EQ(result->page_count, 2);      // app.xml <Pages>
  EXPECT_THAT(result->metadata, Contains(Pair("last_modified_by", "Nick Burch")));
  EXPECT_THAT(result->metadata, Contains(Pair("application", "Microsoft Office Word")));
  const std::size_t body = result->text.find("This is a sample Microsoft Word Document.");
  const std::size_t nested = result->text.find("Nested table");
  const std::size_t header = result->text.find("This is the header for our document");
  ASSERT_NE(body, std::string::npos);
  ASSERT_NE(nested, std::string::npos);
  ASSERT_NE(header, std::string::npos);
  EXPECT_LT(body, header);
}

TEST_F(OoxmlExtractor, DocxIncludesFootnotes) {
  auto result = Run(Fixture("tika/footnotes.docx"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->text, HasSubstr("snoska"));
  EXPECT_EQ(result->author, "Anton Trekin");
}

TEST_F(OoxmlExtractor, DocxKeepsTabsBreaksAndSpacesButNotDeletionsOrFieldCodes) {
  const std::string bytes = MinimalDocx(
      "<w:p><w:r><w:t>one</w:t><w:tab/><w:t>two</w:t><w:br/><w:t>three</w:t>"
      "<w:t xml:space=\"preserve\"> </w:t><w:t>four</w:t></w:r></w:p>"
      "<w:p><w:del><w:r><w:delText>deleted words</w:delText></w:r></w:del>"
      "<w:r><w:instrText>HYPERLINK \"http://x\"</w:instrText></w:r><w:r><w:t>kept</w:t></w:r></w:p>"
      "<w:p><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:r><w:t>boxed</w:t></w:r>"
      "</mc:Choice><mc:Fallback><w:r><w:t>boxed</w:t></w:r></mc:Fallback></mc:AlternateContent>"
      "</w:p>");
  auto result = Run(bytes);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->text, "one\ttwo\nthree four\nkept\nboxed");
}

TEST_F(OoxmlExtractor, DocxIgnoresDoctypeEntities) {
  // A "billion laughs" prolog: pugixml skips the DOCTYPE and never expands &lol2;.
  const std::string prolog =
      "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY lol \"lol\">"
      "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
      "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">]>";
  auto result = Run(MinimalDocx("<w:p><w:r><w:t>a &lol2; b</w:t></w:r></w:p>", prolog));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->text, Not(HasSubstr("lollol")));
}

TEST_F(OoxmlExtractor, XlsxGivesRowsCellsAndSheetNames) {
  auto result = Run(Fixture("tika/testEXCEL.strict.xlsx"), kXlsx);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "Sample Spreadsheet");
  EXPECT_THAT(result->metadata, Contains(Pair("sheet", "First Sheet")));
  EXPECT_THAT(result->metadata, Contains(Pair("sheet", "Sheet Number 2")));
  EXPECT_THAT(result->metadata, Contains(Pair("sheet", "Sheet3")));
  EXPECT_THAT(result->text,
              HasSubstr("First Sheet\nTest spreadsheet\n2nd row\t2nd row 2nd column"));
  EXPECT_THAT(result->text, HasSubstr("cb=1\tcb=10\tcb=2\tcb=sum\n1\t10\t2\t13"));
}

TEST_F(OoxmlExtractor, XlsxReadsInlineStringsBooleansAndIgnoresBadIndexes) {
  const std::string bytes = WriteZip({
      {"_rels/.rels",
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"r1\" Type=\"http://x/officeDocument\" Target=\"xl/workbook.xml\"/>"
       "</Relationships>"},
      {"xl/workbook.xml",
       "<workbook xmlns:r=\"urn:r\"><sheets><sheet name=\"Data\" "
       "r:id=\"s1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships><Relationship Id=\"s1\" Type=\"http://x/worksheet\" "
       "Target=\"worksheets/data.xml\"/><Relationship Id=\"s2\" Type=\"http://x/sharedStrings\" "
       "Target=\"/xl/strings.xml\"/></Relationships>"},
      {"xl/strings.xml",
       "<sst><si><t>shared</t></si><si><r><t>rich </t></r><r><t>text</t></r>"
       "<rPh><t>phonetic</t></rPh></si></sst>"},
      {"xl/worksheets/data.xml",
       "<worksheet><sheetData><row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c>"
       "<c t=\"inlineStr\"><is><t>inline</t></is></c><c t=\"b\"><v>1</v></c><c><v>3.5</v></c>"
       "</row><row><c t=\"s\"><v>99999999999999999999</v></c><c t=\"s\"><v>-1</v></c>"
       "<c t=\"s\"><v>7</v></c></row></sheetData></worksheet>"},
  });
  auto result = Run(bytes, kXlsx);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->text, "Data\nshared\trich text\tinline\tTRUE\t3.5");
}

TEST_F(OoxmlExtractor, PptxSeparatesSlidesWithPageBreaks) {
  auto result = Run(Fixture("tika/testPPT_embedded_two_slides.pptx"), kPptx);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->page_count, 2);
  EXPECT_EQ(std::count(result->text.begin(), result->text.end(), kPageBreak), 1);
  EXPECT_EQ(result->title, "The quick brown fox jumps over the lazy dog");
  EXPECT_EQ(result->author, "Nevin Nollop");
  // core.xml says created 1601-01-01 (an unset FILETIME); the modified date is used instead.
  ASSERT_TRUE(result->date.has_value());
  EXPECT_EQ(*result->date, 1353937953);  // 2012-11-26T13:52:33Z
}

TEST_F(OoxmlExtractor, PptxIncludesSlideComments) {
  auto result = Run(Fixture("tika/testPPT_comment.pptx"), kPptx);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->text, HasSubstr("add some content to this tps deck"));
}

TEST_F(OoxmlExtractor, ReturnsUnsupportedForEncryptedFile) {
  for (const char* path :
       {"ingest-file/password_protected.xlsx", "tika/testEXCEL_protected_passtika.xlsx",
        "tika/protected_upper_case.docx"}) {
    auto result = Run(Fixture(path), kXlsx);
    ASSERT_FALSE(result.ok()) << path;
    EXPECT_EQ(result.status().code(), StatusCode::kUnsupported) << path;
    EXPECT_EQ(result.status().message(), "encrypted Office document") << path;
  }
}

TEST_F(OoxmlExtractor, ReturnsUnsupportedForLegacyOleDocument) {
  auto result = Run(Fixture("tika/testWORD.doc"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnsupported);
  EXPECT_THAT(result.status().message(), HasSubstr("OLE"));
}

TEST_F(OoxmlExtractor, ReturnsCorruptForNonZipOrPackageWithoutMainPart) {
  auto not_zip = Run("this is not a zip");
  ASSERT_FALSE(not_zip.ok());
  EXPECT_EQ(not_zip.status().code(), StatusCode::kCorrupt);

  auto empty_zip = Run(WriteZip({{"readme.txt", "hello"}}));
  ASSERT_FALSE(empty_zip.ok());
  EXPECT_EQ(empty_zip.status().code(), StatusCode::kCorrupt);
}

TEST_F(OoxmlExtractor, ReturnsCorruptNamingTheMemberForBrokenXml) {
  auto result = Run(MinimalDocx("<w:p><w:r><w:t>unclosed</w:r></w:p>"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
  EXPECT_THAT(result.status().message(), HasSubstr("word/document.xml"));
}

TEST_F(OoxmlExtractor, RefusesABombMemberNamingIt) {
  // 64 MiB of one repeated run deflates about 1000:1: far above any real document.
  std::string body = "<w:p><w:r><w:t>";
  body.append(64 << 20, 'a');
  body += "</w:t></w:r></w:p>";
  const std::string bytes = MinimalDocx(body);
  ASSERT_LT(bytes.size(), 1u << 20);
  const auto start = std::chrono::steady_clock::now();
  auto result = Run(bytes);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded);
  EXPECT_THAT(result.status().message(), HasSubstr("word/document.xml"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(OoxmlExtractor, TruncatesTextAtLimitOnCharacterBoundary) {
  // Two-byte characters, so that an odd limit falls inside one.
  std::string words;
  for (int i = 0; i < 200; ++i) words += "\xC3\xA9t\xC3\xA9 ";
  Limits limits;
  limits.max_text_bytes = 101;
  auto result = Run(MinimalDocx("<w:p><w:r><w:t>" + words + "</w:t></w:r></w:p>"), kDocx, limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->is_truncated);
  EXPECT_LE(result->text.size(), 101u);
  EXPECT_GE(result->text.size(), 95u);
}

TEST_F(OoxmlExtractor, SurvivesTruncatedAndMutatedPackages) {
  const std::pair<const char*, const char*> cases[] = {
      {"tika/testWORD.docx", kDocx},
      {"tika/testEXCEL.strict.xlsx", kXlsx},
      {"tika/testPPT_various.pptx", kPptx},
  };
  std::mt19937 rng(1234);
  for (const auto& [path, type] : cases) {
    const std::string whole = Fixture(path);
    for (std::size_t cut : {std::size_t{0}, std::size_t{10}, whole.size() / 2, whole.size() - 22}) {
      auto result = Run(whole.substr(0, cut), type);
      if (cut < whole.size() / 2) {
        EXPECT_FALSE(result.ok()) << path << " cut at " << cut;
      }
    }
    for (int round = 0; round < 10; ++round) {
      std::string mutated = whole;
      for (int i = 0; i < 20; ++i) mutated[rng() % mutated.size()] ^= static_cast<char>(rng());
      auto result = Run(mutated, type);
      (void)result;
    }
  }
}

}  // namespace
}  // namespace trove::extract
