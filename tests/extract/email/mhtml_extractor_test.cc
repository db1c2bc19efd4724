// Tests for the MHTML extractor (src/extract/email/mhtml_extractor.cc).
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/registry.h"
#include "tests/extract/common/fixture.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract {
namespace {

using ::testing::HasSubstr;
using testing::HostileDoc;
using ::testing::Not;
using testing::RecordingSink;

// A page saved by a browser: the HTML, a style sheet, an image and a linked PDF.
constexpr char kSavedPage[] =
    "From: <Saved by Blink>\r\n"
    "Snapshot-Content-Location: https://example.org/report\r\n"
    "Subject: Annual report\r\n"
    "Date: Tue, 28 Aug 2012 09:53:28 +0300\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/related; type=\"text/html\"; boundary=\"----B\"\r\n"
    "\r\n"
    "------B\r\n"
    "Content-Type: text/html; charset=\"utf-8\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "Content-Location: https://example.org/report\r\n"
    "\r\n"
    "<html><head><title>Report 2012</title></head><body><p>Revenue grew in Z=C3=BCrich.</p>"
    "<script>var hidden = 1;</script></body></html>\r\n"
    "------B\r\n"
    "Content-Type: text/css\r\n"
    "Content-Location: https://example.org/style.css\r\n"
    "\r\n"
    "body { color: red }\r\n"
    "------B\r\n"
    "Content-Type: image/png\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Location: https://example.org/logo.png\r\n"
    "\r\n"
    "iVBORw0KGgo=\r\n"
    "------B\r\n"
    "Content-Type: application/pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Location: https://example.org/files/annex.pdf\r\n"
    "\r\n"
    "JVBERi0xLjQK\r\n"
    "------B--\r\n";

Result<Extraction> ExtractMhtml(const std::string& bytes, RecordingSink& sink) {
  return testing::ExtractBytes(*internal::NewMhtmlExtractor(), bytes, "page.mhtml",
                               "multipart/related", sink);
}

TEST(MhtmlExtractor, ReadsThePageTextAndSkipsPageResources) {
  EXPECT_EQ(DetectMediaType(kSavedPage, "page.mhtml"), "multipart/related");
  EXPECT_EQ(DetectMediaType(kSavedPage, "page.mht"), "multipart/related");
  EXPECT_EQ(DetectMediaType(kSavedPage, "page.eml"), "message/rfc822");
  EXPECT_EQ(TypeFamily("multipart/related"), "html");
  RecordingSink sink;
  Result<Extraction> result = ExtractMhtml(kSavedPage, sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "Report 2012");
  EXPECT_THAT(result->text, HasSubstr("Revenue grew in Zürich."));
  EXPECT_THAT(result->text, Not(HasSubstr("hidden")));
  EXPECT_THAT(result->text, Not(HasSubstr("color")));
  ASSERT_EQ(sink.children.size(), 1u);  // the PDF; not the style sheet or the image
  EXPECT_EQ(sink.children[0].name, "annex.pdf");
  EXPECT_EQ(sink.children[0].bytes, "%PDF-1.4\n");
  EXPECT_EQ(result->date, 1346136808);
}

TEST(MhtmlExtractor, ReadsTheSubjectOfASavedPageWithAnEmptyBody) {
  // Internet Explorer's save of an empty page, with an unknown charset label.
  const std::string bytes = HostileDoc("tika/testUserDefinedCharset.mhtml");
  EXPECT_EQ(DetectMediaType(bytes, "testUserDefinedCharset.mhtml"), "multipart/related");
  RecordingSink sink;
  Result<Extraction> result = ExtractMhtml(bytes, sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "Index Pages");
}

TEST(MhtmlExtractor, FailsWithoutAnHtmlPage) {
  RecordingSink sink;
  Result<Extraction> result = ExtractMhtml(
      "Subject: x\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\n"
      "Content-Type: image/png\r\n\r\nxx\r\n--b--\r\n",
      sink);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("page.mhtml"));
}

}  // namespace
}  // namespace trove::extract
