// OCR (src/extract/ocr/): the engine on images and scanned PDF pages, the image extractor, and
// which PDF pages the PDF extractor hands to OCR. The fixtures are in tests/data/extract/ocr/
// (see tests/data/extract/SOURCES.md) and ../shared/data/hostile-docs/.
#include <fstream>
#include <iterator>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/document.h"
#include "core/text.h"
#include "extract/internal/builtin.h"
#include "extract/ocr.h"
#include "extract/registry.h"

namespace trove::extract {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string Local(const std::string& name) {
  return ReadAll(std::string(TROVE_SOURCE_DIR) + "/tests/data/extract/ocr/" + name);
}

std::string Shared(const std::string& relative) {
  return ReadAll(std::string(TROVE_SOURCE_DIR) + "/../shared/data/hostile-docs/" + relative);
}

class NoChildren : public ChildSink {
 public:
  Status OnChild(ChildFile child) override {
    ADD_FAILURE() << "unexpected child " << child.name;
    return Status::Ok();
  }
  void OnChildFailed(std::string, Status) override {}
  void OnChildSkipped(std::string, std::string) override {}
};

std::string Folded(const std::string& text) {
  std::string out;
  for (const char c : text) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class OcrEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto engine = OcrEngine::Create(OcrOptions{});
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value().release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static OcrEngine* engine_;
};
OcrEngine* OcrEngineTest::engine_ = nullptr;

TEST_F(OcrEngineTest, ReadsTheWordsOfAPngImage) {
  const std::string bytes = Local("quick-brown-fox.png");
  auto page = engine_->RecognizePage(Input{bytes, "quick-brown-fox.png", "image/png", {}}, 0);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_THAT(Folded(page->text), HasSubstr("quick"));
  EXPECT_THAT(Folded(page->text), HasSubstr("brown"));
  EXPECT_THAT(Folded(page->text), HasSubstr("fox"));
  EXPECT_GT(page->confidence, 60);
}

TEST_F(OcrEngineTest, ReadsAScannedPdfPageRenderedAt300Dpi) {
  const std::string bytes = Local("scanned.pdf");
  auto page = engine_->RecognizePage(Input{bytes, "scanned.pdf", "application/pdf", {}}, 0);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_THAT(Folded(page->text), HasSubstr("quick brown fox"));
}

TEST_F(OcrEngineTest, ReadsEveryFrameOfAMultiPageTiff) {
  const std::string bytes = Shared("ingest-file/multipage_tiff_example.tif");
  const Input input{bytes, "multipage_tiff_example.tif", "image/tiff", {}};
  auto info = internal::NewImageExtractor()->Extract(input, *std::make_unique<NoChildren>());
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_GT(info->page_count, 1);
  auto last = engine_->RecognizePage(input, info->page_count - 1);
  EXPECT_TRUE(last.ok()) << last.status().ToString();
  auto beyond = engine_->RecognizePage(input, info->page_count);
  EXPECT_FALSE(beyond.ok());
  EXPECT_THAT(beyond.status().message(), HasSubstr("page " + std::to_string(info->page_count + 1)));
}

TEST_F(OcrEngineTest, DecodesGifBmpAndWebp) {
  for (const auto& [name, type] : {std::pair{"ingest-file/regression_gif.gif", "image/gif"},
                                   std::pair{"tika/testBMP.bmp", "image/bmp"},
                                   std::pair{"ingest-file/regression_webp.webp", "image/webp"},
                                   std::pair{"ingest-file/regression_tiff.tiff", "image/tiff"}}) {
    const std::string bytes = Shared(name);
    auto page = engine_->RecognizePage(Input{bytes, name, type, {}}, 0);
    EXPECT_TRUE(page.ok()) << name << ": " << page.status().ToString();
  }
}

TEST_F(OcrEngineTest, DamagedOrOversizedImagesFailWithTheirPage) {
  std::string bytes = Local("quick-brown-fox.png");
  bytes.resize(bytes.size() / 3);
  auto truncated = engine_->RecognizePage(Input{bytes, "cut.png", "image/png", {}}, 0);
  EXPECT_FALSE(truncated.ok());
  auto garbage = engine_->RecognizePage(Input{"not an image at all", "x.png", "image/png", {}}, 0);
  EXPECT_FALSE(garbage.ok());

  OcrOptions small;
  small.max_pixels = 1000;
  auto engine = OcrEngine::Create(small);
  ASSERT_TRUE(engine.ok());
  const std::string png = Local("quick-brown-fox.png");
  auto big = (*engine)->RecognizePage(Input{png, "quick-brown-fox.png", "image/png", {}}, 0);
  EXPECT_TRUE(big.status().Is(StatusCode::kLimitExceeded)) << big.status().ToString();
  EXPECT_THAT(big.status().message(), HasSubstr("page 1"));
}

TEST(OcrLanguages, MissingOrMalformedLanguagesAreNamed) {
  EXPECT_TRUE(CheckOcrLanguages("eng+fra").ok());
  const Status missing = CheckOcrLanguages("eng+xyz");
  EXPECT_TRUE(missing.Is(StatusCode::kInvalidArgument));
  EXPECT_THAT(missing.message(), HasSubstr("'xyz'"));
  EXPECT_THAT(missing.message(), HasSubstr("tesseract-ocr-xyz"));
  EXPECT_TRUE(CheckOcrLanguages("eng;rm -rf").Is(StatusCode::kInvalidArgument));
  EXPECT_TRUE(CheckOcrLanguages("").Is(StatusCode::kInvalidArgument));
}

TEST(ImageExtractor, ImagesAreRegisteredAndEveryFrameIsAnOcrCandidate) {
  auto registry = Registry::CreateDefault();
  const std::string bytes = Local("quick-brown-fox.png");
  const std::string type = DetectMediaType(bytes, "quick-brown-fox.png");
  EXPECT_EQ(type, "image/png");
  const Extractor* extractor = registry->Find(type);
  ASSERT_NE(extractor, nullptr);
  EXPECT_EQ(extractor->Name(), "image");
  NoChildren sink;
  auto ex = extractor->Extract(Input{bytes, "quick-brown-fox.png", type, {}}, sink);
  ASSERT_TRUE(ex.ok());
  EXPECT_EQ(ex->page_count, 1);
  EXPECT_THAT(ex->ocr_candidates, ElementsAre(0));
  EXPECT_THAT(ex->metadata, Contains(Pair("width", "2385")));
  EXPECT_TRUE(ex->text.empty());
  EXPECT_TRUE(IsOcrReadable(DetectMediaType(Shared("tika/testBMP.bmp"), "testBMP.bmp")));
  EXPECT_TRUE(IsOcrReadable(DetectMediaType(Shared("ingest-file/regression_webp.webp"), "x.webp")));
}

TEST(PdfOcrCandidates, OnlyTheScannedPageOfAMixedPdfNeedsOcr) {
  auto pdf = internal::NewPdfExtractor();
  NoChildren sink;
  const std::string mixed = Local("mixed.pdf");
  auto ex = pdf->Extract(Input{mixed, "mixed.pdf", "application/pdf", {}}, sink);
  ASSERT_TRUE(ex.ok()) << ex.status().ToString();
  EXPECT_EQ(ex->page_count, 2);
  EXPECT_THAT(ex->ocr_candidates, ElementsAre(1));
  EXPECT_THAT(ex->text, HasSubstr("born-digital paragraph"));
}

TEST(PdfOcrCandidates, ABornDigitalPdfHasNone) {
  auto pdf = internal::NewPdfExtractor();
  NoChildren sink;
  // testPDF-custommetadata.pdf says only "Hello World!" but names /ImageB in its ProcSet;
  // testPDF_incrementalUpdates.pdf has a photo and a short caption.
  for (const char* name :
       {"tika/testPDF.pdf", "tika/testPDF_Version.8.x.pdf", "tika/testPDF-custommetadata.pdf",
        "tika/testPDF_incrementalUpdates.pdf", "tika/testPDF_bookmarks.pdf"}) {
    const std::string bytes = Shared(name);
    if (bytes.empty()) continue;
    auto ex = pdf->Extract(Input{bytes, name, "application/pdf", {}}, sink);
    ASSERT_TRUE(ex.ok()) << name << ": " << ex.status().ToString();
    EXPECT_GT(ex->page_count, 0);
    EXPECT_THAT(ex->ocr_candidates, IsEmpty()) << name;
  }
}

TEST(PdfOcrCandidates, AnImageOnlyPageIsACandidate) {
  auto pdf = internal::NewPdfExtractor();
  NoChildren sink;
  const std::string bytes = Shared("tika/testPDF_Version.11.x.PDFA-1b.pdf");  // a page-size image
  auto ex = pdf->Extract(Input{bytes, "scan.pdf", "application/pdf", {}}, sink);
  ASSERT_TRUE(ex.ok()) << ex.status().ToString();
  EXPECT_THAT(ex->ocr_candidates, ElementsAre(0));
}

}  // namespace
}  // namespace trove::extract
