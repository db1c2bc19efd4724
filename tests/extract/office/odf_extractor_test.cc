// Unit tests for the OpenDocument extractor (src/extract/office/odf_extractor.cc). Expected
// values were read from the fixtures with unzip -p (meta.xml, content.xml, styles.xml).
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

constexpr char kOdt[] = "application/vnd.oasis.opendocument.text";
constexpr char kOds[] = "application/vnd.oasis.opendocument.spreadsheet";
constexpr char kOdp[] = "application/vnd.oasis.opendocument.presentation";

class OdfExtractor : public ::testing::Test {
 protected:
  Result<Extraction> Run(const std::string& bytes, std::string_view type = kOdt) {
    return RunExtractor(*extractor_, bytes, type);
  }

  std::unique_ptr<Extractor> extractor_ = internal::NewOdfExtractor();
};

TEST_F(OdfExtractor, AcceptsOpenDocumentTypesOnly) {
  EXPECT_EQ(extractor_->Name(), "odf");
  EXPECT_TRUE(extractor_->Accepts(kOdt));
  EXPECT_TRUE(extractor_->Accepts(kOds));
  EXPECT_TRUE(extractor_->Accepts(kOdp));
  EXPECT_TRUE(extractor_->Accepts("application/vnd.oasis.opendocument.text-template"));
  EXPECT_FALSE(extractor_->Accepts(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
  EXPECT_FALSE(extractor_->Accepts("application/zip"));
}

TEST_F(OdfExtractor, OdtGivesParagraphsAndMeta) {
  auto result = Run(Fixture("ingest-file/Plan.odt"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->text, HasSubstr("We should paint graffiti on all corners of Trump tower."));
  EXPECT_THAT(result->text, HasSubstr("This will constitute good act of vandalism."));
  EXPECT_EQ(result->page_count, 1);  // meta:page-count
  ASSERT_TRUE(result->date.has_value());
  EXPECT_EQ(*result->date, 1487640681);  // meta:creation-date 2017-02-21T01:31:21.535
  EXPECT_THAT(result->metadata, Contains(Pair("Owner", "Dzmitry.Lahoda")));
}

TEST_F(OdfExtractor, OdsGivesSheetNamesAndTabSeparatedCells) {
  auto result = Run(Fixture("tika/LibreOfficeCalc_ods_1.3.ods"), kOds);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->metadata, Contains(Pair("sheet", "Sheet1")));
  EXPECT_THAT(result->text, HasSubstr("Sheet1\nThis\tis\tan\texample\tspreadsheet\n0\t1\t2\t3\t4"));
}

TEST_F(OdfExtractor, OdpSeparatesPagesWithPageBreaks) {
  auto result = Run(Fixture("tika/LibreOfficeImpress_odp_1.3.odp"), kOdp);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "Beehive");
  EXPECT_EQ(result->page_count, 2);
  ASSERT_EQ(std::count(result->text.begin(), result->text.end(), kPageBreak), 1);
  EXPECT_THAT(result->text.substr(0, result->text.find(kPageBreak)),
              HasSubstr("An example Impress file"));
}

TEST_F(OdfExtractor, ReturnsUnsupportedForEncryptedFile) {
  for (const char* path :
       {"ingest-file/encypted_by_libreoffice.odt", "tika/testODTEncrypted.odt"}) {
    auto result = Run(Fixture(path));
    ASSERT_FALSE(result.ok()) << path;
    EXPECT_EQ(result.status().code(), StatusCode::kUnsupported) << path;
    EXPECT_EQ(result.status().message(), "encrypted OpenDocument") << path;
  }
}

TEST_F(OdfExtractor, DoesNotExpandRepeatedSpaces) {
  const std::string bytes = WriteZip({
      {"mimetype", kOdt},
      {"content.xml",
       "<office:document-content xmlns:office=\"o\" xmlns:text=\"t\"><office:body><office:text>"
       "<text:p>a<text:s text:c=\"2000000000\"/>b<text:tab/>c</text:p></office:text>"
       "</office:body></office:document-content>"},
  });
  auto result = Run(bytes);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_LT(result->text.size(), 100u);
  EXPECT_EQ(result->text.front(), 'a');
  EXPECT_THAT(result->text, HasSubstr("b\tc"));
}

TEST_F(OdfExtractor, ReturnsCorruptForAFileThatIsNotAZip) {
  auto result = Run(Fixture("tika/testODTnotaZipFile.odt"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
}

TEST_F(OdfExtractor, ReturnsCorruptWhenContentXmlIsMissing) {
  auto result = Run(WriteZip({{"mimetype", kOdt}, {"meta.xml", "<office:document-meta/>"}}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
  EXPECT_THAT(result.status().message(), HasSubstr("content.xml"));
}

TEST_F(OdfExtractor, SurvivesTruncatedAndMutatedPackages) {
  const std::pair<const char*, const char*> cases[] = {
      {"ingest-file/Plan.odt", kOdt},
      {"tika/LibreOfficeCalc_ods_1.3.ods", kOds},
      {"tika/LibreOfficeImpress_odp_1.3.odp", kOdp},
  };
  std::mt19937 rng(99);
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
