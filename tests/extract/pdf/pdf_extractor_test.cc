// Unit tests for the PDF extractor (src/extract/pdf/pdf_extractor.cc). Expected values were read
// from the fixtures with pdfinfo and pdftotext (poppler-utils).
#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/document.h"
#include "core/status.h"
#include "core/text.h"
#include "extract/extractor.h"
#include "extract/internal/builtin.h"

namespace trove::extract {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

std::string Fixture(const std::string& relative) {
  const std::string path =
      std::string(TROVE_SOURCE_DIR) + "/../shared/data/hostile-docs/" + relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class NoChildren : public ChildSink {
 public:
  Status OnChild(ChildFile child) override {
    ADD_FAILURE() << "unexpected child " << child.name;
    return Status::Ok();
  }
  void OnChildFailed(std::string name, Status why) override {
    ADD_FAILURE() << "unexpected failed child " << name << ": " << why.ToString();
  }
  void OnChildSkipped(std::string name, std::string reason) override {
    ADD_FAILURE() << "unexpected skipped child " << name << ": " << reason;
  }
};

class PdfExtractor : public ::testing::Test {
 protected:
  Result<Extraction> Run(const std::string& bytes, Limits limits = {}) {
    Input input;
    input.bytes = bytes;
    input.name = "test.pdf";
    input.media_type = "application/pdf";
    input.limits = limits;
    return extractor_->Extract(input, sink_);
  }

  std::unique_ptr<Extractor> extractor_ = internal::NewPdfExtractor();
  NoChildren sink_;
};

TEST_F(PdfExtractor, AcceptsOnlyPdf) {
  EXPECT_EQ(extractor_->Name(), "pdf");
  EXPECT_TRUE(extractor_->Accepts("application/pdf"));
  EXPECT_FALSE(extractor_->Accepts("application/zip"));
  EXPECT_FALSE(extractor_->Accepts("text/plain"));
}

TEST_F(PdfExtractor, ExtractsTextAndDocumentInfo) {
  const std::string bytes = Fixture("tika/testPDF.pdf");
  auto result = Run(bytes);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "Apache Tika - Apache Tika");
  EXPECT_EQ(result->author, "Bertrand Delacr\xC3\xA9taz");
  EXPECT_EQ(result->page_count, 1);
  ASSERT_TRUE(result->date.has_value());
  EXPECT_EQ(*result->date, 1189846951);  // 2007-09-15T09:02:31Z
  EXPECT_THAT(result->metadata, Contains(Pair("creator", "Firefox")));
  EXPECT_THAT(result->metadata, Contains(Pair("producer", "Mac OS X 10.4.10 Quartz PDFContext")));
  EXPECT_THAT(result->text, HasSubstr("Tika - Content Analysis Toolkit"));
  EXPECT_THAT(result->text, HasSubstr("March 22nd, 2007: Apache Tika project started"));
  EXPECT_FALSE(result->is_truncated);
  EXPECT_TRUE(IsValidUtf8(result->text));
}

TEST_F(PdfExtractor, SeparatesPagesWithPageBreaks) {
  const std::string bytes = Fixture("ingest-file/twopage.pdf");
  auto result = Run(bytes);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->page_count, 2);
  EXPECT_EQ(result->title, "twopage");
  ASSERT_EQ(std::count(result->text.begin(), result->text.end(), kPageBreak), 1);
  const std::size_t page_break = result->text.find(kPageBreak);
  EXPECT_THAT(result->text.substr(0, page_break), HasSubstr("Page one"));
  EXPECT_THAT(result->text.substr(page_break + 1), HasSubstr("Page two"));
  EXPECT_FALSE(result->date.has_value());  // twopage.pdf has no dates in its Info dictionary
}

TEST_F(PdfExtractor, ReadsOwnerPasswordOnlyPdfWithTimezoneAdjustedDate) {
  const std::string bytes = Fixture("tika/testPDF_protected.pdf");
  auto result = Run(bytes);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->page_count, 41);
  EXPECT_EQ(std::count(result->text.begin(), result->text.end(), kPageBreak), 40);
  EXPECT_THAT(result->title, HasSubstr("Rethinking the Financial Network"));
  ASSERT_TRUE(result->date.has_value());
  EXPECT_EQ(*result->date, 1240909616);  // 2009-04-28T10:06:56+01:00
  EXPECT_THAT(result->text, HasSubstr("Lehman"));
}

TEST_F(PdfExtractor, ReturnsUnsupportedForEncryptedFile) {
  const std::string bytes = Fixture("ingest-file/password-hunter2.pdf");
  auto result = Run(bytes);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(result.status().message(), "encrypted PDF");
}

TEST_F(PdfExtractor, ReturnsCorruptWithReasonForDamagedFile) {
  const std::string bytes = Fixture("pdfjs/issue9105_other.pdf");
  auto result = Run(bytes);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
  EXPECT_THAT(result.status().message(), HasSubstr("damaged PDF"));
}

TEST_F(PdfExtractor, ReturnsCorruptForEmptyInput) {
  auto result = Run("");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
}

TEST_F(PdfExtractor, TruncatesTextAtLimitOnCharacterBoundary) {
  const std::string bytes = Fixture("tika/testPDF_protected.pdf");
  Limits limits;
  limits.max_text_bytes = 1001;
  auto result = Run(bytes, limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->is_truncated);
  EXPECT_LE(result->text.size(), 1001u);
  EXPECT_GT(result->text.size(), 900u);
  EXPECT_TRUE(IsValidUtf8(result->text));
  EXPECT_EQ(result->page_count, 41);  // the page count is not affected by the text limit
}

TEST_F(PdfExtractor, SurvivesTruncatedAndRandomInput) {
  const std::string whole = Fixture("tika/testPDF.pdf");
  for (std::size_t cut : {std::size_t{5}, std::size_t{100}, whole.size() / 2, whole.size() - 10}) {
    auto result = Run(whole.substr(0, cut));
    if (result.ok()) {
      EXPECT_TRUE(IsValidUtf8(result->text));
    }
  }
  std::mt19937 rng(42);
  for (int round = 0; round < 20; ++round) {
    std::string noise = "%PDF-1.4\n";
    for (int i = 0; i < 2000; ++i) noise.push_back(static_cast<char>(rng() & 0xFF));
    auto result = Run(noise);
    EXPECT_FALSE(result.ok());
  }
  // A valid file with bytes flipped in the middle: the outcome may vary, but it must not crash.
  std::string flipped = whole;
  for (std::size_t i = flipped.size() / 3; i < flipped.size() / 3 + 200; ++i) flipped[i] ^= 0x5A;
  auto result = Run(flipped);
  if (result.ok()) {
    EXPECT_TRUE(IsValidUtf8(result->text));
  }
}

}  // namespace
}  // namespace trove::extract
